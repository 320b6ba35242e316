package symbolic

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func buildAll(b *Builder) (in, out []*Node) {
	in = []*Node{b.Sym("x"), b.Sym("y"), b.Sym("z")}
	for _, src := range diffCases {
		e := parse(b, src)
		out = append(out, e)
		for _, x := range in {
			out = append(out, b.Diff(e, x))
		}
	}
	out = append(out, b.Num(4), in[1], out[0]) // a constant, an input and a repeated output
	return in, out
}

func TestProgramRunMatchesEval(t *testing.T) {
	b := NewBuilder()
	in, out := buildAll(b)
	p := Compile(in, out)
	r := rand.New(rand.NewPCG(3, 4))
	regs := make([]float64, p.NumRegs())
	vals := make([]float64, len(out))
	for range 20 {
		pt := randPoint(r)
		p.Run(regs, pt, vals)
		e := env(in[0], pt[0], in[1], pt[1], in[2], pt[2])
		for j, o := range out {
			want := Eval(o, e)
			if !close(vals[j], want, 1e-12) {
				t.Errorf("output %d %v: Run %v, Eval %v", j, o, vals[j], want)
			}
		}
	}
	allocs := testing.AllocsPerRun(100, func() { p.Run(regs, []float64{0.7, 0.8, 0.9}[:], vals) })
	if allocs != 0 {
		t.Errorf("Run allocates %v times", allocs)
	}
}

func TestProgramZeroAllocs(t *testing.T) {
	b := NewBuilder()
	in, out := buildAll(b)
	p := Compile(in, out)
	regs := make([]float64, p.NumRegs())
	vals := make([]float64, len(out))
	pt := []float64{0.7, 0.8, 0.9}
	if allocs := testing.AllocsPerRun(100, func() { p.Run(regs, pt, vals) }); allocs != 0 {
		t.Errorf("Run allocates %v times per call", allocs)
	}
}

func TestProgramPowers(t *testing.T) {
	b := NewBuilder()
	x, y := b.Sym("x"), b.Sym("y")
	var outs []*Node
	for _, e := range []float64{2, 3, -1, -2, 0.5, -0.5, 4, -3, 1.5, 2.5} {
		outs = append(outs, b.Pow(x, b.Num(e)))
	}
	outs = append(outs, b.Pow(x, y), b.Pow(b.Num(2), y), b.Call(Atan2, y, x), b.Call(Sign, b.Sub(x, y)))
	p := Compile([]*Node{x, y}, outs)
	regs := make([]float64, p.NumRegs())
	got := make([]float64, len(outs))
	xv, yv := 1.7, -0.3 // variables, not constants: Go folds constant expressions exactly
	p.Run(regs, []float64{xv, yv}, got)
	want := []float64{xv * xv, xv * xv * xv, 1 / xv, 1 / (xv * xv), math.Sqrt(xv), 1 / math.Sqrt(xv),
		(xv * xv) * (xv * xv), 1 / (xv * xv * xv), math.Pow(xv, 1.5), math.Pow(xv, 2.5),
		math.Pow(xv, yv), math.Pow(2, yv), math.Atan2(yv, xv), 1}
	for i := range want {
		if got[i] != want[i] { // bit-exact: these are the documented semantics
			t.Errorf("%v: got %v, want %v", outs[i], got[i], want[i])
		}
	}
	if PowPlan(2) != PowSquare || PowPlan(7) != PowInt || PowPlan(17) != PowGeneral || PowPlan(-3) != PowRecipInt || PowPlan(4.5) != PowGeneral || PowPlan(-0.5) != PowRecipSqrt {
		t.Error("PowPlan")
	}
}

