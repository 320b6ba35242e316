package lagrt_test

import (
	"math"
	"testing"

	"github.com/lagc/lagc/lagrt"
)

// optimQuadratic runs steps of o on f(x) = ½ Σ a_i x_i² with a = (1, 4)
// from x = (1, −0.5) and returns the iterates.
func optimQuadratic(o lagrt.Optimizer, steps int) [][]float64 {
	a := []float64{1, 4}
	x := []float64{1, -0.5}
	var out [][]float64
	for range steps {
		g := []float64{a[0] * x[0], a[1] * x[1]}
		o.Step(x, g)
		out = append(out, append([]float64(nil), x...))
	}
	return out
}

func checkIterates(t *testing.T, name string, got, want [][]float64, tol float64) {
	t.Helper()
	for k := range want {
		for i := range want[k] {
			if math.Abs(got[k][i]-want[k][i]) > tol {
				t.Errorf("%s step %d: x[%d] = %.17g, want %.17g", name, k+1, i, got[k][i], want[k][i])
			}
		}
	}
}

// SGD with momentum: b ← μb + g, x ← x − lr·b (values by hand).
func TestOptimSGD(t *testing.T) {
	got := optimQuadratic(lagrt.NewSGD(0.1, 0.9), 4)
	want := [][]float64{{0.9, -0.3}, {0.72, 0}, {0.486, 0.27}, {0.2268, 0.405}}
	checkIterates(t, "sgd", got, want, 1e-15)

	// Without momentum it is plain gradient descent.
	got = optimQuadratic(lagrt.NewSGD(0.1, 0), 2)
	checkIterates(t, "gd", got, [][]float64{{0.9, -0.3}, {0.81, -0.18}}, 1e-15)
	if n := lagrt.NewSGD(0.1, 0.9).Name(); n != "sgd(lr=0.1, momentum=0.9)" {
		t.Errorf("name %q", n)
	}
}

// Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8 (values from the formulas in
// 40-digit decimal arithmetic).
func TestOptimAdam(t *testing.T) {
	o := lagrt.NewAdam(0.1)
	got := optimQuadratic(o, 3)
	want := [][]float64{
		{0.90000000099999999, -0.40000000049999999},
		{0.80041222971233739, -0.30118742062342934},
		{0.70158627450441421, -0.20487125097072313},
	}
	checkIterates(t, "adam", got, want, 1e-15)
	if n := o.Name(); n != "adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-08)" {
		t.Errorf("name %q", n)
	}
	// Explicit defaults give the same iterates, and Reset restarts.
	o2 := &lagrt.Adam{LR: 0.1, Beta1: lagrt.DefaultAdamBeta1, Beta2: lagrt.DefaultAdamBeta2, Eps: lagrt.DefaultAdamEps}
	checkIterates(t, "adam explicit", optimQuadratic(o2, 3), got, 0)
	o2.Reset()
	checkIterates(t, "adam reset", optimQuadratic(o2, 3), got, 0)
	// The default learning rate.
	if n := lagrt.NewAdam(0).Name(); n != "adam(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-08)" {
		t.Errorf("name %q", n)
	}
}

// Zero gradient entries (frozen parameters) leave parameters unchanged,
// even with accumulated momentum elsewhere.
func TestOptimZeroGradient(t *testing.T) {
	for _, o := range []lagrt.Optimizer{lagrt.NewSGD(0.1, 0.9), lagrt.NewAdam(0.1)} {
		x := []float64{1, 2}
		for range 5 {
			o.Step(x, []float64{x[0], 0})
		}
		if x[1] != 2 || x[0] == 1 {
			t.Errorf("%s: %v", o.Name(), x)
		}
	}
}

// A step with mismatched lengths panics with a clear message.
func TestOptimMismatch(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("no panic")
		}
	}()
	lagrt.NewAdam(0.1).Step(make([]float64, 2), make([]float64, 3))
}
