package lagrt_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// trainOscData returns a dataset of ns fixed-end samples of the harmonic
// oscillator whose targets are the free trajectories of a teacher with
// m = 1 and stiffness kTeacher, so that the loss vanishes at k = kTeacher.
func trainOscData(t testing.TB, kTeacher float64, ns, N int) *lagrt.Dataset {
	teacher := lagrttest.NewOscillator(1, kTeacher)
	data := &lagrt.Dataset{T: 1.5, N: N, BC: lagrt.Fixed}
	for i := range ns {
		s := lagrt.Sample{Q0: []float64{0.5 - 0.3*float64(i)}, QT: []float64{0.2 + 0.25*float64(i%3)}}
		if i%2 == 1 {
			s.T, s.N = 1.2, N+10 // own horizon and steps
		}
		data.Samples = append(data.Samples, s)
		sol, err := lagrt.Solve(data.Problem(teacher, i, nil), nil)
		if err != nil {
			t.Fatal(err)
		}
		data.Samples[i].Target.Samples = sol.Q // N+1 rows of one value
	}
	return data
}

// trainCoupledData is a nonlinear dataset (3-dof coupled system with a
// quartic term) mixing fixed and periodic samples of several lengths.
func trainCoupledData() (lagrt.Model, *lagrt.Dataset) {
	K := [][]float64{{2, 0.3, 0.1}, {0.3, 3, 0.2}, {0.1, 0.2, 1.5}}
	m := lagrttest.NewCoupled(K, 0.4, 0.5)
	periodic := lagrt.Periodic
	data := &lagrt.Dataset{T: 1, N: 60}
	for i := range 7 {
		a := 0.1 * float64(i+1)
		s := lagrt.Sample{
			Q0: []float64{a, -0.2, 0.3}, QT: []float64{0.5, 2 * a, -0.1},
			Input:  lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = a * math.Sin(3*t) }},
			Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.3 * math.Cos(2*t+a) }},
		}
		switch i % 3 {
		case 1:
			s.N = 40 + 10*i
		case 2:
			s.BC, s.T, s.N = &periodic, math.Pi, 50
			s.Input.Func = func(t float64, dst []float64) { dst[0] = a * math.Sin(2*t) }
		}
		data.Samples = append(data.Samples, s)
	}
	return m, data
}

func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// Training gives bitwise identical losses, gradients and parameters for
// any number of workers.
func TestTrainDeterministicWorkers(t *testing.T) {
	m, data := trainCoupledData()
	var ref *lagrt.TrainResult
	for _, w := range []int{1, 2, 5} {
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
			Method: lagrt.EPCentered, Optimizer: lagrt.NewAdam(0.02), Epochs: 4, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.History) != 4 || res.Steps != 4 {
			t.Fatalf("workers=%d: %d epochs, %d steps", w, len(res.History), res.Steps)
		}
		if len(res.Warnings) != 0 {
			t.Errorf("workers=%d: warnings %q", w, res.Warnings)
		}
		if ref == nil {
			ref = res
			t.Logf("losses %.6g → %.6g", res.History[0].Loss, res.Loss)
			continue
		}
		for e, st := range res.History {
			r := ref.History[e]
			if !bitsEqual([]float64{st.Loss, st.GradNorm}, []float64{r.Loss, r.GradNorm}) ||
				!bitsEqual(st.Grad, r.Grad) || !bitsEqual(st.Theta, r.Theta) ||
				st.Solves != r.Solves || st.Iterations != r.Iterations {
				t.Errorf("workers=%d epoch %d differs from workers=1:\n%+v\n%+v", w, st.Epoch, st, r)
			}
		}
		if !bitsEqual(res.Theta, ref.Theta) || math.Float64bits(res.Loss) != math.Float64bits(ref.Loss) {
			t.Errorf("workers=%d: final θ %v loss %v, workers=1: %v %v", w, res.Theta, res.Loss, ref.Theta, ref.Loss)
		}
	}
	// One evaluation, reused by CLIs, agrees too.
	for _, w := range []int{1, 3} {
		loss, grad, err := lagrt.LossGrad(context.Background(), m, data, nil, lagrt.EPCentered, nil, w)
		if err != nil {
			t.Fatal(err)
		}
		if loss != ref.History[0].Loss || !bitsEqual(grad, ref.History[0].Grad) {
			t.Errorf("LossGrad workers=%d: %v %v, want %v %v", w, loss, grad, ref.History[0].Loss, ref.History[0].Grad)
		}
	}
}

