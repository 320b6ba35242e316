package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/lagc/lagc/lagrt"
)

// Time grid: one period of the drive, cos(w t) with w = 1 (mnist.lag), in
// steps time steps, with periodic boundary conditions.
const (
	period       = 2 * math.Pi
	defaultSteps = 12
)

// networks lists the generated networks by hidden-layer size (gen.go).
var networks = map[int]lagrt.Model{32: Net32{}, 64: Net64{}, 128: Net128{}, 256: Net256{}}

// sizes returns the hidden-layer sizes of networks, ascending.
func sizes() []int {
	var s []int
	for h := range networks {
		s = append(s, h)
	}
	slices.Sort(s)
	return s
}

// w2Init scales the initial hidden–output springs (see initTheta).
const w2Init = 0.2

// net is a generated network with the layout of its parameter vector.
type net struct {
	model      lagrt.Model
	ni, nh, no int
	// Offsets of W1[nh][ni], b1[nh], W2[no][nh] and b2[no] in θ.
	w1, b1, w2, b2 int
	// Offset of the first output coordinate y[0] in q.
	y0 int
}

// newNet reads the layout of m from its Info and checks it against the
// declarations of mnist.lag.
func newNet(m lagrt.Model) (*net, error) {
	info := m.Info()
	n := &net{model: m, no: len(info.Targets), ni: len(info.Inputs)}
	n.nh = info.N() - n.no
	n.b1 = n.nh * n.ni
	n.w2 = n.b1 + n.nh
	n.b2 = n.w2 + n.no*n.nh
	n.y0 = n.nh
	want := map[int]string{0: "W1[0][0]", n.b1: "b1[0]", n.w2: "W2[0][0]", n.b2: "b2[0]"}
	for off, name := range want {
		if off >= len(info.Params) || info.Params[off] != name {
			return nil, fmt.Errorf("%s: parameter layout is not mnist.lag's (want %s at %d); regenerate with go generate", info.Name, name, off)
		}
	}
	if info.P() != n.b2+n.no || info.Coords[n.y0] != "y[0]" {
		return nil, fmt.Errorf("%s: layout is not mnist.lag's; regenerate with go generate", info.Name)
	}
	return n, nil
}

// initTheta returns seeded initial parameters: Gaussian couplings scaled
// by the fan-in (W1 by gain/√ni, W2 by w2Init/√nh) and zero drives on the
// biases. The springs W2 start weak: the network's stationary problem is
// regular as long as their spectral norm stays below the distance of the
// curvatures (mnist.lag) from the period's resonances, about 0.7 at 16
// steps, and 0.2/√nh per entry gives a norm of about 0.2(1 + √(10/nh)).
func (n *net) initTheta(seed uint64, gain float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x6d6e697374))
	theta := make([]float64, n.model.Info().P())
	for a := range n.nh * n.ni {
		theta[n.w1+a] = gain * rng.NormFloat64() / math.Sqrt(float64(n.ni))
	}
	for a := range n.no * n.nh {
		theta[n.w2+a] = w2Init * rng.NormFloat64() / math.Sqrt(float64(n.nh))
	}
	return theta
}

// sample is one image as a lagrt sample: the pixels drive the hidden
// oscillators and the one-hot label is the target amplitude.
func (n *net) sample(x []float64, label int) lagrt.Sample {
	if len(x) != n.ni {
		panic(fmt.Sprintf("image has %d pixels, network %d inputs", len(x), n.ni))
	}
	return lagrt.Sample{
		Input:  lagrt.Signal{Func: func(_ float64, u []float64) { copy(u, x) }},
		Target: lagrt.Signal{Func: func(_ float64, z []float64) { clear(z); z[label] = 1 }},
	}
}

// dataset builds the samples of images xs with labels.
func (n *net) dataset(xs [][]float64, labels []int, steps int) *lagrt.Dataset {
	d := &lagrt.Dataset{T: period, N: steps, BC: lagrt.Periodic, Samples: make([]lagrt.Sample, len(xs))}
	for i, x := range xs {
		d.Samples[i] = n.sample(x, labels[i])
	}
	return d
}

// response returns the amplitudes Y_k of the outputs at the drive
// frequency, Y_k = (2/N) Σ_n y_k(t_n) cos(t_n) over the periodic grid
// (row N repeats row 0), into dst (len no).
func (n *net) response(dst []float64, q [][]float64) {
	N := len(q) - 1
	for k := range dst {
		s := 0.0
		for r := range N {
			s += q[r][n.y0+k] * math.Cos(period*float64(r)/float64(N))
		}
		dst[k] = 2 * s / float64(N)
	}
}

// classify returns the class with the largest response at the drive
// frequency.
func (n *net) classify(q [][]float64) int {
	var y [16]float64
	r := y[:n.no]
	n.response(r, q)
	best := 0
	for k, v := range r {
		if v > r[best] {
			best = k
		}
	}
	return best
}

// paramsJSON encodes θ as the lagc command's parameter files do: one
// object, names in declaration order.
func paramsJSON(info *lagrt.Info, theta []float64) []byte {
	var b strings.Builder
	b.WriteString("{\n")
	for i, name := range info.Params {
		fmt.Fprintf(&b, "  %q: %s", name, formatFloat(theta[i]))
		if i < len(info.Params)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return []byte(b.String())
}
