// Package symbolic: API skeleton. Bodies are being implemented; signatures are the contract.
package symbolic

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

// Func is a built-in function.
type Func uint8

// Built-in functions. Sign is sign(x) (0 at 0), used by d/dx abs(x).
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
)

// Node is an immutable, hash-consed expression. Two structurally equal
// expressions built by the same Builder are the same *Node.
type Node struct{}

// Kind returns the node kind.
func (n *Node) Kind() Kind { panic("todo") }

// Value returns the value of a KNum node.
func (n *Node) Value() float64 { panic("todo") }

// Name returns the name of a KSym node.
func (n *Node) Name() string { panic("todo") }

// Func returns the function of a KCall node.
func (n *Node) Func() Func { panic("todo") }

// Coef returns the numeric coefficient of a KAdd (additive constant) or KMul (factor) node.
func (n *Node) Coef() float64 { panic("todo") }

// Args returns the children in canonical order. The slice must not be modified.
func (n *Node) Args() []*Node { panic("todo") }

// ID returns a number unique within the Builder, increasing in creation order.
func (n *Node) ID() int { panic("todo") }

// String returns an S-expression such as (+ 1 (* 2 x) (sin y)).
func (n *Node) String() string { panic("todo") }

// Builder creates and interns nodes. Not safe for concurrent use.
type Builder struct{}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder { panic("todo") }

// Num returns the constant v.
func (b *Builder) Num(v float64) *Node { panic("todo") }

// Sym returns the symbol called name (the same node for the same name).
func (b *Builder) Sym(name string) *Node { panic("todo") }

// Add returns the simplified sum of xs.
func (b *Builder) Add(xs ...*Node) *Node { panic("todo") }

// Sub returns x - y.
func (b *Builder) Sub(x, y *Node) *Node { panic("todo") }

// Neg returns -x.
func (b *Builder) Neg(x *Node) *Node { panic("todo") }

// Mul returns the simplified product of xs.
func (b *Builder) Mul(xs ...*Node) *Node { panic("todo") }

// Div returns x / y.
func (b *Builder) Div(x, y *Node) *Node { panic("todo") }

// Pow returns x ^ y.
func (b *Builder) Pow(x, y *Node) *Node { panic("todo") }

// Call returns f(args...). It panics if the arity is wrong (Atan2 takes 2, others 1).
func (b *Builder) Call(f Func, args ...*Node) *Node { panic("todo") }

// Diff returns ∂e/∂x for a symbol x, memoised across calls.
func (b *Builder) Diff(e, x *Node) *Node { panic("todo") }

// DependsOn reports whether symbol x occurs in e.
func (b *Builder) DependsOn(e, x *Node) bool { panic("todo") }

// Eval evaluates e with symbol values from env (missing symbols panic).
func Eval(e *Node, env map[*Node]float64) float64 { panic("todo") }

// Program is a straight-line evaluation of several outputs sharing common
// subexpressions, for the interpreter and as the plan code generation prints.
type Program struct{}

// Compile plans the evaluation of outputs given input symbols.
func Compile(inputs []*Node, outputs []*Node) *Program { panic("todo") }