// Warm starts from each sample's previous trajectory cut the Newton
// iterations of a nonlinear dataset, and do not change the result beyond
// the solver tolerance.
func TestTrainWarmStart(t *testing.T) {
	m, data := trainCoupledData()
	run := func(noWarm bool) *lagrt.TrainResult {
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
			Method: lagrt.Adjoint, Optimizer: lagrt.NewAdam(0.01), Epochs: 5, Workers: 2, NoWarmStart: noWarm})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	warm, cold := run(false), run(true)
	var iw, ic int
	for e := range warm.History {
		t.Logf("epoch %d: iterations warm %d cold %d", e+1, warm.History[e].Iterations, cold.History[e].Iterations)
		if e > 0 {
			iw += warm.History[e].Iterations
			ic += cold.History[e].Iterations
		}
	}
	if warm.History[0].Iterations != cold.History[0].Iterations {
		t.Errorf("first epoch: warm %d iterations, cold %d", warm.History[0].Iterations, cold.History[0].Iterations)
	}
	if float64(iw) > 0.75*float64(ic) {
		t.Errorf("epochs 2..5: warm starts took %d iterations, cold %d", iw, ic)
	}
	if e := lagrttest.RelErr(warm.Theta, cold.Theta); e > 1e-8 {
		t.Errorf("warm and cold parameters differ by %.3g", e)
	}
}

// Training the oscillator's stiffness on a teacher's trajectories reduces
// the loss by more than 100× and recovers the teacher's k; the mass is
// frozen (the trajectories depend on k/m only) and never changes.
func TestTrainOscillatorRecoversTeacher(t *testing.T) {
	const kTeacher = 2.0
	data := trainOscData(t, kTeacher, 4, 60)
	m := lagrttest.NewOscillator(1, 1)
	for _, c := range []struct {
		opt lagrt.TrainOptions
		tol float64
	}{
		{lagrt.TrainOptions{Frozen: []string{"m"}, Optimizer: lagrt.NewAdam(0.05)}, 1e-3},
		{lagrt.TrainOptions{FrozenIndices: []int{0}, Optimizer: lagrt.NewSGD(20, 0.5)}, 1e-6},
	} {
		opt := c.opt
		opt.Epochs, opt.Method = 150, lagrt.EPCentered
		res, err := lagrt.Train(context.Background(), m, data, []float64{1, 1}, &opt)
		if err != nil {
			t.Fatal(err)
		}
		l0 := res.History[0].Loss
		t.Logf("loss %.3g → %.3g, θ = %v, %d solves, %d iterations, %v", l0, res.Loss, res.Theta, res.Solves, res.Iterations, res.Elapsed)
		if len(res.Warnings) != 0 {
			t.Errorf("smooth training reports %q", res.Warnings)
		}
		if !(res.Loss*100 <= l0) {
			t.Errorf("loss fell from %.3g to %.3g only", l0, res.Loss)
		}
		if math.Abs(res.Theta[1]-kTeacher) > c.tol {
			t.Errorf("k = %.6f, teacher %g", res.Theta[1], kTeacher)
		}
		for _, st := range res.History {
			if st.Theta[0] != 1 || st.Grad[0] != 0 {
				t.Fatalf("epoch %d: frozen m = %v, gradient %v", st.Epoch, st.Theta[0], st.Grad[0])
			}
		}
		if res.Theta[0] != 1 || res.BestTheta[0] != 1 {
			t.Errorf("frozen m changed: %v", res.Theta)
		}
		if res.BestLoss > res.Loss || res.BestLoss > res.History[len(res.History)-1].Loss {
			t.Errorf("best loss %.3g above final %.3g", res.BestLoss, res.Loss)
		}
	}
}

