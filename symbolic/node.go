package symbolic

import (
	"strconv"
	"strings"
)

// Kind is the kind of an expression node.
type Kind uint8

// Node kinds.
const (
	KNum  Kind = iota // numeric constant: Value()
	KSym              // symbol: Name()
	KAdd              // Coef() + Σ Args()[i]   (no Num among Args; like terms collected)
	KMul              // Coef() · Π Args()[i]   (no Num among Args; bases with powers merged)
	KPow              // Args()[0] ^ Args()[1]
	KCall             // Func()(Args()...)
)

var kindNames = [...]string{KNum: "num", KSym: "sym", KAdd: "add", KMul: "mul", KPow: "pow", KCall: "call"}

// String returns a short lower-case name of the kind ("num", "add", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Func is a built-in function.
type Func uint8

// Built-in functions. Sign is sign(x) (0 at 0), used by d/dx abs(x).
//
// Sqrt is accepted by [Builder.Call] but canonicalised to x^0.5 (a KPow), so
// no KCall node ever carries Sqrt; printers show x^0.5 as sqrt(x).
const (
	Sin Func = iota
	Cos
	Tan
	Asin
	Acos
	Atan
	Atan2 // atan2(y, x)
	Sinh
	Cosh
	Tanh
	Exp
	Log
	Sqrt
	Abs
	Sign
	numFuncs
)

// String returns the lower-case name of the function as written in source
// ("sin", "atan2", ...).
func (f Func) String() string {
	if f < numFuncs {
		return funcTable[f].name
	}
	return "func(" + strconv.Itoa(int(f)) + ")"
}

// Arity returns the number of arguments f takes (2 for Atan2, 1 otherwise).
func (f Func) Arity() int {
	if f < numFuncs {
		return funcTable[f].arity
	}
	return 1
}

// FuncByName returns the built-in function called name (as printed by
// [Func.String]) and whether it exists.
func FuncByName(name string) (Func, bool) {
	for f := Func(0); f < numFuncs; f++ {
		if funcTable[f].name == name {
			return f, true
		}
	}
	return 0, false
}

// Node is an immutable, hash-consed expression. Two structurally equal
// expressions built by the same Builder are the same *Node.
type Node struct {
	kind  Kind
	fn    Func
	flags uint8 // flag* bits, see below
	id    int32
	sidx  int32   // symbol index for KSym (bit in syms), -1 otherwise
	val   float64 // KNum value, KAdd constant term, KMul coefficient
	name  string  // KSym name
	args  []*Node
	hash  uint64
	next  *Node    // hash-table chain
	syms  []uint64 // bitset of free symbols (by sidx); nil when constant; shared with children when equal
}

// Node flags. flagCos2 is set at creation on a power cos(u)^n with an integer
// n ≥ 2 and on a product having such a factor; it lets [Builder.Add] skip the
// Pythagorean rule in O(1) for sums without such terms. flagContent is set
// once the content of a sum (see Builder.content) has been computed and
// flagPrimitive when that content is trivial. The last two are written
// lazily, but only by Builder methods, so under the Builder's single-user
// rule they never race.
const (
	flagCos2 uint8 = 1 << iota
	flagContent
	flagPrimitive
)

// Kind returns the node kind.
func (n *Node) Kind() Kind { return n.kind }

// Value returns the value of a KNum node (0 for other kinds).
func (n *Node) Value() float64 {
	if n.kind != KNum {
		return 0
	}
	return n.val
}

// Name returns the name of a KSym node ("" for other kinds).
func (n *Node) Name() string { return n.name }

// Func returns the function of a KCall node.
func (n *Node) Func() Func { return n.fn }

// Coef returns the numeric coefficient of a KAdd (additive constant) or KMul
// (factor) node. It returns 0 for other kinds.
func (n *Node) Coef() float64 {
	if n.kind == KAdd || n.kind == KMul {
		return n.val
	}
	return 0
}

// Args returns the children in canonical order. The slice must not be modified.
func (n *Node) Args() []*Node { return n.args }

// ID returns a number unique within the Builder, increasing in creation order.
func (n *Node) ID() int { return int(n.id) }

// IsNum reports whether n is the numeric constant v.
func (n *Node) IsNum(v float64) bool { return n.kind == KNum && n.val == v }

// IsConst reports whether n contains no symbols.
func (n *Node) IsConst() bool { return n.syms == nil }

// String returns an S-expression such as (+ 1 (* 2 x) (sin y)).
//
// Numbers print with strconv 'g' formatting; KAdd prints its constant first
// (omitted when 0), KMul its coefficient first (omitted when 1), KPow as
// (^ base exp). The output is a tree: shared subexpressions are printed each
// time they occur, so use it for tests and debugging of small expressions.
func (n *Node) String() string {
	var sb strings.Builder
	n.sexpr(&sb)
	return sb.String()
}

func formatNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func (n *Node) sexpr(sb *strings.Builder) {
	switch n.kind {
	case KNum:
		sb.WriteString(formatNum(n.val))
		return
	case KSym:
		sb.WriteString(n.name)
		return
	}
	sb.WriteByte('(')
	switch n.kind {
	case KAdd:
		sb.WriteByte('+')
		if n.val != 0 {
			sb.WriteByte(' ')
			sb.WriteString(formatNum(n.val))
		}
	case KMul:
		sb.WriteByte('*')
		if n.val != 1 {
			sb.WriteByte(' ')
			sb.WriteString(formatNum(n.val))
		}
	case KPow:
		sb.WriteByte('^')
	case KCall:
		sb.WriteString(n.fn.String())
	}
	for _, a := range n.args {
		sb.WriteByte(' ')
		a.sexpr(sb)
	}
	sb.WriteByte(')')
}

// FreeSymbols returns the symbols of e in a deterministic order: first
// occurrence in a depth-first walk of its DAG, arguments in order. The
// cost is the size of the DAG.
func FreeSymbols(e *Node) []*Node {
	var (
		out  []*Node
		seen = map[*Node]bool{}
		walk func(*Node)
	)
	walk = func(x *Node) {
		if seen[x] {
			return
		}
		seen[x] = true
		if x.kind == KSym {
			out = append(out, x)
			return
		}
		for _, a := range x.args {
			walk(a)
		}
	}
	walk(e)
	return out
}
