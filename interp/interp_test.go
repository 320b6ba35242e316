package interp_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

func load(t testing.TB, path string) *interp.Model {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := compiler.Compile(filepath.Base(path), src)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return interp.New(u)
}

func testdataFiles(t testing.TB) []string {
	files, err := filepath.Glob("../testdata/*.lag")
	if err != nil || len(files) < 7 {
		t.Fatalf("testdata: %v (%d files)", err, len(files))
	}
	return files
}

// TestDerivativesFiniteDifferences checks every derivative of every testdata
// system against finite differences at random points.
func TestDerivativesFiniteDifferences(t *testing.T) {
	for _, path := range testdataFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			m := load(t, path)
			rng := rand.New(rand.NewPCG(1, 2))
			for range 5 {
				p := lagrttest.RandomPoint(m.Info(), rng)
				if err := lagrttest.CheckDerivatives(m, p, 1e-6); err != nil {
					t.Errorf("at %+v: %v", p, err)
				}
				if err := lagrttest.CheckLevels(m, p); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestEvalAllocs(t *testing.T) {
	for _, path := range testdataFiles(t) {
		m := load(t, path)
		p := lagrttest.RandomPoint(m.Info(), rand.New(rand.NewPCG(1, 1)))
		out := lagrt.NewOut(m.Info())
		for _, lvl := range []lagrt.Want{lagrt.Level1, lagrt.Level2, lagrt.Level3} {
			// Scratch space comes from a sync.Pool, which a garbage
			// collection during the run may empty once: allow less than
			// one allocation per call on average, which a per-call
			// allocation would exceed.
			if a := testing.AllocsPerRun(1000, func() { m.Eval(lvl, p, out) }); a >= 0.5 {
				t.Errorf("%s: Eval(%b) allocates %v times", path, lvl, a)
			}
		}
	}
}

func BenchmarkEval(b *testing.B) {
	m := load(b, "../testdata/double_pendulum.lag")
	p := lagrttest.RandomPoint(m.Info(), rand.New(rand.NewPCG(1, 1)))
	out := lagrt.NewOut(m.Info())
	for _, lvl := range []struct {
		name string
		w    lagrt.Want
	}{{"Level1", lagrt.Level1}, {"Level2", lagrt.Level2}, {"Level3", lagrt.Level3}} {
		b.Run(lvl.name, func(b *testing.B) {
			for b.Loop() {
				m.Eval(lvl.w, p, out)
			}
		})
	}
}
