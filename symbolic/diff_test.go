package symbolic

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// diffCases use symbols x, y, z; they are evaluated at random points with
// x ∈ [0.5, 1.5], y ∈ [0.3, 1.3], z ∈ [0.2, 1.2], where every case is smooth.
var diffCases = []string{
	"(sin (* x y))",
	"(cos (+ (^ x 2) y))",
	"(tan (* 0.3 x y))",
	"(asin (* 0.5 (sin (* x y))))",
	"(acos (* 0.4 (cos (+ x z))))",
	"(atan (- (* x y) z))",
	"(atan2 y x)",
	"(atan2 (* x z) (- 1 (^ y 2)))",
	"(sinh (* x y))",
	"(cosh (- x z))",
	"(tanh (* x y z))",
	"(exp (* x (sin y)))",
	"(log (+ 1 (^ x 2) (^ y 2)))",
	"(log (* x y))",
	"(sqrt (+ 1 (* (^ x 2) (^ y 2))))",
	"(abs (- (* x y) 3))",
	"(abs (sin (* 3 x z)))",
	"(* (sign (- x 0.4)) (^ y 2))",
	"(^ x y)",
	"(^ (+ x y) z)",
	"(^ 2 (* x y))",
	"(* (^ x -2.5) y)",
	"(^ x 1.5)",
	"(/ (+ (* x y) z) (+ (^ x 2) 1))",
	"(/ 1 (* x y z))",
	"(* (+ x y) (+ y z) (+ z x))",
	"(* (^ (+ x y) 3) (sin (* (+ x y) z)))",
	"(+ (* 0.5 z (+ (^ (* y (cos x)) 2) (^ (* y (sin x)) 2))) (* z 9.81 y (cos x)))",
	"(sqrt (+ (^ (sin x) 2) (^ (cos (* x y)) 2) z))",
	"(exp (neg (/ (^ (- x y) 2) (* 2 (^ z 2)))))",
	"(log (+ 2 (tanh (* x (atan (* y z))))))",
	"(* x (^ (+ x (^ y 0.5)) -0.5) (acos (* 0.3 z)))",
}

func randPoint(r *rand.Rand) []float64 {
	return []float64{0.5 + r.Float64(), 0.3 + r.Float64(), 0.2 + r.Float64()}
}

