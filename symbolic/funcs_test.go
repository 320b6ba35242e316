package symbolic

import (
	"math"
	"strings"
	"testing"
)

// TestFuncTable checks every row of the function table: name round trip,
// arity, Go and LaTeX names, evaluation through Apply, Eval and the tape,
// and the derivative rule against central differences.
func TestFuncTable(t *testing.T) {
	goFuncs := map[Func]func(float64) float64{
		Sin: math.Sin, Cos: math.Cos, Tan: math.Tan, Asin: math.Asin, Acos: math.Acos, Atan: math.Atan,
		Sinh: math.Sinh, Cosh: math.Cosh, Tanh: math.Tanh, Exp: math.Exp, Log: math.Log, Sqrt: math.Sqrt,
		Abs: math.Abs, Sign: sign,
	}
	var names []string
	for f := Func(0); f < numFuncs; f++ {
		if g, ok := FuncByName(f.String()); !ok || g != f {
			t.Errorf("FuncByName(%q) = %v, %v", f.String(), g, ok)
		}
		if !strings.HasPrefix(f.GoName(), "math.") && f.GoName() != "lagrt.Sign" {
			t.Errorf("%v: GoName %q", f, f.GoName())
		}
		if !strings.HasPrefix(f.LaTeXName(), `\`) {
			t.Errorf("%v: LaTeXName %q", f, f.LaTeXName())
		}
		want := 1
		if f == Atan2 {
			want = 2
		}
		if f.Arity() != want {
			t.Errorf("%v: arity %d", f, f.Arity())
		}
		b := NewBuilder()
		x, y := b.Sym("x"), b.Sym("y")
		const x0, y0 = 0.37, 1.21
		args := []*Node{x, y}[:f.Arity()]
		e := b.Call(f, args...)
		env := map[*Node]float64{x: x0, y: y0}
		ref := func(v float64) float64 {
			if f == Atan2 {
				return math.Atan2(v, y0)
			}
			return goFuncs[f](v)
		}
		if got := f.Apply([]float64{x0, y0}[:f.Arity()]...); got != ref(x0) {
			t.Errorf("%v.Apply = %v, want %v", f, got, ref(x0))
		}
		if got := Eval(e, env); got != ref(x0) {
			t.Errorf("Eval(%v) = %v, want %v", e, got, ref(x0))
		}
		p := Compile([]*Node{x, y}, []*Node{e})
		out := make([]float64, 1)
		p.Run(make([]float64, p.NumRegs()), []float64{x0, y0}, out)
		if out[0] != ref(x0) {
			t.Errorf("tape %v = %v, want %v", f, out[0], ref(x0))
		}
		const h = 1e-6
		if got, num := Eval(b.Diff(e, x), env), (ref(x0+h)-ref(x0-h))/(2*h); !close(got, num, 1e-6) {
			t.Errorf("d/dx %v = %v, finite differences %v", e, got, num)
		}
		if f != Sign {
			names = append(names, f.String())
		}
	}
	var src []string
	for _, f := range SourceFuncs() {
		src = append(src, f.String())
	}
	if strings.Join(src, " ") != strings.Join(names, " ") {
		t.Errorf("SourceFuncs = %v, want %v", src, names)
	}
}
