package dsl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc/lagc/symbolic"
)

// derive differentiates the Lagrangian and the cost of m twice with
// respect to every symbol (at most maxSyms of them, in creation order) and
// prints everything with symbolic.PrintShared, infix and LaTeX, and the
// small expressions with Infix and LaTeX. It returns the number of nodes
// the derivation created and the length of the printed text.
func derive(m *Model, maxSyms int) (nodes, printed int) {
	b := m.B
	n0 := b.NumNodes()
	syms := b.Symbols()
	if len(syms) > maxSyms {
		syms = syms[:maxSyms]
	}
	var all []*symbolic.Node
	for _, e := range []*symbolic.Node{m.L, m.C} {
		if e == nil {
			continue
		}
		all = append(all, e)
		for _, x := range syms {
			d := b.Diff(e, x)
			all = append(all, d)
			for _, y := range syms {
				all = append(all, b.Diff(d, y))
			}
		}
	}
	nodes = b.NumNodes() - n0
	for _, latex := range []bool{false, true} {
		l := symbolic.PrintShared(all, symbolic.PrintOptions{LaTeX: latex})
		for _, s := range l.Exprs {
			printed += len(s)
		}
		for _, t := range l.Temps {
			printed += len(t.Name) + len(t.Expr)
		}
	}
	for _, e := range all {
		if symbolic.TreeSize(e) < 2000 {
			symbolic.Infix(e)
			symbolic.LaTeX(e, nil)
		}
	}
	return nodes, printed
}

// FuzzDerive compiles a source and, when it compiles, derives and prints
// it (see derive): nothing may panic. Reproducers of crashes are in
// testdata/fuzz/FuzzDerive.
func FuzzDerive(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/*.lag")
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("system F\ncoord x\nlagrangian = exp(dot(x)) + atan2(x, x*cos(x)^4)\n"))
	f.Add([]byte(towerSrc(5)))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := Compile("fuzz.lag", src)
		if err != nil {
			return
		}
		derive(m, 6)
	})
}

// TestDeriveReproducers derives the systems that crashed the symbolic
// engine (issue 11 item 14).
func TestDeriveReproducers(t *testing.T) {
	for _, src := range []string{
		// pythPartner: cos(x)^3 and sin(x) but no number 2
		"system F\ncoord x\nlagrangian = exp(dot(x)) + atan2(x, x*cos(x)^4)\n",
	} {
		m, err := Compile("r.lag", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%q: panic %v", src, r)
				}
			}()
			derive(m, 6)
		}()
	}
}

// towerSrc is a let tower a_i = sin(a_{i-1})*a_{i-1} of n lets.
func towerSrc(n int) string {
	var sb strings.Builder
	sb.WriteString("system T\ncoord x\nlet a0 = x\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "let a%d = sin(a%d)*a%d\n", i, i-1, i-1)
	}
	fmt.Fprintf(&sb, "lagrangian = 0.5*dot(x)^2 - a%d\n", n)
	return sb.String()
}

// TestLetTower checks that deriving and printing a let tower grows
// near-linearly with its height (issue 11 item 15): doubling the height
// from 30 to 60 lets may at most multiply the nodes created by the
// derivation by 2.5 (linear growth doubles them; before the fix they
// grew cubically) and the printed text by 4.5 (flat products make it
// quadratic; printing trees made it exponential).
func TestLetTower(t *testing.T) {
	var nodes, printed [2]int
	for i, n := range []int{30, 60} {
		m, err := Compile("tower.lag", []byte(towerSrc(n)))
		if err != nil {
			t.Fatal(err)
		}
		nodes[i], printed[i] = derive(m, 10)
		t.Logf("%d lets: %d nodes, %d bytes printed", n, nodes[i], printed[i])
	}
	if r := float64(nodes[1]) / float64(nodes[0]); r > 2.5 {
		t.Errorf("nodes grew %.2fx from 30 to 60 lets (%v), want at most 2.5x", r, nodes)
	}
	if r := float64(printed[1]) / float64(printed[0]); r > 4.5 {
		t.Errorf("printed text grew %.2fx from 30 to 60 lets (%v), want at most 4.5x", r, printed)
	}
}
