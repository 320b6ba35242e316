package symbolic_test

import (
	"fmt"

	"github.com/lagc/lagc/symbolic"
)

func Example() {
	b := symbolic.NewBuilder()
	m, v, k, q := b.Sym("m"), b.Sym("v"), b.Sym("k"), b.Sym("q")
	L := b.Sub(b.Mul(b.Num(0.5), m, b.Square(v)), b.Mul(b.Num(0.5), k, b.Square(q)))
	fmt.Println(symbolic.Infix(L))
	fmt.Println(b.Diff(L, v))
	fmt.Println(symbolic.Infix(b.Diff(L, q)))
	fmt.Println(symbolic.LaTeX(L, nil))
	// Output:
	// 0.5*m*v^2 - 0.5*k*q^2
	// (* m v)
	// -k*q
	// 0.5 m v^{2} - 0.5 k q^{2}
}

func ExampleCompile() {
	b := symbolic.NewBuilder()
	x, y := b.Sym("x"), b.Sym("y")
	s := b.Call(symbolic.Sin, b.Mul(x, y))
	p := symbolic.Compile([]*symbolic.Node{x, y}, []*symbolic.Node{b.Diff(s, x), b.Diff(s, y)})
	for i, t := range p.Temps {
		fmt.Printf("t%d = %s\n", i, symbolic.Infix(t))
	}
	out := make([]float64, 2)
	p.Run(make([]float64, p.NumRegs()), []float64{2, 0}, out)
	fmt.Println(out)
	// Output:
	// t0 = cos(x*y)
	// [0 2]
}
