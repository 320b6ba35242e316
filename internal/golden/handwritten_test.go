package golden_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lagc/lagc/internal/golden/chain"
	"github.com/lagc/lagc/internal/golden/double_pendulum"
	"github.com/lagc/lagc/internal/golden/handref"
	"github.com/lagc/lagc/internal/golden/network"
	"github.com/lagc/lagc/internal/golden/pendulum"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// handwritten pairs each hand-written reference model of package handref
// with the model lagc generates from the same source.
var handwritten = []struct {
	name      string
	gen, hand lagrt.Model
}{
	{"pendulum", pendulum.Pendulum{}, handref.Pendulum{}},
	{"double_pendulum", double_pendulum.DoublePendulum{}, handref.DoublePendulum{}},
	{"chain", chain.Chain{}, handref.Chain{}},
	{"network", network.Network{}, handref.Network{}},
}

// dirtyOut returns a new Out for info with every value set to NaN, so
// that a value an Eval fails to write shows up.
func dirtyOut(info *lagrt.Info) *lagrt.Out {
	o := lagrt.NewOut(info)
	o.L, o.C = math.NaN(), math.NaN()
	for q := range lagrt.NumQuantities {
		for i := range o.Vec(q) {
			o.Vec(q)[i] = math.NaN()
		}
	}
	return o
}

// TestHandwritten checks the hand-written reference models: against the
// generated ones at random points (every quantity, matrices compared
// densely through each model's own pattern, to 1e-12 relative), against
// finite differences, across evaluation levels, and for allocations.
func TestHandwritten(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }
	for _, c := range handwritten {
		gi, hi := c.gen.Info(), c.hand.Info()
		if fmt.Sprint(gi.Coords, gi.Params, gi.Defaults, gi.Inputs, gi.Targets, gi.HasCost) !=
			fmt.Sprint(hi.Coords, hi.Params, hi.Defaults, hi.Inputs, hi.Targets, hi.HasCost) {
			t.Errorf("%s: hand-written Info differs from the generated one", c.name)
			continue
		}
		rng := rand.New(rand.NewPCG(5, 6))
		for k := range 5 {
			p := lagrttest.RandomPoint(gi, rng)
			og, oh := dirtyOut(gi), dirtyOut(hi)
			c.gen.Eval(lagrt.Level3, p, og)
			c.hand.Eval(lagrt.Level3, p, oh)
			for q := range lagrt.NumQuantities {
				d := &lagrt.Quantities[q]
				var gv, hv []float64
				switch {
				case q == lagrt.QL || q == lagrt.QC:
					gv, hv = []float64{og.Scalar(q)}, []float64{oh.Scalar(q)}
				case d.IsMatrix():
					var err error
					if gv, err = lagrttest.DenseMatrix(gi, q, og); err != nil {
						t.Fatal(err)
					}
					if hv, err = lagrttest.DenseMatrix(hi, q, oh); err != nil {
						t.Fatal(err)
					}
				default:
					gv, hv = og.Vec(q), oh.Vec(q)
				}
				for i := range gv {
					if !near(hv[i], gv[i]) {
						t.Errorf("%s point %d: %s[%d]: hand-written %.17g, generated %.17g", c.name, k, d.Name, i, hv[i], gv[i])
					}
				}
			}
			if k < 2 {
				if err := lagrttest.CheckDerivatives(c.hand, p, 1e-6); err != nil {
					t.Errorf("%s: %v", c.name, err)
				}
				if err := lagrttest.CheckLevels(c.hand, p); err != nil {
					t.Errorf("%s: %v", c.name, err)
				}
			}
		}
		p := lagrttest.RandomPoint(gi, rng)
		for _, m := range []lagrt.Model{c.gen, c.hand} {
			out := lagrt.NewOut(m.Info())
			for _, w := range []lagrt.Want{lagrt.Level1, lagrt.Level2, lagrt.Level3} {
				if a := testing.AllocsPerRun(20, func() { m.Eval(w, p, out) }); a != 0 {
					t.Errorf("%s (%T): Eval allocates %v times", c.name, m, a)
				}
			}
		}
	}
}

// BenchmarkHandwritten times generated against hand-written Eval at
// lagrt.Level1, Level2 and Level3. Each iteration runs a batch of generated
// evaluations, then a batch of hand-written ones at the same point, so
// both see the same machine state; it reports ns per evaluation of each
// (gen-ns/eval, hand-ns/eval) and their ratio (gen/hand, the figure of
// issue 7 §4: the goal is ≤ 1.1). bench/handref.sh prints the medians of
// several runs.
func BenchmarkHandwritten(b *testing.B) {
	for _, c := range handwritten {
		for _, lvl := range []struct {
			name string
			w    lagrt.Want
		}{{"Level1", lagrt.Level1}, {"Level2", lagrt.Level2}, {"Level3", lagrt.Level3}} {
			b.Run(c.name+"/"+lvl.name, func(b *testing.B) {
				p := lagrttest.RandomPoint(c.gen.Info(), rand.New(rand.NewPCG(1, 1)))
				og, oh := lagrt.NewOut(c.gen.Info()), lagrt.NewOut(c.hand.Info())
				gen, hand, w := c.gen, c.hand, lvl.w
				const batch = 32
				var tg, th time.Duration
				n := 0
				for b.Loop() {
					t0 := time.Now()
					for range batch {
						gen.Eval(w, p, og)
					}
					t1 := time.Now()
					for range batch {
						hand.Eval(w, p, oh)
					}
					tg += t1.Sub(t0)
					th += time.Since(t1)
					n += batch
				}
				b.ReportMetric(0, "ns/op")
				b.ReportMetric(float64(tg.Nanoseconds())/float64(n), "gen-ns/eval")
				b.ReportMetric(float64(th.Nanoseconds())/float64(n), "hand-ns/eval")
				b.ReportMetric(float64(tg)/float64(th), "gen/hand")
			})
		}
	}
}
