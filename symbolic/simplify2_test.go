package symbolic

import "testing"

// TestSimplifyDisplay covers Builder.Simplify: expansion where it
// shrinks, Pythagoras after expansion, angle addition, grouping, and
// values preserved.
func TestSimplifyDisplay(t *testing.T) {
	tests := []struct{ in, want string }{
		// elastic pendulum p_r
		{"(* m (+ (* (sin x) (+ (* v (sin x)) (* y l (cos x)))) (* -1 (cos x) (+ (* y l (sin x)) (* -1 v (cos x))))))", "m*v"},
		// kept factored where expanding is longer
		{"(* 0.5 k (^ (+ l (* -1 a)) 2))", "0.5*k*(a - l)^2"},
		// angle addition
		{"(+ (* (cos x) (cos y)) (* (sin x) (sin y)))", "cos(x - y)"},
		{"(+ (* (cos x) (cos y)) (* -1 (sin x) (sin y)))", "cos(x + y)"},
		{"(+ (* m (sin x) (cos y)) (* -1 m (cos x) (sin y)))", "m*sin(x - y)"},
		{"(+ (* (sin x) (cos y)) (* (cos x) (sin y)))", "sin(x + y)"},
		// grouping by a common cofactor
		{"(+ (* a l m) (* b l m))", "l*m*(a + b)"},
		// nothing to do
		{"(+ x (sin y))", "x + sin(y)"},
	}
	for _, tt := range tests {
		b := newRuleBuilder()
		b.Sym("v")
		b.Sym("k")
		e := parse(b, tt.in)
		got := b.Simplify(e)
		if s := Infix(got); s != tt.want {
			t.Errorf("Simplify(%s) = %s, want %s", tt.in, s, tt.want)
		}
		if TreeSize(got) > TreeSize(e) {
			t.Errorf("Simplify(%s) grew: %s", tt.in, Infix(got))
		}
		env := map[*Node]float64{}
		for i, s := range b.Symbols() {
			env[s] = 0.3 + 0.37*float64(i)
		}
		if a, c := Eval(e, env), Eval(got, env); !close(a, c, 1e-12) {
			t.Errorf("Simplify(%s) = %s changes the value: %v, %v", tt.in, Infix(got), a, c)
		}
		if b.Simplify(e) != got {
			t.Errorf("Simplify(%s) not memoised", tt.in)
		}
	}
}