// Centered EP and the adjoint give nearly the same parameter trajectory.
func TestTrainCenteredMatchesAdjoint(t *testing.T) {
	data := trainOscData(t, 2, 3, 50)
	m := lagrttest.NewOscillator(1.1, 1.2)
	run := func(meth lagrt.Method) *lagrt.TrainResult {
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
			Method: meth, Optimizer: lagrt.NewSGD(2, 0.5), Epochs: 20,
			Solver: &lagrt.Options{Beta: 1e-3}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	ep, adj := run(lagrt.EPCentered), run(lagrt.Adjoint)
	worst, worstG := 0.0, 0.0
	for e := range ep.History {
		worst = max(worst, lagrttest.RelErr(ep.History[e].Theta, adj.History[e].Theta))
		worstG = max(worstG, lagrttest.RelErr(ep.History[e].Grad, adj.History[e].Grad))
		t.Logf("epoch %d: θ %v, |Δθ| rel %.2g, Δgrad rel %.2g", e+1, adj.History[e].Theta,
			lagrttest.RelErr(ep.History[e].Theta, adj.History[e].Theta), lagrttest.RelErr(ep.History[e].Grad, adj.History[e].Grad))
	}
	worst = max(worst, lagrttest.RelErr(ep.Theta, adj.Theta))
	t.Logf("θ %v → %v (centered) vs %v (adjoint): worst relative difference %.3g (gradients %.3g)", ep.History[0].Theta, ep.Theta, adj.Theta, worst, worstG)
	if worst > 1e-5 {
		t.Errorf("centered EP and adjoint trajectories differ by %.3g", worst)
	}
	if !(adj.Loss < adj.History[0].Loss/10) {
		t.Errorf("loss %.3g → %.3g", adj.History[0].Loss, adj.Loss)
	}
}

// Progress sees every epoch; an error from it, or a cancelled context,
// stops training promptly with the last good parameters.
func TestTrainCancel(t *testing.T) {
	data := trainOscData(t, 2, 4, 60)
	m := lagrttest.NewOscillator(1, 1)

	// Cancellation from the progress callback.
	ctx, cancel := context.WithCancel(context.Background())
	var seen []lagrt.EpochStats
	res, err := lagrt.Train(ctx, m, data, nil, &lagrt.TrainOptions{
		Optimizer: lagrt.NewAdam(0.05), Epochs: 100, Frozen: []string{"m"},
		Progress: func(st *lagrt.EpochStats) error {
			seen = append(seen, *st)
			if st.Epoch == 3 {
				cancel()
			}
			return nil
		}})
	if !errors.Is(err, lagrt.ErrStopped) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want ErrStopped and context.Canceled", err)
	}
	t.Log(err)
	if len(seen) != 3 || res.Steps != 3 || len(res.History) != 3 {
		t.Fatalf("%d epochs seen, %d steps, history %d", len(seen), res.Steps, len(res.History))
	}
	// Epoch 4's parameters were never evaluated: the last good ones are
	// those of epoch 3.
	if !bitsEqual(res.Theta, seen[2].Theta) || res.Loss != seen[2].Loss {
		t.Errorf("returned θ %v loss %v, want epoch 3's %v %v", res.Theta, res.Loss, seen[2].Theta, seen[2].Loss)
	}
	for i, st := range seen {
		if st.Epoch != i+1 || st.Solves != 4*3 || st.Iterations <= 0 || st.Elapsed <= 0 || len(st.Theta) != 2 {
			t.Errorf("stats %+v", st)
		}
	}

	// An error from Progress.
	stop := errors.New("enough")
	res, err = lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
		Epochs: 100, Progress: func(st *lagrt.EpochStats) error {
			if st.Epoch == 2 {
				return stop
			}
			return nil
		}})
	if !errors.Is(err, stop) || !errors.Is(err, lagrt.ErrStopped) || res.Steps != 1 || !bitsEqual(res.Theta, res.History[1].Theta) {
		t.Errorf("error %v, %d steps", err, res.Steps)
	}

	// Cancellation from outside, in the middle of an epoch: the model
	// signals its first evaluation in epoch 3 and waits there until a
	// goroutine has cancelled the context. The samples being solved
	// complete, no further sample is taken, and the epoch fails.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var inEpoch3 atomic.Bool
	reached := make(chan struct{})
	bm := &blockingModel{Oscillator: lagrttest.NewOscillator(1, 1), armed: &inEpoch3, reached: reached, ctx: ctx}
	go func() {
		<-reached
		cancel()
	}()
	res, err = lagrt.Train(ctx, bm, data, nil, &lagrt.TrainOptions{
		Epochs: 100, Workers: 2, Progress: func(st *lagrt.EpochStats) error {
			if st.Epoch == 2 {
				inEpoch3.Store(true)
			}
			return nil
		}})
	t.Log(err)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, lagrt.ErrStopped) || !strings.Contains(err.Error(), "in epoch 3") {
		t.Fatalf("error %v, want ErrStopped and context.Canceled in epoch 3", err)
	}
	if res.Steps != 2 || len(res.History) != 2 || !bitsEqual(res.Theta, res.History[1].Theta) || res.Loss != res.History[1].Loss {
		t.Errorf("%d steps, history %d, θ %v loss %v; want epoch 2's", res.Steps, len(res.History), res.Theta, res.Loss)
	}
}

