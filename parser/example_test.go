package parser_test

import (
	"fmt"

	"github.com/lagc/lagc/parser"
)

func ExampleFormat() {
	src := `system   Spring  # a mass on a spring
param m=1,k=2
coord q
lagrangian=0.5*m*dot(q)^2-0.5*k*q ^ 2`
	f, err := parser.Parse("spring.lag", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(parser.Format(f)))
	// Output:
	// system Spring  # a mass on a spring
	// param m = 1, k = 2
	// coord q
	// lagrangian = 0.5*m*dot(q)^2 - 0.5*k*q^2
}

func ExampleParse_error() {
	_, err := parser.Parse("bad.lag", []byte("system A\nlagrangian = 1 +* 2"))
	fmt.Println(err)
	// Output:
	// bad.lag:2:17: syntax error: unexpected token "*" (expected expression)
}
