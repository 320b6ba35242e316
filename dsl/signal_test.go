package dsl_test

import (
	"math"
	"strings"
	"testing"

	"github.com/lagc/lagc/dsl"
	"github.com/lagc/lagc/symbolic"
)

func TestSignal(t *testing.T) {
	m, err := dsl.Compile("m.lag", []byte("system S\nconst w = 3\nparam k = 1\ncoord q\ninput u\nlagrangian = 0.5*dot(q)^2 - 0.5*k*q^2 + q*u\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		src  string
		at   float64
		want float64
		err  string
	}{
		{src: "0.5*cos(2*t)", at: 0.3, want: 0.5 * math.Cos(0.6)},
		{src: "sin(w*t) + sum(i in 1..3, i)", at: 0.2, want: math.Sin(0.6) + 6},
		{src: "1e-3", at: 5, want: 1e-3},
		{src: "q*2", err: "sig:1:1: q is a model variable"},
		{src: "k + u", err: "sig:1:1: k is a model variable"},
		{src: "dot(t)", err: "sig:1:1: dot is not allowed"},
		{src: "nosuch(t)", err: "sig:1:1: undefined function nosuch"},
		{src: "2*", err: "sig:1:3: syntax error"},
		{src: "", err: "sig:1:1: "},
		{src: strings.Repeat("(", 100000), err: "nested too deeply"},
	} {
		n, err := m.Signal("sig", c.src)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Signal(%q) error = %v, want %q", c.src, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Signal(%q): %v", c.src, err)
			continue
		}
		got := symbolic.Eval(n, map[*symbolic.Node]float64{m.T: c.at})
		if math.Abs(got-c.want) > 1e-15 {
			t.Errorf("Signal(%q)(%g) = %g, want %g", c.src, c.at, got, c.want)
		}
	}
}
