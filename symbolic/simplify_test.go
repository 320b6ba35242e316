package symbolic

import (
	"math"
	"testing"
)

func TestSimplify(t *testing.T) {
	tests := []struct{ in, want string }{
		// constant folding
		{"(+ 1 2)", "3"},
		{"(* 2 3 0.5)", "3"},
		{"(^ 2 10)", "1024"},
		{"(sin 0)", "0"},
		{"(cos 0)", "1"},
		{"(exp 0)", "1"},
		{"(log 1)", "0"},
		{"(sqrt 4)", "2"},
		{"(atan2 0 1)", "0"},
		{"(abs -3)", "3"},
		{"(sign -3)", "-1"},
		{"(sign 0)", "0"},
		{"(tanh 0)", "0"},
		// neutral and absorbing elements
		{"(+ x 0)", "x"},
		{"(* x 1)", "x"},
		{"(* x 0)", "0"},
		{"(* 0 (sin x))", "0"},
		{"(^ x 1)", "x"},
		{"(^ x 0)", "1"},
		{"(^ 0 x)", "(^ 0 x)"},
		{"(^ 0 2)", "0"},
		{"(^ 1 x)", "1"},
		{"(neg (neg x))", "x"},
		{"(- x x)", "0"},
		{"(/ x x)", "1"},
		// collection of like terms and flattening
		{"(+ (* 2 x) (* 3 x))", "(* 5 x)"},
		{"(+ x x)", "(* 2 x)"},
		{"(+ 1 (* 2 x) (sin y))", "(+ 1 (* 2 x) (sin y))"},
		{"(+ x (+ y (+ x 1)) 2)", "(+ 3 (* 2 x) y)"},
		{"(+ (* 2 x y) (* -2 y x))", "0"},
		{"(+ (* x y) (* y x))", "(* 2 x y)"},
		{"(- (+ x y) x)", "y"},
		{"(* x (* y (* x 2)))", "(* 2 (^ x 2) y)"},
		{"(* 2 (+ x y))", "(+ (* 2 x) (* 2 y))"},
		{"(neg (+ x 1))", "(+ -1 (* -1 x))"},
		{"(- (* 2 (+ x y)) (* 2 x))", "(* 2 y)"},
		{"(* x (+ x y))", "(* x (+ x y))"},
		// powers
		{"(* x x)", "(^ x 2)"},
		{"(* (^ x 2) (^ x -1))", "x"},
		{"(* x (^ x y))", "(^ x (+ 1 y))"},
		{"(^ (^ x 2) 3)", "(^ x 6)"},
		{"(^ (^ x 0.5) 2)", "x"},
		{"(^ (^ x 2) 0.5)", "(^ (^ x 2) 0.5)"},
		{"(^ (* 2 x y) 2)", "(* 4 (^ x 2) (^ y 2))"},
		{"(^ (* x (^ y 0.5)) 2)", "(* (^ x 2) y)"},
		{"(* (sqrt x) (sqrt x))", "x"},
		{"(/ x (sqrt x))", "(^ x 0.5)"},
		{"(* (^ (+ x y) 0.5) (^ (+ x y) 0.5) (^ x -1))", "(* (^ x -1) (+ x y))"},
		{"(/ 1 (^ x 2))", "(^ x -2)"},
		{"(* (^ 2 x) (^ 2 y))", "(^ 2 (+ x y))"},
		// functions
		{"(sin (+ x 0))", "(sin x)"},
		{"(abs (abs x))", "(abs x)"},
		{"(sqrt x)", "(^ x 0.5)"},
		{"(atan2 y x)", "(atan2 y x)"},
	}
	for _, tt := range tests {
		b := NewBuilder()
		b.Sym("x")
		b.Sym("y")
		got := parse(b, tt.in)
		if got.String() != tt.want {
			t.Errorf("%s = %s, want %s", tt.in, got, tt.want)
		}
		checkCanonical(t, got)
	}
}