// blockingModel is an oscillator whose first evaluation after armed is set
// closes reached and blocks until ctx is done.
type blockingModel struct {
	*lagrttest.Oscillator
	armed   *atomic.Bool
	once    sync.Once
	reached chan struct{}
	ctx     context.Context
}

func (b *blockingModel) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	if b.armed.Load() {
		b.once.Do(func() {
			close(b.reached)
			<-b.ctx.Done()
		})
	}
	b.Oscillator.Eval(w, p, out)
}

// failModel is an oscillator whose Lagrangian is NaN wherever bad(k, q)
// holds.
type failModel struct {
	*lagrttest.Oscillator
	bad func(k, q float64) bool
}

func (f failModel) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	f.Oscillator.Eval(w, p, out)
	if f.bad(p.Theta[1], p.Q[0]) {
		out.L = math.NaN()
		out.Lq[0] = math.NaN()
	}
}

// A failing sample makes the epoch fail with an error naming the epoch and
// the lowest failing sample, for any number of workers, and the result
// holds the last good parameters.
func TestTrainSampleFailure(t *testing.T) {
	data := trainOscData(t, 2, 6, 40)
	// Samples 2, 4 and 5 reach |q| ≥ 0.7 and fail once k > 1.3.
	m := failModel{lagrttest.NewOscillator(1, 1), func(k, q float64) bool { return k > 1.3 && math.Abs(q) > 0.65 }}
	for _, w := range []int{1, 2, 5} {
		res, err := lagrt.Train(context.Background(), m, data, []float64{1, 1}, &lagrt.TrainOptions{
			Optimizer: lagrt.NewAdam(0.05), Epochs: 50, Frozen: []string{"m"}, Workers: w, Retry: true})
		var se *lagrt.SampleError
		if !errors.As(err, &se) || !errors.Is(err, lagrt.ErrNaN) {
			t.Fatalf("error %v, want a SampleError wrapping ErrNaN", err)
		}
		if w == 1 {
			t.Log(err)
		}
		if se.Sample != 2 || se.Epoch != len(res.History)+1 || !strings.Contains(err.Error(), "sample 2") ||
			!strings.HasPrefix(err.Error(), "lagrt: epoch ") || strings.Count(err.Error(), "lagrt:") != 1 {
			t.Errorf("workers=%d: error %q (sample %d, epoch %d after %d epochs)", w, err, se.Sample, se.Epoch, len(res.History))
		}
		last := res.History[len(res.History)-1]
		if !bitsEqual(res.Theta, last.Theta) || res.Loss != last.Loss || res.Theta[1] > 1.3 || res.Steps != len(res.History) {
			t.Errorf("workers=%d: returned θ %v, last good %v", w, res.Theta, last.Theta)
		}
	}

	// A malformed sample is named too.
	bad := *data
	bad.Samples = append([]lagrt.Sample(nil), data.Samples...)
	bad.Samples[3].Q0 = []float64{1, 2}
	_, _, err := lagrt.LossGrad(context.Background(), lagrttest.NewOscillator(1, 1), &bad, nil, lagrt.Adjoint, nil, 3)
	var se *lagrt.SampleError
	if !errors.As(err, &se) || se.Sample != 3 || !errors.Is(err, lagrt.ErrProblem) || !strings.HasPrefix(err.Error(), "lagrt: sample 3: ") {
		t.Errorf("error %v", err)
	}
}

