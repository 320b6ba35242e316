package compiler_test

import (
	"fmt"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/symbolic"
)

func ExampleCompile() {
	src := []byte(`
system Oscillator
param m = 1, k = 4
coord q
lagrangian = 0.5*m*dot(q)^2 - 0.5*k*q^2
`)
	u, err := compiler.Compile("osc.lag", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("p =", symbolic.Infix(u.Deriv.Lv[0]))
	fmt.Println(symbolic.Infix(u.Deriv.EL[0]), "= 0")
	fmt.Println("params:", u.Info.Params, u.Info.Defaults)
	// Output:
	// p = dot(q)*m
	// ddot(q)*m + k*q = 0
	// params: [m k] [1 4]
}

func ExampleCompile_errors() {
	_, err := compiler.Compile("bad.lag", []byte("system S\ncoord q\nlagrangian = 0.5*dot(q)^2 + sin(q, q) + r\n"))
	fmt.Println(err)
	// Output:
	// bad.lag:3:29: sin takes 1 argument, got 2
	// bad.lag:3:41: undefined: r
}
