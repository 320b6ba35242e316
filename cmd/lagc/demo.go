package main

import (
	_ "embed"
	"fmt"
	"math/rand/v2"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
)

// demoSource is the embedded demo model of lagc train.
//
//go:embed demo/network.lag
var demoSource []byte

// The demo: a teacher network with these parameters produces the target
// waveforms; the student starts from the defaults in network.lag.
var demoTeacher = map[string]float64{
	"k[0]": 5.0, "k[1]": 3.5, "k[2]": 4.5,
	"c[0]": 1.5, "c[1]": 1.0,
}

const (
	demoSamples = 16
	demoSteps   = 128
	demoEpochs  = 500
)

func loadDemo() (*compiler.Unit, lagrt.Model, error) {
	u, err := compiler.Compile("network.lag", demoSource)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: %v", err)
	}
	return u, interp.New(u), nil
}

// demoData draws random periodic drives u(t) = A cos t + B sin 2t and
// records the teacher's response of every oscillator as the targets,
// sampled on the grid.
func demoData(u *compiler.Unit, m lagrt.Model, seed uint64) (*lagrt.Dataset, error) {
	info := m.Info()
	teacher := append([]float64(nil), info.Defaults...)
	for name, v := range demoTeacher {
		i := lagrt.Index(info.Params, name)
		if i < 0 {
			return nil, fmt.Errorf("demo: no parameter %s", name)
		}
		teacher[i] = v
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	const T = 2 * 3.141592653589793
	d := &lagrt.Dataset{T: T, N: demoSteps, BC: lagrt.Periodic}
	for s := 0; s < demoSamples; s++ {
		A := 1.5 + 2.5*rng.Float64()
		B := 2 * (rng.Float64() - 0.5)
		f, _, err := compileSignals(u.Model, prefixed("demo ", info.Inputs), info.Inputs, []string{fmt.Sprintf("%.6f*cos(t) + %.6f*sin(t)", A, B)})
		if err != nil {
			return nil, err
		}
		in := lagrt.Signal{Func: f}
		sol, err := lagrt.Solve(&lagrt.Problem{Model: m, T: T, N: demoSteps, BC: lagrt.Periodic,
			Theta: teacher, Input: in}, nil)
		if err != nil {
			return nil, fmt.Errorf("demo: teacher solve: %v", err)
		}
		target := make([][]float64, demoSteps+1)
		for k := range target {
			target[k] = append([]float64(nil), sol.Q[k]...)
		}
		d.Samples = append(d.Samples, lagrt.Sample{Input: in, Target: lagrt.Signal{Samples: target}})
	}
	return d, nil
}
