package symbolic

import (
	"math"
	"slices"
	"strconv"
)

// Printing of shared graphs.
//
// [Infix] and [LaTeX] print a tree: a subexpression shared by several
// parents is printed once per occurrence, so the length of the output can
// grow exponentially with the depth of the graph (a tower of lets
// a_i = sin(a_{i-1})*a_{i-1} and its derivatives). [PrintShared] prints a
// list of expressions in size linear in their graph instead, naming the
// large shared subexpressions as temporaries listed after them ("where").

// PrintOptions configures [PrintShared].
type PrintOptions struct {
	// LaTeX selects LaTeX output (as [LaTeX]) instead of infix (as [Infix]).
	LaTeX bool
	// Name maps a symbol to its LaTeX form; nil means [LaTeXName] of its
	// Name(). Unused for infix.
	Name func(*Node) string
	// MinSize is the printed size (in bytes, estimated) above which a
	// subexpression used more than once becomes a temporary; 0 means
	// [DefaultMinShared].
	MinSize int
	// Prefix starts the names of the temporaries (followed by 1, 2, ...;
	// a LaTeX subscript); "" means "w". Names that are also names of
	// symbols of the expressions are skipped.
	Prefix string
}

// DefaultMinShared is the default [PrintOptions.MinSize]: subexpressions
// shorter than this are printed in place however often they occur.
const DefaultMinShared = 60

// Temp is a temporary of a [Listing]: Name stands for Node, printed as Expr.
type Temp struct {
	Name string
	Node *Node
	Expr string
}

// Listing is the result of [PrintShared]: Exprs[i] is the i-th expression,
// in which the names of Temps stand for their Expr. A temporary refers only
// to temporaries before it.
type Listing struct {
	Exprs []string
	Temps []Temp
}

// PrintShared prints es as [Infix] or [LaTeX] would, except that every
// subexpression that occurs more than once in the graph of es (counting
// distinct parents and the roots) and whose printed form is longer than
// opts.MinSize is printed once, as a temporary, and referred to by name.
// An expression of es is printed in full at the top level even when it is
// also a temporary of the others. The output is linear in the number of
// distinct nodes for a bounded MinSize, and deterministic: temporaries are
// numbered in creation order of their nodes.
func PrintShared(es []*Node, opts PrintOptions) Listing {
	minSize := opts.MinSize
	if minSize <= 0 {
		minSize = DefaultMinShared
	}
	prefix := opts.Prefix
	if prefix == "" {
		prefix = "w"
	}
	nodes, uses := graphUses(es)
	syms := map[string]bool{}
	for _, n := range nodes {
		if n.kind == KSym {
			syms[n.name] = true
		}
	}
	p := &printer{latex: opts.LaTeX, name: opts.Name, temps: map[*Node]string{}}
	if p.latex && p.name == nil {
		p.name = func(n *Node) string { return LaTeXName(n.name) }
	}
	// size[n] is the estimated printed size of n, temporaries counting by
	// their names. Children come before parents in ID order.
	size := make(map[*Node]int, len(nodes))
	var temps []*Node
	next := 1
	for _, n := range nodes {
		s := ownSize(n)
		for _, a := range n.args {
			s += size[a]
		}
		if uses[n] > 1 && s > minSize && n.kind != KNum && n.kind != KSym {
			name := prefix + strconv.Itoa(next)
			for next++; syms[name]; next++ {
				name = prefix + strconv.Itoa(next)
			}
			if p.latex {
				name = prefix + "_{" + strconv.Itoa(next-1) + "}"
			}
			p.temps[n] = name
			temps = append(temps, n)
			s = len(name)
		}
		size[n] = s
	}
	var l Listing
	for _, e := range es {
		p.root = e
		s, _ := p.expr(e)
		l.Exprs = append(l.Exprs, s)
	}
	for _, n := range temps {
		p.root = n
		s, _ := p.expr(n)
		l.Temps = append(l.Temps, Temp{Name: p.temps[n], Node: n, Expr: s})
	}
	return l
}

// graphUses returns the distinct nodes reachable from es in ID order
// (children before parents) and, for each, the number of distinct parents
// plus the number of times it is a root.
func graphUses(es []*Node) ([]*Node, map[*Node]int) {
	uses := map[*Node]int{}
	var nodes []*Node
	seen := map[*Node]bool{}
	stack := slices.Clone(es)
	for _, e := range es {
		uses[e]++
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		nodes = append(nodes, n)
		for i, a := range n.args {
			if slices.Contains(n.args[:i], a) {
				continue
			}
			uses[a]++
			stack = append(stack, a)
		}
	}
	slices.SortFunc(nodes, func(a, b *Node) int { return int(a.id) - int(b.id) })
	return nodes, uses
}

// ownSize estimates the printed size of n without its children.
func ownSize(n *Node) int {
	switch n.kind {
	case KNum:
		return len(formatNum(n.val))
	case KSym:
		return len(n.name)
	case KAdd:
		s := 3 * len(n.args)
		if n.val != 0 {
			s += len(formatNum(n.val))
		}
		return s
	case KMul:
		s := 3 * len(n.args)
		if n.val != 1 {
			s += len(formatNum(n.val))
		}
		return s
	case KPow:
		return 3
	case KCall:
		return len(n.fn.String()) + 2*len(n.args)
	}
	return 1
}

// TreeSize estimates the length of [Infix](e) without printing it, in
// time linear in the number of distinct nodes of e; it saturates at
// math.MaxInt. Use it to refuse printing an expression whose tree is too
// large (a shared graph can print exponentially long).
func TreeSize(e *Node) int {
	nodes, _ := graphUses([]*Node{e})
	size := make(map[*Node]int, len(nodes))
	for _, n := range nodes {
		s := ownSize(n)
		for _, a := range n.args {
			if s += size[a]; s < 0 || s > math.MaxInt/2 {
				s = math.MaxInt / 2
			}
		}
		size[n] = s
	}
	return size[e]
}

// InfixMax returns [Infix](e) and true if its estimated length
// ([TreeSize]) is at most max, and "" and false without printing
// otherwise.
func InfixMax(e *Node, max int) (string, bool) {
	if TreeSize(e) > max {
		return "", false
	}
	return Infix(e), true
}
