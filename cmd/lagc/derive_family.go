package main

import (
	"fmt"
	"io"

	"github.com/lagc/lagc/compiler"
)

// deriveFamilies prints the Euler–Lagrange equations of a model whose
// sums stay loops, one per coordinate declaration for a generic index.
func deriveFamilies(w io.Writer, u *compiler.Unit, format string) error {
	m := u.Model
	if format == "latex" {
		fmt.Fprintf(w, "%% system %s: its sums stay loops; the equations below are for a generic index.\n", m.Name)
	} else {
		fmt.Fprintf(w, "system %s\n\n", m.Name)
	}
	pre := ""
	if format == "latex" {
		pre = "% "
	}
	fmt.Fprintf(w, "%sL = %s\n", pre, m.LagrangianSrc)
	if m.HasCost {
		fmt.Fprintf(w, "%sc = %s\n", pre, m.CostSrc)
	}
	fmt.Fprintf(w, "%s\n%sEuler–Lagrange equations d/dt ∂L/∂dot(q) − ∂L/∂q = 0, for a generic element\n", pre, pre)
	fmt.Fprintf(w, "%s([cond] restricts a term to the elements where cond holds):\n", pre)
	for _, eq := range u.Equations() {
		fmt.Fprintf(w, "%s\n", pre)
		for _, line := range splitLines(eq.String()) {
			fmt.Fprintf(w, "%s%s\n", pre, line)
		}
	}
	return nil
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
