package golden_test

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/internal/golden/chain"
	"github.com/lagc/lagc/internal/golden/damped"
	"github.com/lagc/lagc/internal/golden/damped_chain"
	"github.com/lagc/lagc/internal/golden/double_pendulum"
	"github.com/lagc/lagc/internal/golden/duffing"
	"github.com/lagc/lagc/internal/golden/harmonic"
	"github.com/lagc/lagc/internal/golden/kepler"
	"github.com/lagc/lagc/internal/golden/keywords"
	"github.com/lagc/lagc/internal/golden/lattice"
	"github.com/lagc/lagc/internal/golden/network"
	"github.com/lagc/lagc/internal/golden/pendulum"
	"github.com/lagc/lagc/internal/golden/sinechain"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

var generated = []struct {
	file  string
	model lagrt.Model
}{
	{"double_pendulum.lag", double_pendulum.DoublePendulum{}},
	{"chain.lag", chain.Chain{}},
	{"kepler.lag", kepler.Kepler{}},
	{"damped.lag", damped.Damped{}},
	{"damped_chain.lag", damped_chain.DampedChain{}},
	{"duffing.lag", duffing.Duffing{}},
	{"harmonic.lag", harmonic.HarmonicOscillator{}},
	{"keywords.lag", keywords.Keywords{}},
	{"lattice.lag", lattice.Lattice{}},
	{"network.lag", network.Network{}},
	{"pendulum.lag", pendulum.Pendulum{}},
	{"sinechain.lag", sinechain.SineChain{}},
}

func interpreted(tb testing.TB, file string) lagrt.Model {
	src, err := os.ReadFile("../../testdata/" + file)
	if err != nil {
		tb.Fatal(err)
	}
	u, err := compiler.Compile(file, src)
	if err != nil {
		tb.Fatal(err)
	}
	return interp.New(u)
}

func TestGeneratedZeroAlloc(t *testing.T) {
	for _, g := range generated {
		p := lagrttest.RandomPoint(g.model.Info(), rand.New(rand.NewPCG(1, 1)))
		out := lagrt.NewOut(g.model.Info())
		for _, lvl := range []lagrt.Want{lagrt.Level1, lagrt.Level2, lagrt.Level3} {
			if a := testing.AllocsPerRun(100, func() { g.model.Eval(lvl, p, out) }); a != 0 {
				t.Errorf("%s: Eval(%b) allocates %v times", g.file, lvl, a)
			}
		}
	}
}

func TestGeneratedDerivatives(t *testing.T) {
	for _, g := range generated {
		rng := rand.New(rand.NewPCG(3, 4))
		in := interpreted(t, g.file)
		for range 3 {
			p := lagrttest.RandomPoint(g.model.Info(), rng)
			if err := lagrttest.Compare(g.model, in, p, 1e-12); err != nil {
				t.Errorf("%s: generated against interpreted: %v", g.file, err)
			}
			if err := lagrttest.CheckDerivatives(g.model, p, 1e-6); err != nil {
				t.Errorf("%s: %v", g.file, err)
			}
			if err := lagrttest.CheckLevels(g.model, p); err != nil {
				t.Errorf("%s: %v", g.file, err)
			}
		}
	}
}

// BenchmarkEval compares generated and interpreted evaluation of the
// Newton kernel (lagrt.Level2).
func BenchmarkEval(b *testing.B) {
	for _, g := range generated {
		p := lagrttest.RandomPoint(g.model.Info(), rand.New(rand.NewPCG(1, 1)))
		out := lagrt.NewOut(g.model.Info())
		for _, impl := range []struct {
			name string
			m    lagrt.Model
		}{{"generated", g.model}, {"interpreted", interpreted(b, g.file)}} {
			b.Run(g.file+"/"+impl.name, func(b *testing.B) {
				for b.Loop() {
					impl.m.Eval(lagrt.Level2, p, out)
				}
			})
		}
	}
}

// TestDefaultParams: the generated Default…Params agree with Info's
// defaults (Info is built on first use, so this also checks that the
// parameter struct reads it through Info()).
func TestDefaultParams(t *testing.T) {
	got := network.DefaultNetworkParams()
	want := network.Network{}.Info().Defaults
	v := got.Vector()
	if len(v) != len(want) {
		t.Fatalf("%d parameters, want %d", len(v), len(want))
	}
	for i := range v {
		if v[i] != want[i] {
			t.Fatalf("θ[%d] = %g, want %g", i, v[i], want[i])
		}
	}
	if got.K[3] != 1 || got.W[2][5] != 0.01 {
		t.Errorf("defaults %v, %v", got.K[3], got.W[2][5])
	}
}

// TestGeneratedThetaOnDemand: generated code fills ∂L/∂θ and ∂c/∂θ only
// when asked (the solver's iterations do not ask), and then the same
// values as at the full level; everything else is unaffected.
func TestGeneratedThetaOnDemand(t *testing.T) {
	const noTheta = lagrt.Level2 &^ (lagrt.WantLth | lagrt.WantCth)
	for _, g := range generated {
		info := g.model.Info()
		if info.P() == 0 {
			continue
		}
		p := lagrttest.RandomPoint(info, rand.New(rand.NewPCG(5, 6)))
		full, part := lagrt.NewOut(info), lagrt.NewOut(info)
		g.model.Eval(lagrt.Level2, p, full)
		for _, v := range [][]float64{part.Lth, part.Cth} {
			for a := range v {
				v[a] = math.NaN()
			}
		}
		g.model.Eval(noTheta, p, part)
		for a, x := range part.Lth {
			if !math.IsNaN(x) {
				t.Fatalf("%s: Lth[%d] written without WantLth", g.file, a)
			}
		}
		if part.L != full.L || part.Lq[0] != full.Lq[0] || part.Lqq[0] != full.Lqq[0] {
			t.Errorf("%s: values without WantLth differ", g.file)
		}
		g.model.Eval(lagrt.Level1, p, part)
		for a := range full.Lth {
			if part.Lth[a] != full.Lth[a] {
				t.Errorf("%s: Lth[%d] = %v at Level1, %v at Level2", g.file, a, part.Lth[a], full.Lth[a])
			}
		}
		for a := range full.Cth {
			if part.Cth[a] != full.Cth[a] {
				t.Errorf("%s: Cth[%d] = %v at Level1, %v at Level2", g.file, a, part.Cth[a], full.Cth[a])
			}
		}
	}
}
