package compiler_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lagc/lagc/compiler"
)

// TestLetChain: a chain of 40 lets, each the square of the previous one
// (the a_i = a_{i-1}*a_{i-1}), stays a graph of a few hundred
// nodes through checking, derivation and planning, instead of 2^40.
func TestLetChain(t *testing.T) {
	var b strings.Builder
	b.WriteString("system Chain\ncoord q\nparam k = 1\nlet a0 = 1 + 0.001*q*k\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "let a%d = a%d*a%d\n", i, i-1, i-1)
	}
	b.WriteString("lagrangian = 0.5*dot(q)^2 - a40\n")
	u, err := compiler.Compile("chain.lag", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if n := u.Model.B.NumNodes(); n > 500 {
		t.Errorf("%d nodes after derivation", n)
	}
	instrs := 0
	for _, tm := range u.Plan.Terms {
		instrs += tm.Prog.NumInstrs()
	}
	if instrs > 500 {
		t.Errorf("%d instructions", instrs)
	}
	t.Logf("%d nodes, %d instructions", u.Model.B.NumNodes(), instrs)
}
