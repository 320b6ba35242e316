package symbolic

import "testing"

func TestInfix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(- (* 0.5 m1 (^ v 2)) (* k q))", "0.5*m1*v^2 - k*q"},
		{"(neg (^ x 2))", "-x^2"},
		{"(^ (neg x) 2)", "x^2"},
		{"(^ (+ x 1) 2)", "(x + 1)^2"},
		{"(* (+ x 1) (+ v 2))", "(v + 2)*(x + 1)"},
		{"(- 1 x)", "-x + 1"},
		{"(/ x v)", "x/v"},
		{"(/ x (* v k))", "x/(k*v)"},
		{"(/ 1 (^ x 2))", "1/x^2"},
		{"(neg (/ (* 2 x) v))", "-2*x/v"},
		{"(sqrt (+ x v))", "sqrt(x + v)"},
		{"(/ 1 (sqrt x))", "1/sqrt(x)"},
		{"(^ x (+ v 1))", "x^(v + 1)"},
		{"(^ 2 x)", "2^x"},
		{"(^ x 2.5)", "x^2.5"},
		{"(atan2 x (- v 1))", "atan2(x, v - 1)"},
		{"(+ x (* -2 v) (sin k))", "x - 2*v + sin(k)"},
		{"(- x 3)", "x - 3"},
		{"-2", "-2"},
		{"(^ (sin x) 2)", "sin(x)^2"},
		{"(^ (^ x 2) 0.5)", "sqrt(x^2)"},
	}
	for _, tt := range tests {
		b := NewBuilder()
		for _, s := range []string{"x", "v", "k", "m1", "q"} {
			b.Sym(s)
		}
		e := parse(b, tt.in)
		if got := Infix(e); got != tt.want {
			t.Errorf("Infix(%v) = %q, want %q", e, got, tt.want)
		}
	}
}

func TestLaTeX(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(- (* 0.5 m (^ v 2)) (* k q))", `0.5 m v^{2} - k q`},
		{"(/ x (* v k))", `\frac{x}{k v}`},
		{"(sqrt (+ x 1))", `\sqrt{x + 1}`},
		{"(sin (* 2 th))", `\sin\left(2 \theta\right)`},
		{"(abs x)", `\left|x\right|`},
		{"(^ (+ x 1) 2)", `\left(x + 1\right)^{2}`},
		{"(* 1e-05 x)", `1 \times 10^{-05} x`},
	}
	name := func(n *Node) string {
		if n.Name() == "th" {
			return `\theta`
		}
		return n.Name()
	}
	for _, tt := range tests {
		b := NewBuilder()
		for _, s := range []string{"x", "v", "k", "m", "q", "th"} {
			b.Sym(s)
		}
		e := parse(b, tt.in)
		if got := LaTeX(e, name); got != tt.want {
			t.Errorf("LaTeX(%v) = %q, want %q", e, got, tt.want)
		}
	}
}