// TestProgramOrder checks the documented left-to-right order bit for bit.
func TestProgramOrder(t *testing.T) {
	b := NewBuilder()
	x, y, z := b.Sym("x"), b.Sym("y"), b.Sym("z")
	sum := b.Add(b.Num(0.1), x, y, z)
	prod := b.Mul(b.Num(0.3), x, y, z)
	neg := b.Mul(b.Num(-1), x, y)
	p := Compile([]*Node{x, y, z}, []*Node{sum, prod, neg})
	xv, yv, zv := 1e16, -1e16, 0.7
	out := make([]float64, 3)
	p.Run(make([]float64, p.NumRegs()), []float64{xv, yv, zv}, out)
	if out[0] != 0.1+xv+yv+zv || out[1] != 0.3*xv*yv*zv || out[2] != -xv*yv {
		t.Errorf("got %v", out)
	}
}

func TestProgramTemps(t *testing.T) {
	b := NewBuilder()
	x, y := b.Sym("x"), b.Sym("y")
	s := b.Add(x, y)
	sn := b.Call(Sin, s)
	e1 := b.Mul(sn, x)
	e2 := b.Add(sn, b.Call(Cos, s))
	p := Compile([]*Node{x, y}, []*Node{e1, e2, e2})
	got := []string{}
	for _, tmp := range p.Temps {
		got = append(got, tmp.String())
	}
	want := "(+ x y) (sin (+ x y)) (+ (sin (+ x y)) (cos (+ x y)))"
	if strings.Join(got, " ") != want {
		t.Errorf("Temps = %v, want %v", got, want)
	}
	if i, ok := p.IsTemp(sn); !ok || i != 1 {
		t.Errorf("IsTemp(sin) = %v, %v", i, ok)
	}
	if _, ok := p.IsTemp(e1); ok {
		t.Error("single-use output is a temp")
	}
	// Topological: every temp's temp descendants come earlier.
	b2 := NewBuilder()
	in, out := buildAll(b2)
	p = Compile(in, out)
	for i, tmp := range p.Temps {
		var walk func(n *Node, top bool)
		walk = func(n *Node, top bool) {
			if j, ok := p.IsTemp(n); ok && !top {
				if j >= i {
					t.Errorf("temp %d uses later temp %d", i, j)
				}
				return
			}
			for _, a := range n.args {
				walk(a, false)
			}
		}
		walk(tmp, true)
	}
}

func TestCompilePanics(t *testing.T) {
	b := NewBuilder()
	x, y := b.Sym("x"), b.Sym("y")
	for name, f := range map[string]func(){
		"missing": func() { Compile([]*Node{x}, []*Node{b.Add(x, y)}) },
		"dup":     func() { Compile([]*Node{x, x}, []*Node{x}) },
		"nonsym":  func() { Compile([]*Node{b.Add(x, y)}, []*Node{x}) },
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil {
					t.Errorf("%s: no panic", name)
				} else if name == "missing" && !strings.Contains(r.(string), `"y"`) {
					t.Errorf("unclear message %q", r)
				}
			}()
			f()
		}()
	}
}

// TestDeterminism builds the same expressions twice and compares all output.
func TestDeterminism(t *testing.T) {
	dump := func() string {
		b := NewBuilder()
		in, out := buildAll(b)
		p := Compile(in, out)
		var sb strings.Builder
		for _, o := range out {
			sb.WriteString(o.String() + "\n" + Infix(o) + "\n" + LaTeX(o, nil) + "\n")
		}
		for _, tmp := range p.Temps {
			sb.WriteString(tmp.String() + "\n")
		}
		return sb.String()
	}
	if a, c := dump(), dump(); a != c {
		t.Error("two identical builds differ")
	}
}

func BenchmarkRun(bm *testing.B) {
	b := NewBuilder()
	in, out := buildAll(b)
	p := Compile(in, out)
	regs := make([]float64, p.NumRegs())
	vals := make([]float64, len(out))
	pt := []float64{0.7, 0.8, 0.9}
	for bm.Loop() {
		p.Run(regs, pt, vals)
	}
}

