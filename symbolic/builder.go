package symbolic

import (
	"fmt"
	"math"
	"slices"
)

// Builder creates and interns nodes. Not safe for concurrent use.
//
// All nodes of one expression graph must come from the same Builder; mixing
// nodes of different Builders is a programming error with unspecified results.
type Builder struct {
	table   map[uint64]*Node // hash -> chain of nodes (Node.next)
	count   int32
	syms    []*Node // by symbol index
	symName map[string]*Node
	zero    *Node
	one     *Node
	minus1  *Node
	half    *Node
	dmemo   map[uint64]*Node // (node id, symbol index) -> derivative
	// contents memoises the decomposition of sums with a non-trivial
	// content (see content.go); primitive sums are flagged instead.
	contents map[*Node]*contentInfo
	// splits memoises the sub-product a product is differentiated
	// through (see diffSplit).
	splits map[*Node]int32
	// simplifier holds the memo tables of Simplify.
	simplifier *simplifier
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	b := &Builder{
		table:   make(map[uint64]*Node, 1024),
		symName: make(map[string]*Node),
		dmemo:   make(map[uint64]*Node, 1024),
	}
	b.zero = b.Num(0)
	b.one = b.Num(1)
	b.minus1 = b.Num(-1)
	b.half = b.Num(0.5)
	return b
}

// NumNodes returns the number of distinct nodes created so far.
func (b *Builder) NumNodes() int { return int(b.count) }

// Symbols returns every symbol created so far, in creation order. The slice
// must not be modified.
func (b *Builder) Symbols() []*Node { return b.syms }

const (
	hashPrime = 0x100000001b3
	hashInit  = 0xcbf29ce484222325
)

func mix(h, x uint64) uint64 {
	h ^= x
	h *= hashPrime
	h ^= h >> 29
	return h
}

func hashNode(kind Kind, fn Func, val float64, name string, args []*Node) uint64 {
	h := mix(hashInit, uint64(kind)|uint64(fn)<<8)
	h = mix(h, math.Float64bits(val))
	for i := 0; i < len(name); i++ {
		h = mix(h, uint64(name[i]))
	}
	for _, a := range args {
		h = mix(h, uint64(a.id))
	}
	return h
}

// intern returns the unique node with the given fields, creating it if
// needed. args may be a scratch slice: it is copied when a node is created.
// The caller guarantees canonical form.
func (b *Builder) intern(kind Kind, fn Func, val float64, name string, args []*Node) *Node {
	h := hashNode(kind, fn, val, name, args)
	first := b.table[h]
	if n := find(first, kind, fn, val, name, args); n != nil {
		return n
	}
	n := &Node{kind: kind, fn: fn, id: b.count, sidx: -1, val: val, name: name, hash: h, next: first}
	b.count++
	if len(args) > 0 {
		n.args = slices.Clone(args)
		n.syms = unionSyms(n.args)
		switch kind {
		case KPow:
			if x, e := args[0], args[1]; x.kind == KCall && x.fn == Cos && e.kind == KNum && e.val >= 2 && isInt(e.val) {
				n.flags |= flagCos2
			}
		case KMul:
			for _, a := range args {
				n.flags |= a.flags & flagCos2
			}
		}
	}
	b.table[h] = n
	return n
}

// lookup returns the node with the given fields if it exists, nil otherwise.
// It never creates a node, so rules can test for a structure speculatively
// without polluting the table.
func (b *Builder) lookup(kind Kind, fn Func, val float64, name string, args []*Node) *Node {
	return find(b.table[hashNode(kind, fn, val, name, args)], kind, fn, val, name, args)
}

func find(chain *Node, kind Kind, fn Func, val float64, name string, args []*Node) *Node {
	for n := chain; n != nil; n = n.next {
		if n.kind == kind && n.fn == fn && math.Float64bits(n.val) == math.Float64bits(val) &&
			n.name == name && slices.Equal(n.args, args) {
			return n
		}
	}
	return nil
}