// TestDiffFiniteDifferences checks every first and second derivative of
// every case against central finite differences of Eval at random points.
func TestDiffFiniteDifferences(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, src := range diffCases {
		b := NewBuilder()
		xs := []*Node{b.Sym("x"), b.Sym("y"), b.Sym("z")}
		e := parse(b, src)
		evalAt := func(n *Node, p []float64) float64 {
			return Eval(n, env(xs[0], p[0], xs[1], p[1], xs[2], p[2]))
		}
		grad := make([]*Node, 3)
		for i, x := range xs {
			grad[i] = b.Diff(e, x)
			checkCanonical(t, grad[i])
		}
		for range 5 {
			p := randPoint(r)
			num := fd.Gradient(nil, func(q []float64) float64 { return evalAt(e, q) }, p, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			for i := range xs {
				got := evalAt(grad[i], p)
				if !close(got, num[i], 1e-6) {
					t.Errorf("d/d%v %s at %v: symbolic %v, finite differences %v (derivative %v)", xs[i], src, p, got, num[i], grad[i])
				}
				// Second derivatives: finite differences of the symbolic first derivative.
				num2 := fd.Gradient(nil, func(q []float64) float64 { return evalAt(grad[i], q) }, p, &fd.Settings{Formula: fd.Central, Step: 1e-6})
				for j, x := range xs {
					got2 := evalAt(b.Diff(grad[i], x), p)
					if !close(got2, num2[j], 1e-5) {
						t.Errorf("d²/d%vd%v %s at %v: symbolic %v, finite differences %v", xs[i], x, src, p, got2, num2[j])
					}
				}
			}
		}
		checkAllNodes(t, b)
	}
}

// checkAllNodes runs the canonical-form check on every node b has created.
func checkAllNodes(t *testing.T, b *Builder) {
	t.Helper()
	count := 0
	for _, n := range b.table {
		for ; n != nil; n = n.next {
			count++
			if err := canonicalError(n); err != "" {
				t.Errorf("non-canonical node %v: %s", n, err)
			}
		}
	}
	if count != b.NumNodes() {
		t.Errorf("table holds %d nodes, NumNodes = %d", count, b.NumNodes())
	}
}

func close(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*(1+math.Max(math.Abs(a), math.Abs(b)))
}

func TestDiffRules(t *testing.T) {
	tests := []struct{ e, want string }{
		{"(+ 1 (* 3 x) y)", "3"},
		{"(* x y)", "y"},
		{"(^ x 3)", "(* 3 (^ x 2))"},
		{"(sin x)", "(cos x)"},
		{"(cos x)", "(* -1 (sin x))"},
		{"(exp (* 2 x))", "(* 2 (exp (* 2 x)))"},
		{"(log x)", "(^ x -1)"},
		{"(sqrt x)", "(* 0.5 (^ x -0.5))"},
		{"(abs x)", "(sign x)"},
		{"(sign x)", "0"},
		{"(sin y)", "0"},
		{"(^ 2 x)", "(* 0.6931471805599453 (^ 2 x))"},
	}
	for _, tt := range tests {
		b := NewBuilder()
		x := b.Sym("x")
		b.Sym("y")
		got := b.Diff(parse(b, tt.e), x)
		if got.String() != tt.want {
			t.Errorf("d/dx %s = %v, want %s", tt.e, got, tt.want)
		}
	}
}

func TestDiffMemo(t *testing.T) {
	b := NewBuilder()
	x := b.Sym("x")
	e := parse(b, "(sin (* x (cos x)))")
	d1 := b.Diff(e, x)
	n := b.NumNodes()
	if d2 := b.Diff(e, x); d2 != d1 || b.NumNodes() != n {
		t.Error("second Diff was not memoised")
	}
	defer func() {
		if recover() == nil {
			t.Error("Diff with respect to a non-symbol did not panic")
		}
	}()
	b.Diff(e, b.Mul(x, x))
}

// TestDiffTowerLinear checks that the first and second derivatives of a
// let tower a_i = sin(a_{i-1})*a_{i-1} (one flat product of i factors)
// create a number of nodes linear in its height: the product rule goes
// through the existing sub-product a_{i-1} (diffSplit). With the flat rule
// the counts grow quadratically and cubically.
func TestDiffTowerLinear(t *testing.T) {
	count := func(n int) (d, dd int) {
		b := NewBuilder()
		x := b.Sym("x")
		a := tower(b, x, n)
		n0 := b.NumNodes()
		da := b.Diff(a, x)
		n1 := b.NumNodes()
		b.Diff(da, x)
		return n1 - n0, b.NumNodes() - n1
	}
	d30, dd30 := count(30)
	d60, dd60 := count(60)
	if r := float64(d60) / float64(d30); r > 2.2 {
		t.Errorf("first derivative: %d nodes at 30 lets, %d at 60 (%.2fx)", d30, d60, r)
	}
	if r := float64(dd60) / float64(dd30); r > 2.2 {
		t.Errorf("second derivative: %d nodes at 30 lets, %d at 60 (%.2fx)", dd30, dd60, r)
	}
}

// TestDiffSplit checks derivatives through a sub-product against the
// flat product rule numerically.
func TestDiffSplit(t *testing.T) {
	b := NewBuilder()
	x, y := b.Sym("x"), b.Sym("y")
	xy := b.Mul(x, y, b.Call(Sin, x))
	e := b.Mul(b.Num(3), xy, b.Call(Cos, b.Mul(x, y)), b.Call(Exp, x))
	d := b.Diff(e, x)
	env := map[*Node]float64{x: 0.7, y: -1.3}
	f := func(v float64) float64 {
		return 3 * v * -1.3 * math.Sin(v) * math.Cos(v*-1.3) * math.Exp(v)
	}
	h := 1e-6
	if got, want := Eval(d, env), (f(0.7+h)-f(0.7-h))/(2*h); !close(got, want, 1e-6) {
		t.Errorf("d/dx %v = %v, want %v", e, got, want)
	}
}