// After a large step, a warm start can fail where the default guess
// succeeds; Retry then saves the epoch.
func TestTrainRetry(t *testing.T) {
	data := &lagrt.Dataset{T: 1.5, N: 40, Samples: []lagrt.Sample{{Q0: []float64{0.5}, QT: []float64{0.5}}}}
	teacher := lagrttest.NewOscillator(1, 0.5)
	sol, err := lagrt.Solve(data.Problem(teacher, 0, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	data.Samples[0].Target.Samples = sol.Q
	// The trajectory bulges to 1.03 at k = 2 and to 0.58 at k = 0.5; the
	// model fails above 0.8 when k < 1, so the warm start from k = 2 is
	// bad at k = 0.5 but the straight line and the solution are good.
	m := failModel{lagrttest.NewOscillator(1, 2), func(k, q float64) bool { return k < 1 && math.Abs(q) > 0.8 }}
	for _, retry := range []bool{false, true} {
		// Adam's first step is lr·sign(g): k goes from 2 to 0.5.
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
			Optimizer: lagrt.NewAdam(1.5), Epochs: 1, Frozen: []string{"m"}, Retry: retry})
		t.Logf("retry=%v: θ %v, loss %.3g, %d retries, error %v", retry, res.Theta, res.Loss, res.Retries, err)
		if !retry {
			var se *lagrt.SampleError
			if !errors.As(err, &se) || se.Epoch != 2 || se.Sample != 0 || !errors.Is(err, lagrt.ErrNaN) || res.Theta[1] != 2 {
				t.Errorf("without retry: error %v, θ %v", err, res.Theta)
			}
			continue
		}
		if err != nil || res.Retries != 1 || math.Abs(res.Theta[1]-0.5) > 1e-6 || !(res.Loss < 1e-12) {
			t.Errorf("with retry: error %v, θ %v, loss %v, %d retries", err, res.Theta, res.Loss, res.Retries)
		}
	}
}

