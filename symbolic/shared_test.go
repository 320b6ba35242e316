package symbolic

import (
	"strings"
	"testing"
)

// tower returns a_n for a_0 = x, a_i = sin(a_{i-1})*a_{i-1}.
func tower(b *Builder, x *Node, n int) *Node {
	a := x
	for range n {
		a = b.Mul(b.Call(Sin, a), a)
	}
	return a
}

func TestPrintShared(t *testing.T) {
	tests := []struct {
		name  string
		build func(b *Builder) []*Node
		opts  PrintOptions
		want  string // expressions, one per line, then "where" and the temporaries
	}{
		{"no sharing", func(b *Builder) []*Node {
			return []*Node{parse(b, "(+ (* 0.5 m (^ v 2)) (* -1 k (^ x 2)))")}
		}, PrintOptions{}, "0.5*m*v^2 - k*x^2"},
		{"small shared subexpressions stay inline", func(b *Builder) []*Node {
			return []*Node{parse(b, "(sin (+ x v))"), parse(b, "(cos (+ x v))")}
		}, PrintOptions{}, "sin(x + v)\ncos(x + v)"},
		{"shared above the threshold", func(b *Builder) []*Node {
			s := parse(b, "(+ x v k)")
			return []*Node{b.Call(Sin, s), b.Mul(b.Call(Cos, s), parse(b, "m"))}
		}, PrintOptions{MinSize: 5}, "sin(w1)\nm*cos(w1)\nwhere\nw1 = x + v + k"},
		{"a root is printed in full", func(b *Builder) []*Node {
			s := parse(b, "(+ x v k)")
			return []*Node{s, b.Call(Sin, s)}
		}, PrintOptions{MinSize: 5}, "x + v + k\nsin(w1)\nwhere\nw1 = x + v + k"},
		{"names of symbols are skipped", func(b *Builder) []*Node {
			s := parse(b, "(+ x v w1)")
			return []*Node{b.Call(Sin, s), b.Call(Cos, s)}
		}, PrintOptions{MinSize: 5}, "sin(w2)\ncos(w2)\nwhere\nw2 = x + v + w1"},
		{"negative terms and denominators", func(b *Builder) []*Node {
			s := parse(b, "(* -1 x v k)")
			d := parse(b, "(^ (+ x v k) -1)")
			return []*Node{b.Add(v(b), s), b.Add(s, d, b.Mul(m(b), d))}
		}, PrintOptions{MinSize: 5}, "v + w1\nw2 + w1 + m*w2\nwhere\nw1 = -k*v*x\nw2 = 1/(x + v + k)"},
		{"latex", func(b *Builder) []*Node {
			s := parse(b, "(+ x v th_ref)")
			return []*Node{b.Call(Sin, s), b.Call(Cos, s)}
		}, PrintOptions{LaTeX: true, MinSize: 5}, `\sin\left(w_{1}\right)` + "\n" + `\cos\left(w_{1}\right)` +
			"\nwhere\n" + `w_{1} = x + v + \mathrm{th}_{\mathrm{ref}}`},
		{"tower", func(b *Builder) []*Node {
			x := b.Sym("x")
			a := tower(b, x, 3)
			return []*Node{a, b.Diff(a, x)}
		}, PrintOptions{MinSize: 20},
			"x*sin(w1)*sin(x)*sin(x*sin(x))\n" +
				"x*cos(w1)*sin(x)*sin(x*sin(x))*w2*w3 + sin(w1)*w2*w3\n" +
				"where\nw1 = x*sin(x)*sin(x*sin(x))\nw2 = sin(x) + x*cos(x)\nw3 = sin(x*sin(x)) + x*cos(x*sin(x))*sin(x)"},
	}
	for _, tt := range tests {
		b := NewBuilder()
		for _, s := range []string{"x", "v", "k", "m"} {
			b.Sym(s)
		}
		l := PrintShared(tt.build(b), tt.opts)
		got := strings.Join(l.Exprs, "\n")
		if len(l.Temps) > 0 {
			got += "\nwhere"
			for _, tmp := range l.Temps {
				got += "\n" + tmp.Name + " = " + tmp.Expr
			}
		}
		if got != tt.want {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

func v(b *Builder) *Node { return b.Sym("v") }
func m(b *Builder) *Node { return b.Sym("m") }

// TestPrintSharedLinear checks that the printed size of a let tower and
// its derivative grows polynomially (flat products make it quadratic),
// where Infix grows exponentially.
func TestPrintSharedLinear(t *testing.T) {
	size := func(n int) int {
		b := NewBuilder()
		x := b.Sym("x")
		a := tower(b, x, n)
		l := PrintShared([]*Node{a, b.Diff(a, x)}, PrintOptions{})
		total := 0
		for _, s := range l.Exprs {
			total += len(s)
		}
		for _, tmp := range l.Temps {
			total += len(tmp.Expr)
		}
		return total
	}
	s20, s40 := size(20), size(40)
	if r := float64(s40) / float64(s20); r > 4.5 {
		t.Errorf("printed size %d at 20 lets, %d at 40 (%.1fx)", s20, s40, r)
	}
}

func TestTreeSize(t *testing.T) {
	b := NewBuilder()
	x := b.Sym("x")
	for _, n := range []int{0, 1, 3, 6} {
		e := tower(b, x, n)
		got, want := TreeSize(e), len(Infix(e))
		if got < want/2 || got > 2*want {
			t.Errorf("TreeSize(a%d) = %d, Infix has %d bytes", n, got, want)
		}
	}
	if s, ok := InfixMax(tower(b, x, 2), 100); !ok || s != "x*sin(x)*sin(x*sin(x))" {
		t.Errorf("InfixMax = %q, %v", s, ok)
	}
	// 2^200 bytes as a tree: refused without printing, and no overflow.
	if s, ok := InfixMax(tower(b, x, 200), 1000); ok || s != "" {
		t.Errorf("InfixMax of a 200-let tower = %d bytes, %v", len(s), ok)
	}
	if n := TreeSize(tower(b, x, 200)); n <= 1000 {
		t.Errorf("TreeSize of a 200-let tower = %d", n)
	}
}

func TestLaTeXName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"x", "x"},
		{"m1", "m_{1}"},
		{"th1", `\mathrm{th}_{1}`},
		{"ref", `\mathrm{ref}`},
		{"θ", `\theta`},
		{"θ_ref", `\theta_{\mathrm{ref}}`},
		{"theta_ref", `\theta_{\mathrm{ref}}`},
		{"kappa", `\kappa`},
		{"omega", `\omega`},
		{"Omega", `\Omega`},
		{"phi", `\phi`},
		{"φ", `\varphi`},
		{"ω2", `\omega_{2}`},
		{"x[2]", "x_{2}"},
		{"W[0][1]", "W_{0,1}"},
		{"k_a[1]", "k_{a,1}"},
		{"a_b_c", "a_{b_{c}}"},
		{"x_", `\mathrm{x\_}`},
		{"_x", `\mathrm{\_x}`},
		{"ωd", `\mathrm{{\omega}d}`},
		{"Κ", "K"},
		{"café", `\mathrm{café}`},
		{"dot(θ)", `\dot{\theta}`},
		{"dot(th1)", `\dot{\mathrm{th}}_{1}`},
		{"ddot(x[1])", `\ddot{x}_{1}`},
	}
	for _, tt := range tests {
		if got := LaTeXName(tt.in); got != tt.want {
			t.Errorf("LaTeXName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGreekName(t *testing.T) {
	for r, want := range map[rune]string{'κ': "kappa", 'θ': "theta", 'Ω': "Omega", 'φ': "phi", 'ϕ': "phi"} {
		if got, ok := GreekName(r); !ok || got != want {
			t.Errorf("GreekName(%q) = %q, %v, want %q", r, got, ok, want)
		}
	}
	if _, ok := GreekName('k'); ok {
		t.Error("GreekName('k') reports a Greek letter")
	}
}