// TestProgramRunPrefix: every prefix of the outputs is computed by a prefix
// of the tape, bit for bit as the full run, needing a prefix of Temps.
func TestProgramRunPrefix(t *testing.T) {
	b := NewBuilder()
	in, out := buildAll(b)
	p := Compile(in, out)
	regs := make([]float64, p.NumRegs())
	full := make([]float64, len(out))
	pt := []float64{0.7, 0.8, 0.9}
	p.Run(regs, pt, full)
	last := 0
	for n := 0; n <= len(out); n++ {
		got := make([]float64, len(out))
		for i := range got {
			got[i] = math.NaN()
		}
		clear(regs)
		p.RunPrefix(regs, pt, got, n)
		for j := range n {
			if math.Float64bits(got[j]) != math.Float64bits(full[j]) {
				t.Errorf("prefix %d: output %d = %v, full run %v", n, j, got[j], full[j])
			}
		}
		for j := n; j < len(out); j++ {
			if !math.IsNaN(got[j]) {
				t.Errorf("prefix %d wrote output %d", n, j)
			}
		}
		k := p.TempsBefore(n)
		if k < last || k > len(p.Temps) {
			t.Errorf("TempsBefore(%d) = %d after %d (of %d)", n, k, last, len(p.Temps))
		}
		// Every temp a prefix output depends on is among Temps[:k].
		for j := range n {
			var check func(e *Node)
			check = func(e *Node) {
				if i, ok := p.IsTemp(e); ok && i >= k {
					t.Errorf("output %d of prefix %d needs temp %d ≥ TempsBefore = %d", j, n, i, k)
					return
				}
				for _, a := range e.Args() {
					check(a)
				}
			}
			check(out[j])
		}
		last = k
	}
	if last != len(p.Temps) {
		t.Errorf("TempsBefore(all) = %d, want %d", last, len(p.Temps))
	}
	if a := testing.AllocsPerRun(100, func() { p.RunPrefix(regs, pt, full, len(out)/2) }); a != 0 {
		t.Errorf("RunPrefix allocates %v times", a)
	}
}

// TestProgramPowInt checks the multiplied-out integer powers bit for bit
// against the documented recursion, and against math.Pow to rounding.
func TestProgramPowInt(t *testing.T) {
	var pow func(x float64, n int) float64
	pow = func(x float64, n int) float64 {
		switch {
		case n == 1:
			return x
		case n%2 == 0:
			h := pow(x, n/2)
			return h * h
		}
		return pow(x, n-1) * x
	}
	b := NewBuilder()
	x := b.Sym("x")
	base := b.Add(b.Num(0.25), x) // a sum: a temporary, not printed twice
	var outs []*Node
	for n := 2; n <= MaxPowInt; n++ {
		outs = append(outs, b.Pow(base, b.Num(float64(n))), b.Pow(base, b.Num(-float64(n))))
	}
	p := Compile([]*Node{x}, outs)
	if _, ok := p.IsTemp(base); !ok {
		t.Error("the base of a multiplied-out power is not a temporary")
	}
	for _, xv := range []float64{1.37, -0.81, 3.5} {
		got := make([]float64, len(outs))
		p.Run(make([]float64, p.NumRegs()), []float64{xv}, got)
		bv := 0.25 + xv
		for i, n := 0, 2; n <= MaxPowInt; i, n = i+2, n+1 {
			want, wantR := pow(bv, n), 1/pow(bv, n)
			if n == 2 {
				wantR = 1 / (bv * bv)
			}
			if got[i] != want || got[i+1] != wantR {
				t.Errorf("x=%v n=%d: got %v, %v, want %v, %v", bv, n, got[i], got[i+1], want, wantR)
			}
			if math.Abs(got[i]-math.Pow(bv, float64(n))) > 1e-14*math.Abs(want) {
				t.Errorf("x=%v n=%d: %v is not math.Pow's %v", bv, n, got[i], math.Pow(bv, float64(n)))
			}
		}
	}
}