// Invalid options are reported before any solve.
func TestTrainInvalid(t *testing.T) {
	data := trainOscData(t, 2, 2, 20)
	m := lagrttest.NewOscillator(1, 1)
	for _, c := range []struct {
		name  string
		theta []float64
		opt   lagrt.TrainOptions
		data  *lagrt.Dataset
		want  string
	}{
		{"unknown frozen", nil, lagrt.TrainOptions{Frozen: []string{"x"}}, data, `cannot freeze "x"`},
		{"frozen index", nil, lagrt.TrainOptions{FrozenIndices: []int{2}}, data, "cannot freeze parameter 2"},
		{"theta", []float64{1}, lagrt.TrainOptions{}, data, "1 parameter values"},
		{"empty", nil, lagrt.TrainOptions{}, &lagrt.Dataset{}, "empty dataset"},
		{"epochs", nil, lagrt.TrainOptions{Epochs: -1}, data, "-1 epochs"},
	} {
		_, err := lagrt.Train(context.Background(), m, c.data, c.theta, &c.opt)
		if !errors.Is(err, lagrt.ErrProblem) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	// Zero epochs evaluate the loss only.
	res, err := lagrt.Train(context.Background(), m, data, nil, nil)
	if err != nil || res.Steps != 0 || len(res.History) != 0 || !(res.Loss > 0) || res.Solves != 2 {
		t.Errorf("zero epochs: %+v, %v", res, err)
	}
}

// The Evaluator reports per-sample costs whose mean is the loss.
func TestTrainEvaluator(t *testing.T) {
	data := trainOscData(t, 2, 3, 30)
	ev := &lagrt.Evaluator{Model: lagrttest.NewOscillator(1, 1.5), Data: data, Method: lagrt.Adjoint, Workers: 2}
	r, err := ev.LossGrad(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ev.Loss(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for i, c := range r.Costs {
		sum += c
		sol, err := lagrt.Solve(data.Problem(ev.Model, i, nil), nil)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(sol.Cost-c) > 1e-12*c {
			t.Errorf("sample %d: cost %v, direct solve %v", i, c, sol.Cost)
		}
	}
	if math.Abs(sum/3-r.Loss) > 1e-15 || math.Abs(l.Loss-r.Loss) > 1e-12*r.Loss || l.Grad != nil || len(r.Grad) != 2 || r.Solves != 3 || l.Solves != 3 {
		t.Errorf("LossGrad %+v, Loss %+v", r, l)
	}
}

// BenchmarkLossGrad evaluates once (cold, as lagrt.LossGrad does) the
// centered-EP loss gradient of 8 nonlinear samples (3-dof coupled system
// with fixed and periodic ends, 400 steps) on 1 and 2 workers.
func BenchmarkLossGrad(b *testing.B) {
	m, data := trainCoupledData()
	data.Samples = append(data.Samples[:7:7], data.Samples[0])
	data.N = 400
	for i := range data.Samples {
		if data.Samples[i].N != 0 {
			data.Samples[i].N = 400
		}
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := lagrt.LossGrad(context.Background(), m, data, nil, lagrt.EPCentered, nil, w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The zero TrainOptions train like the lagc command: centered EP and
// Adam with learning rate 0.05.
func TestTrainDefaults(t *testing.T) {
	data := trainOscData(t, 2, 3, 40)
	m := lagrttest.NewOscillator(1, 1)
	run := func(opt *lagrt.TrainOptions) *lagrt.TrainResult {
		res, err := lagrt.Train(context.Background(), m, data, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	def := run(&lagrt.TrainOptions{Epochs: 3})
	cli := run(&lagrt.TrainOptions{Epochs: 3, Method: lagrt.EPCentered, Optimizer: lagrt.NewAdam(0.05)})
	one := run(&lagrt.TrainOptions{Epochs: 3, Method: lagrt.EPOneSided, Optimizer: lagrt.NewAdam(0.05)})
	for e := range def.History {
		if !bitsEqual(def.History[e].Grad, cli.History[e].Grad) || !bitsEqual(def.History[e].Theta, cli.History[e].Theta) {
			t.Errorf("epoch %d: zero options %v %v, centered+adam(0.05) %v %v", e+1,
				def.History[e].Theta, def.History[e].Grad, cli.History[e].Theta, cli.History[e].Grad)
		}
	}
	if bitsEqual(def.History[0].Grad, one.History[0].Grad) {
		t.Errorf("the zero options give the one-sided gradient %v", one.History[0].Grad)
	}
	// Adam's first step is lr·sign(g) in every coordinate.
	if d := math.Abs(def.History[1].Theta[1] - def.History[0].Theta[1]); math.Abs(d-0.05) > 1e-6 {
		t.Errorf("first step %g, want 0.05", d)
	}
	var ev lagrt.Evaluator
	var g lagrt.Gradient
	if ev.Method != lagrt.EPCentered || g.Method != lagrt.EPCentered || lagrt.Method(0).String() != "centered" {
		t.Errorf("zero Method is %v", lagrt.Method(0))
	}
}

// The discretisation error estimate is off in training unless asked for;
// then its warnings are reported per sample.
func TestTrainErrorEstimate(t *testing.T) {
	data := &lagrt.Dataset{T: 1.2, N: 100, Samples: []lagrt.Sample{
		{Q0: []float64{0.1}, QT: []float64{0.2}, Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.1 }}},
	}}
	m := lagrttest.NewOscillator(1, 1e4) // ωh = 1.2
	for _, on := range []bool{false, true} {
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{Epochs: 2, Frozen: []string{"m"}, ErrorEstimate: on})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("error estimate %v: %d warnings", on, len(res.Warnings))
		if on != (len(res.Warnings) == 6 && strings.HasPrefix(res.Warnings[0], "epoch 1: sample 0: under-resolved time scale")) ||
			on != (len(res.History[0].Warnings) > 0) {
			t.Errorf("error estimate %v: warnings %q", on, res.Warnings)
		}
	}
}