// lookupNum returns the existing constant v or nil.
func (b *Builder) lookupNum(v float64) *Node {
	if v == 0 {
		v = 0
	}
	return b.lookup(KNum, 0, v, "", nil)
}

// unionSyms returns the union of the children's symbol sets, reusing a
// child's slice when it already equals the union.
func unionSyms(args []*Node) []uint64 {
	var best []uint64
	for _, a := range args {
		if len(a.syms) > len(best) {
			best = a.syms
		}
	}
	if best == nil {
		return nil
	}
	// Is every child's set a subset of best?
	var out []uint64
	for _, a := range args {
		s := a.syms
		if out == nil {
			sub := true
			for i, w := range s {
				if w&^best[i] != 0 {
					sub = false
					break
				}
			}
			if sub {
				continue
			}
			out = slices.Clone(best)
		}
		for i, w := range s {
			out[i] |= w
		}
	}
	if out == nil {
		return best
	}
	return out
}

// Num returns the constant v. Negative zero is normalised to zero.
func (b *Builder) Num(v float64) *Node {
	if v == 0 {
		v = 0
	}
	return b.intern(KNum, 0, v, "", nil)
}

// Sym returns the symbol called name (the same node for the same name).
func (b *Builder) Sym(name string) *Node {
	if s, ok := b.symName[name]; ok {
		return s
	}
	s := b.intern(KSym, 0, 0, name, nil)
	s.sidx = int32(len(b.syms))
	s.syms = make([]uint64, s.sidx/64+1)
	s.syms[s.sidx/64] = 1 << (s.sidx % 64)
	b.syms = append(b.syms, s)
	b.symName[name] = s
	return s
}

// Sub returns x - y.
func (b *Builder) Sub(x, y *Node) *Node { return b.Add(x, b.Neg(y)) }

// Neg returns -x.
func (b *Builder) Neg(x *Node) *Node { return b.Mul(b.minus1, x) }

// Div returns x / y, that is x · y^-1.
func (b *Builder) Div(x, y *Node) *Node { return b.Mul(x, b.Pow(y, b.minus1)) }

// Square returns x^2.
func (b *Builder) Square(x *Node) *Node { return b.Pow(x, b.Num(2)) }

// Sqrt returns x^0.5 (the canonical form of sqrt(x)).
func (b *Builder) Sqrt(x *Node) *Node { return b.Pow(x, b.half) }

// Call returns f(args...). It panics if the arity is wrong (Atan2 takes 2, others 1).
// Calls whose arguments are all numbers are folded; Sqrt becomes x^0.5.
func (b *Builder) Call(f Func, args ...*Node) *Node {
	if f >= numFuncs {
		panic(fmt.Sprintf("symbolic: Call: unknown function %d", f))
	}
	if len(args) != f.Arity() {
		panic(fmt.Sprintf("symbolic: Call: %s takes %d argument(s), got %d", f, f.Arity(), len(args)))
	}
	if f == Sqrt {
		return b.Pow(args[0], b.half)
	}
	x := args[0]
	if f == Atan2 {
		if x.kind == KNum && args[1].kind == KNum {
			return b.Num(math.Atan2(x.val, args[1].val))
		}
	} else if x.kind == KNum {
		return b.Num(applyFunc(f, x.val))
	}
	switch f {
	case Abs:
		if x.kind == KCall && (x.fn == Abs || x.fn == Exp) {
			return x
		}
	case Sign:
		if x.kind == KCall && x.fn == Sign {
			return x
		}
	}
	return b.intern(KCall, f, 0, "", args)
}

// applyFunc evaluates a one-argument function (see funcTable). These are
// exactly the functions the tape and generated code use.
func applyFunc(f Func, x float64) float64 {
	if f < numFuncs && funcTable[f].eval != nil {
		return funcTable[f].eval(x)
	}
	panic(fmt.Sprintf("symbolic: bad function %d", f))
}

// sign is 1 for x > 0, -1 for x < 0 and 0 otherwise (including NaN).
func sign(x float64) float64 {
	if x > 0 {
		return 1
	}
	if x < 0 {
		return -1
	}
	return 0
}
