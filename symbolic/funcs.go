package symbolic

import "math"

// funcInfo describes a built-in function. funcTable is the one table of
// built-in functions: names and arity ([Func.String], [Func.Arity],
// [FuncByName], [SourceFuncs]), evaluation (constant folding, [Eval], the
// [Program] tape), derivatives ([Builder.Diff]), printing ([Infix],
// [LaTeX]) and the Go expression code generators call ([Func.GoName]) all
// derive from it. Adding a function means adding a constant and a row.
type funcInfo struct {
	name   string
	arity  int
	source bool   // callable from .lag source (Sign is internal)
	latex  string // LaTeX operator; Abs and Sqrt print as |x| and \sqrt{x}
	goName string // Go function generated code calls
	eval   func(float64) float64
	eval2  func(y, x float64) float64 // arity 2
	// deriv returns f'(u) for the call e = f(u) (arity 1); nil means 0.
	deriv func(b *Builder, e, u *Node) *Node
}

var funcTable [numFuncs]funcInfo

// init fills funcTable (assigned here, not in its declaration, because the
// derivative rules call Builder methods that read the table).
func init() {
	funcTable = [numFuncs]funcInfo{
		Sin: {name: "sin", latex: `\sin`, goName: "math.Sin", eval: math.Sin,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Call(Cos, u) }},
		Cos: {name: "cos", latex: `\cos`, goName: "math.Cos", eval: math.Cos,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Neg(b.Call(Sin, u)) }},
		Tan: {name: "tan", latex: `\tan`, goName: "math.Tan", eval: math.Tan,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Add(b.one, b.Square(e)) }},
		Asin: {name: "asin", latex: `\arcsin`, goName: "math.Asin", eval: math.Asin,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Pow(b.Sub(b.one, b.Square(u)), b.Num(-0.5)) }},
		Acos: {name: "acos", latex: `\arccos`, goName: "math.Acos", eval: math.Acos,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Neg(b.Pow(b.Sub(b.one, b.Square(u)), b.Num(-0.5))) }},
		Atan: {name: "atan", latex: `\arctan`, goName: "math.Atan", eval: math.Atan,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Pow(b.Add(b.one, b.Square(u)), b.minus1) }},
		Atan2: {name: "atan2", arity: 2, latex: `\operatorname{atan2}`, goName: "math.Atan2", eval2: math.Atan2},
		Sinh: {name: "sinh", latex: `\sinh`, goName: "math.Sinh", eval: math.Sinh,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Call(Cosh, u) }},
		Cosh: {name: "cosh", latex: `\cosh`, goName: "math.Cosh", eval: math.Cosh,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Call(Sinh, u) }},
		Tanh: {name: "tanh", latex: `\tanh`, goName: "math.Tanh", eval: math.Tanh,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Sub(b.one, b.Square(e)) }},
		Exp: {name: "exp", latex: `\exp`, goName: "math.Exp", eval: math.Exp,
			deriv: func(b *Builder, e, u *Node) *Node { return e }},
		Log: {name: "log", latex: `\log`, goName: "math.Log", eval: math.Log,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Pow(u, b.minus1) }},
		Sqrt: {name: "sqrt", latex: `\sqrt`, goName: "math.Sqrt", eval: math.Sqrt,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Mul(b.half, b.Pow(u, b.Num(-0.5))) }},
		Abs: {name: "abs", latex: `\operatorname{abs}`, goName: "math.Abs", eval: math.Abs,
			deriv: func(b *Builder, e, u *Node) *Node { return b.Call(Sign, u) }},
		Sign: {name: "sign", latex: `\operatorname{sign}`, goName: "lagrt.Sign", eval: sign},
	}
	for f := range funcTable {
		t := &funcTable[f]
		if t.arity == 0 {
			t.arity = 1
		}
		t.source = Func(f) != Sign
	}
}

// GoName returns the Go function generated code calls for f: "math.Sin",
// ..., "math.Atan2", and "lagrt.Sign" (package lagrt of this module) for
// Sign. Its semantics are those of the [Program] tape.
func (f Func) GoName() string {
	if f < numFuncs {
		return funcTable[f].goName
	}
	return ""
}

// LaTeXName returns the LaTeX operator of f (`\sin`, `\arctan`,
// `\operatorname{atan2}`, ...). [LaTeX] prints Abs as |x| and Sqrt as
// \sqrt{x} instead.
func (f Func) LaTeXName() string {
	if f < numFuncs {
		return funcTable[f].latex
	}
	return ""
}

// Apply evaluates f at args (len(args) must be f.Arity()) with the
// semantics of the [Program] tape.
func (f Func) Apply(args ...float64) float64 {
	if f == Atan2 {
		return math.Atan2(args[0], args[1])
	}
	return applyFunc(f, args[0])
}

// SourceFuncs returns the built-in functions that .lag source may call, in
// the order of the Func constants (every function but Sign).
func SourceFuncs() []Func {
	var out []Func
	for f := Func(0); f < numFuncs; f++ {
		if funcTable[f].source {
			out = append(out, f)
		}
	}
	return out
}