func TestNumbers(t *testing.T) {
	b := NewBuilder()
	if b.Num(math.Copysign(0, -1)) != b.Num(0) {
		t.Error("-0 not normalised")
	}
	if v := b.Num(2.5).Value(); v != 2.5 {
		t.Errorf("Value = %v", v)
	}
	x := b.Sym("x")
	if x.Value() != 0 || x.Coef() != 0 || x.Name() != "x" || x.Kind() != KSym {
		t.Error("accessors on a symbol")
	}
	if s := b.Add(x, b.Num(3)); s.Coef() != 3 || s.Kind() != KAdd {
		t.Errorf("Coef of %v", s)
	}
}

func TestCallArity(t *testing.T) {
	b := NewBuilder()
	x := b.Sym("x")
	for _, f := range []Func{Sin, Atan2, Exp} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%v with wrong arity did not panic", f)
				}
			}()
			if f.Arity() == 2 {
				b.Call(f, x)
			} else {
				b.Call(f, x, x)
			}
		}()
	}
	for f := Func(0); f < numFuncs; f++ {
		g, ok := FuncByName(f.String())
		if !ok || g != f {
			t.Errorf("FuncByName(%q) = %v, %v", f.String(), g, ok)
		}
	}
}

func TestHashConsing(t *testing.T) {
	b := NewBuilder()
	x, y := b.Sym("x"), b.Sym("y")
	if b.Sym("x") != x {
		t.Fatal("Sym not interned")
	}
	e1 := b.Add(b.Mul(b.Num(2), x, b.Call(Sin, y)), b.Pow(x, b.Num(3)))
	e2 := b.Add(b.Pow(x, b.Num(3)), b.Mul(b.Call(Sin, y), x, b.Num(2)))
	if e1 != e2 {
		t.Fatalf("%v and %v are different nodes", e1, e2)
	}
	// A chain a_i = a_{i-1}·a_{i-1} must stay small in construction,
	// differentiation and evaluation.
	before := b.NumNodes()
	a := b.Add(x, y)
	for range 40 {
		a = b.Mul(a, a)
	}
	if n := b.NumNodes() - before; n > 200 {
		t.Errorf("40-chain created %d nodes", n)
	}
	before = b.NumNodes()
	d := b.Diff(a, x)
	if n := b.NumNodes() - before; n > 200 {
		t.Errorf("derivative of 40-chain created %d nodes", n)
	}
	v := Eval(d, env(x, 0.5, y, 0.5))
	if v != math.Pow(2, 40) {
		t.Errorf("d/dx (x+y)^(2^40) at x+y=1 = %v", v)
	}
	// Same with a sum in the chain (no merging into one power possible).
	before = b.NumNodes()
	c := x
	for range 40 {
		c = b.Add(b.Mul(c, c), y)
	}
	if n := b.NumNodes() - before; n > 400 {
		t.Errorf("40-chain of c²+y created %d nodes", n)
	}
	before = b.NumNodes()
	dc := b.Diff(c, x)
	if n := b.NumNodes() - before; n > 1000 {
		t.Errorf("derivative of c²+y chain created %d nodes", n)
	}
	if got := Eval(dc, env(x, 0.0, y, 0.0)); got != 0 {
		t.Errorf("d/dx at 0 = %v", got)
	}
	p := Compile([]*Node{x, y}, []*Node{c, dc})
	if p.NumInstrs() > 1000 {
		t.Errorf("program for chain has %d instructions", p.NumInstrs())
	}
}

func TestDependsOn(t *testing.T) {
	b := NewBuilder()
	var syms []*Node
	for i := range 200 { // more than one bitset word
		syms = append(syms, b.Sym("s"+string(rune('A'+i%26))+string(rune('a'+i/26))))
	}
	e := b.Add(b.Mul(syms[3], syms[150]), b.Call(Sin, syms[70]))
	for i, s := range syms {
		want := i == 3 || i == 150 || i == 70
		if b.DependsOn(e, s) != want {
			t.Errorf("DependsOn(%v, %v) = %v", e, s, !want)
		}
	}
	late := b.Sym("late")
	if b.DependsOn(e, late) {
		t.Error("depends on a symbol created later")
	}
	if !b.DependsOn(b.Add(e, late), late) {
		t.Error("missing dependency")
	}
}
