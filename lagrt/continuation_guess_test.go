package lagrt

import (
	"errors"
	"math"
	"testing"
)

// wellModel is the double well L = ½v² − ¼q⁴ + ½q², no parameters: its
// constant equilibria q = −1, 0, 1 are stationary for periodic conditions
// at every horizon short enough, so that continuation in the horizon
// stays on the branch it starts on.
type wellModel struct{ info Info }

func (m *wellModel) Info() *Info { return &m.info }

func (m *wellModel) Eval(w Want, p *Point, out *Out) {
	q, v := p.Q[0], p.V[0]
	out.L = v*v/2 - q*q*q*q/4 + q*q/2
	out.Lq[0], out.Lv[0] = -q*q*q+q, v
	out.Lqq[0], out.Lqv[0], out.Lvv[0] = -3*q*q+1, 0, 1
	out.Lvt[0] = 0
	out.C = 0
	out.Cq[0], out.Cv[0], out.Cqq[0], out.Cqv[0], out.Cvv[0] = 0, 0, 0, 0, 0
}

// Continuation starts from Problem.Guess: from the guess q = −1.2 it ends
// in the left well, not at the barrier q = 0 that rest leads to (the first
// member used to start from rest whatever the guess).
func TestContinuationHonoursGuess(t *testing.T) {
	m := &wellModel{Info{Name: "well", Coords: []string{"q"}}}
	for _, c := range []struct {
		guess, want float64
	}{{-1.2, -1}, {1.3, 1}, {0.2, 0}} {
		N := 20
		g := make([][]float64, N+1)
		for k := range g {
			g[k] = []float64{c.guess}
		}
		var s Solver
		pr := &Problem{Model: m, T: 1, N: N, BC: Periodic, Guess: g}
		if err := s.setup(pr, nil); err != nil {
			t.Fatal(err)
		}
		s.guess()
		_, steps, err := s.continuation(errors.New("lagrt: plain Newton failed"))
		if err != nil {
			t.Fatalf("guess %g: %v", c.guess, err)
		}
		for k := 0; k <= N; k++ {
			if math.Abs(s.q[k]-c.want) > 1e-9 {
				t.Fatalf("guess %g: continuation (%d members) ended at q_%d = %g, want %g", c.guess, steps, k, s.q[k], c.want)
			}
		}
	}
}
