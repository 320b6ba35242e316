package lagrt_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// batchLog records what TrainOptions.BatchProgress sees, copying the
// slices that are valid only during the call.
type batchLog struct {
	stats   []lagrt.BatchStats
	samples [][]int
	thetas  [][]float64
}

func (l *batchLog) progress(st *lagrt.BatchStats) error {
	l.stats = append(l.stats, *st)
	l.samples = append(l.samples, slices.Clone(st.Samples))
	l.thetas = append(l.thetas, slices.Clone(st.Theta))
	return nil
}

// Minibatch training gives bitwise identical batches, epochs and final
// parameters for any number of workers.
func TestTrainMinibatchWorkers(t *testing.T) {
	m, data := trainCoupledData() // 7 samples: batches of 3, 3 and 1
	var ref *lagrt.TrainResult
	var refLog *batchLog
	for _, w := range []int{1, 3} {
		log := new(batchLog)
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
			Method: lagrt.EPCentered, Optimizer: lagrt.NewAdam(0.02), Epochs: 3, Workers: w,
			BatchSize: 3, Seed: 7, BatchProgress: log.progress})
		if err != nil {
			t.Fatal(err)
		}
		if res.Steps != 9 || len(res.History) != 3 || len(log.stats) != 9 {
			t.Fatalf("workers=%d: %d steps, %d epochs, %d batches", w, res.Steps, len(res.History), len(log.stats))
		}
		if ref == nil {
			ref, refLog = res, log
			t.Logf("epoch losses %.6g, %.6g, %.6g; final %.6g", res.History[0].Loss, res.History[1].Loss, res.History[2].Loss, res.Loss)
			continue
		}
		for b, st := range log.stats {
			r := refLog.stats[b]
			if !bitsEqual([]float64{st.Loss, st.GradNorm}, []float64{r.Loss, r.GradNorm}) || !slices.Equal(log.samples[b], refLog.samples[b]) ||
				!bitsEqual(log.thetas[b], refLog.thetas[b]) || st.Solves != r.Solves || st.Iterations != r.Iterations {
				t.Errorf("workers=%d batch %d differs from workers=1:\n%+v\n%+v", w, b, st, r)
			}
		}
		for e, st := range res.History {
			r := ref.History[e]
			if !bitsEqual([]float64{st.Loss, st.GradNorm}, []float64{r.Loss, r.GradNorm}) || !bitsEqual(st.Theta, r.Theta) ||
				st.Solves != r.Solves || st.Iterations != r.Iterations {
				t.Errorf("workers=%d epoch %d differs from workers=1:\n%+v\n%+v", w, st.Epoch, st, r)
			}
		}
		if !bitsEqual(res.Theta, ref.Theta) || math.Float64bits(res.Loss) != math.Float64bits(ref.Loss) {
			t.Errorf("workers=%d: final θ %v loss %v, workers=1: %v %v", w, res.Theta, res.Loss, ref.Theta, ref.Loss)
		}
	}
}

// The shuffle of each epoch is rand.New(rand.NewPCG(Seed, epoch)).Perm:
// the same seed gives the same run, another seed another order.
func TestTrainMinibatchSeed(t *testing.T) {
	data := trainOscData(t, 2, 7, 30)
	m := lagrttest.NewOscillator(1, 1)
	run := func(seed uint64) (*lagrt.TrainResult, *batchLog) {
		log := new(batchLog)
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
			Epochs: 3, BatchSize: 3, Seed: seed, Workers: 2, BatchProgress: log.progress})
		if err != nil {
			t.Fatal(err)
		}
		return res, log
	}
	orders := func(log *batchLog) [][]int {
		var o [][]int
		for b, st := range log.stats {
			if st.Batch == 1 {
				o = append(o, nil)
			}
			o[len(o)-1] = append(o[len(o)-1], log.samples[b]...)
		}
		return o
	}
	a, la := run(5)
	b, lb := run(5)
	c, lc := run(6)
	oa, oc := orders(la), orders(lc)
	for e, o := range oa {
		if want := rand.New(rand.NewPCG(5, uint64(e+1))).Perm(7); !slices.Equal(o, want) {
			t.Errorf("seed 5 epoch %d: order %v, want %v", e+1, o, want)
		}
	}
	if slices.Equal(oa[0], oa[1]) {
		t.Errorf("epochs 1 and 2 visit the samples in the same order %v", oa[0])
	}
	if !bitsEqual(a.Theta, b.Theta) || !slices.EqualFunc(oa, orders(lb), slices.Equal) {
		t.Errorf("same seed: θ %v and %v", a.Theta, b.Theta)
	}
	if slices.EqualFunc(oa, oc, slices.Equal) || bitsEqual(a.Theta, c.Theta) {
		t.Errorf("seeds 5 and 6: orders %v and %v, θ %v and %v", oa, oc, a.Theta, c.Theta)
	}
}

// Every epoch evaluates every sample exactly once, batch by batch, and
// the final evaluation once more; Observe sees each free solution.
func TestTrainMinibatchVisitsEachSampleOnce(t *testing.T) {
	m, data := trainCoupledData()
	ns := len(data.Samples)
	var mu sync.Mutex
	count := make([]int, ns)
	cost := make([]float64, ns)
	var batch []int // samples observed since the last batch
	epochs := 0
	res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
		Optimizer: lagrt.NewAdam(0.01), Epochs: 3, BatchSize: 2, Seed: 1, Workers: 2,
		Observe: func(i int, sol *lagrt.Solution) {
			mu.Lock()
			defer mu.Unlock()
			count[i]++
			cost[i] = sol.Cost
			batch = append(batch, i)
			if len(sol.Q) < 2 {
				t.Errorf("sample %d: solution with %d rows", i, len(sol.Q))
			}
		},
		BatchProgress: func(st *lagrt.BatchStats) error {
			slices.Sort(batch)
			if !slices.Equal(batch, slices.Sorted(slices.Values(st.Samples))) {
				t.Errorf("epoch %d batch %d: observed %v, batch %v", st.Epoch, st.Batch, batch, st.Samples)
			}
			sum := 0.0
			for _, i := range st.Samples {
				sum += cost[i]
			}
			if l := sum / float64(len(st.Samples)); l != st.Loss {
				t.Errorf("epoch %d batch %d: loss %v, mean of the observed costs %v", st.Epoch, st.Batch, st.Loss, l)
			}
			batch = batch[:0]
			return nil
		},
		Progress: func(st *lagrt.EpochStats) error {
			epochs++
			for i, c := range count {
				if c != 1 {
					t.Errorf("epoch %d: sample %d evaluated %d times", st.Epoch, i, c)
				}
				count[i] = 0
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if epochs != 3 || res.Steps != 3*4 {
		t.Errorf("%d epochs, %d steps", epochs, res.Steps)
	}
	for i, c := range count {
		if c != 1 {
			t.Errorf("final evaluation: sample %d evaluated %d times", i, c)
		}
	}
}

// A batch of at least the whole dataset is the full batch, bitwise.
func TestTrainMinibatchWholeDataset(t *testing.T) {
	m, data := trainCoupledData()
	ns := len(data.Samples)
	run := func(bs int) *lagrt.TrainResult {
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
			Optimizer: lagrt.NewAdam(0.02), Epochs: 3, BatchSize: bs, Seed: 9, Workers: 2,
			BatchProgress: func(*lagrt.BatchStats) error { return errors.New("called with a full batch") }})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	full := run(0)
	for _, bs := range []int{ns, ns + 5} {
		res := run(bs)
		for e, st := range res.History {
			r := full.History[e]
			if !bitsEqual([]float64{st.Loss, st.GradNorm}, []float64{r.Loss, r.GradNorm}) || !bitsEqual(st.Grad, r.Grad) ||
				!bitsEqual(st.Theta, r.Theta) || st.Steps != e || st.Batches != 1 || st.Iterations != r.Iterations {
				t.Errorf("batch %d epoch %d differs from the full batch:\n%+v\n%+v", bs, e+1, st, r)
			}
		}
		if !bitsEqual(res.Theta, full.Theta) || res.Loss != full.Loss || len(res.History) != 3 || res.Steps != 3 {
			t.Errorf("batch %d: θ %v loss %v, full batch %v %v", bs, res.Theta, res.Loss, full.Theta, full.Loss)
		}
	}
}

// Minibatches train the oscillator's stiffness to the teacher's, and the
// best parameters are the final ones.
func TestTrainMinibatchLossFalls(t *testing.T) {
	data := trainOscData(t, 2, 6, 40)
	m := lagrttest.NewOscillator(1, 1)
	l0, err := (&lagrt.Evaluator{Model: m, Data: data}).Loss(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
		Optimizer: lagrt.NewAdam(0.05), Epochs: 30, BatchSize: 2, Frozen: []string{"m"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loss %.3g → %.3g in %d steps, θ = %v", l0.Loss, res.Loss, res.Steps, res.Theta)
	if !(res.Loss*100 < l0.Loss) || math.Abs(res.Theta[1]-2) > 0.01 || res.Theta[0] != 1 {
		t.Errorf("loss %.3g → %.3g, θ = %v", l0.Loss, res.Loss, res.Theta)
	}
	if !(res.History[29].Loss < res.History[0].Loss/10) {
		t.Errorf("epoch losses %.3g → %.3g", res.History[0].Loss, res.History[29].Loss)
	}
	if !bitsEqual(res.BestTheta, res.Theta) || res.BestLoss != res.Loss || len(res.Warnings) != 0 {
		t.Errorf("best θ %v loss %v, final %v %v; warnings %q", res.BestTheta, res.BestLoss, res.Theta, res.Loss, res.Warnings)
	}
}

// BatchProgress is called after every step with the right numbers, and
// Progress once per epoch with the epoch's means and the parameters after
// its steps; TargetLoss compares the epoch's mean loss, and the final
// evaluation follows.
func TestTrainBatchProgress(t *testing.T) {
	data := trainOscData(t, 2, 7, 30)
	m := lagrttest.NewOscillator(1, 1)
	for _, c := range []struct {
		name          string
		epochs        int
		target        float64
		wantEpochs    int
		wantFinalLoss bool
	}{
		{"4 epochs", 4, 0, 4, true},
		{"target loss", 4, 1e9, 1, true},
	} {
		log := new(batchLog)
		var epochs []lagrt.EpochStats
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
			Epochs: c.epochs, BatchSize: 3, Workers: 2, TargetLoss: c.target, BatchProgress: log.progress,
			Progress: func(st *lagrt.EpochStats) error {
				epochs = append(epochs, *st)
				if len(log.stats) != 3*st.Epoch {
					t.Errorf("%s: epoch %d reported after %d batches", c.name, st.Epoch, len(log.stats))
				}
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		if len(log.stats) != 3*c.wantEpochs || len(epochs) != c.wantEpochs || len(res.History) != c.wantEpochs || res.Steps != 3*c.wantEpochs {
			t.Fatalf("%s: %d batches, %d epochs, %d steps", c.name, len(log.stats), len(epochs), res.Steps)
		}
		for b, st := range log.stats {
			if st.Epoch != b/3+1 || st.Batch != b%3+1 || st.Batches != 3 || st.Steps != b+1 || len(log.samples[b]) != []int{3, 3, 1}[b%3] ||
				!(st.Loss > 0) || !(st.GradNorm > 0) || st.Solves != 3*len(log.samples[b]) || len(log.thetas[b]) != 2 {
				t.Errorf("%s: batch stats %d: %+v", c.name, b, st)
			}
		}
		for e, st := range epochs {
			bs := log.stats[3*e : 3*e+3]
			loss := (bs[0].Loss*3 + bs[1].Loss*3 + bs[2].Loss) / 7
			norm := (bs[0].GradNorm + bs[1].GradNorm + bs[2].GradNorm) / 3
			if math.Abs(st.Loss-loss) > 1e-14*loss || st.GradNorm != norm || st.Grad != nil || st.Steps != 3*(e+1) || st.Batches != 3 ||
				!bitsEqual(st.Theta, log.thetas[3*e+2]) || st.Solves != 3*7 {
				t.Errorf("%s: epoch stats %+v, batches %+v", c.name, st, bs)
			}
		}
		if !bitsEqual(res.Theta, log.thetas[len(log.thetas)-1]) || !(res.Loss > 0) || res.Solves != 3*7*c.wantEpochs+7 {
			t.Errorf("%s: result θ %v loss %v, %d solves", c.name, res.Theta, res.Loss, res.Solves)
		}
	}
}

// Stopping in the middle of an epoch returns the parameters after the
// last step taken, with the steps counted, and no loss at them.
func TestTrainMinibatchStop(t *testing.T) {
	data := trainOscData(t, 2, 7, 30)
	m := lagrttest.NewOscillator(1, 1)
	stop := errors.New("enough")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, c := range []struct {
		name      string
		ctx       context.Context
		batch     func(*lagrt.BatchStats) error
		epoch     func(*lagrt.EpochStats) error
		cause     error
		steps     int
		where     string
		histories int
	}{
		{"BatchProgress error", context.Background(), func(st *lagrt.BatchStats) error {
			if st.Epoch == 2 && st.Batch == 2 {
				return stop
			}
			return nil
		}, nil, stop, 5, "at epoch 2, batch 2 of 3", 1},
		{"cancelled", ctx, func(st *lagrt.BatchStats) error {
			if st.Epoch == 2 && st.Batch == 1 {
				cancel()
			}
			return nil
		}, nil, context.Canceled, 4, "in epoch 2 (batch 2 of 3)", 1},
		{"Progress error", context.Background(), nil, func(st *lagrt.EpochStats) error {
			if st.Epoch == 2 {
				return stop
			}
			return nil
		}, stop, 6, "at epoch 2", 2},
	} {
		log := new(batchLog)
		res, err := lagrt.Train(c.ctx, m, data, nil, &lagrt.TrainOptions{
			Epochs: 10, BatchSize: 3, Workers: 2, Progress: c.epoch,
			BatchProgress: func(st *lagrt.BatchStats) error {
				log.progress(st)
				if c.batch != nil {
					return c.batch(st)
				}
				return nil
			}})
		t.Logf("%s: %v", c.name, err)
		if !errors.Is(err, lagrt.ErrStopped) || !errors.Is(err, c.cause) || !strings.Contains(err.Error(), c.where) {
			t.Errorf("%s: error %v, want ErrStopped, %v, %q", c.name, err, c.cause, c.where)
			continue
		}
		if res.Steps != c.steps || len(log.stats) != c.steps || len(res.History) != c.histories {
			t.Errorf("%s: %d steps, %d batches, %d epochs", c.name, res.Steps, len(log.stats), len(res.History))
		}
		if !bitsEqual(res.Theta, log.thetas[c.steps-1]) || !math.IsNaN(res.Loss) || res.BestTheta != nil {
			t.Errorf("%s: θ %v (after the last step %v), loss %v, best θ %v", c.name, res.Theta, log.thetas[c.steps-1], res.Loss, res.BestTheta)
		}
	}
}

// A failing sample stops minibatch training with an error naming the
// epoch and the first failing sample of the batch, for any number of
// workers, and the result holds the parameters after the last step.
func TestTrainMinibatchSampleFailure(t *testing.T) {
	data := trainOscData(t, 2, 6, 40)
	// Samples 2, 4 and 5 fail once k > 1.3 (TestTrainSampleFailure).
	m := failModel{lagrttest.NewOscillator(1, 1), func(k, q float64) bool { return k > 1.3 && math.Abs(q) > 0.65 }}
	var ref string
	for _, w := range []int{1, 3} {
		log := new(batchLog)
		res, err := lagrt.Train(context.Background(), m, data, []float64{1, 1}, &lagrt.TrainOptions{
			Optimizer: lagrt.NewAdam(0.05), Epochs: 50, BatchSize: 2, Seed: 3, Frozen: []string{"m"}, Workers: w, Retry: true,
			BatchProgress: log.progress})
		var se *lagrt.SampleError
		if !errors.As(err, &se) || !errors.Is(err, lagrt.ErrNaN) {
			t.Fatalf("error %v, want a SampleError wrapping ErrNaN", err)
		}
		// The failing batch follows the last one reported.
		last := log.stats[len(log.stats)-1]
		epoch, batch := last.Epoch, last.Batch+1
		if batch > last.Batches {
			epoch, batch = epoch+1, 1
		}
		order := rand.New(rand.NewPCG(3, uint64(epoch))).Perm(6)
		want := -1
		for _, i := range order[2*(batch-1) : 2*batch] {
			if i == 2 || i == 4 || i == 5 {
				want = i
				break
			}
		}
		if w == 1 {
			ref = err.Error()
			t.Logf("%v (batch %d, order %v)", err, batch, order)
		}
		if se.Epoch != epoch || se.Sample != want || err.Error() != ref ||
			!strings.HasPrefix(err.Error(), fmt.Sprintf("lagrt: epoch %d: sample %d: ", epoch, want)) {
			t.Errorf("workers=%d: error %q (sample %d, epoch %d), want epoch %d sample %d", w, err, se.Sample, se.Epoch, epoch, want)
		}
		if !bitsEqual(res.Theta, log.thetas[len(log.thetas)-1]) || res.Steps != last.Steps || res.Theta[1] <= 1.3 {
			t.Errorf("workers=%d: θ %v after %d steps, last step's %v after %d", w, res.Theta, res.Steps, log.thetas[len(log.thetas)-1], last.Steps)
		}
	}
}

// Each sample is warm-started from its own trajectory of the previous
// epoch: on the nonlinear dataset warm starts save Newton iterations.
func TestTrainMinibatchWarmStart(t *testing.T) {
	m, data := trainCoupledData()
	run := func(noWarm bool) *lagrt.TrainResult {
		res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
			Method: lagrt.Adjoint, Optimizer: lagrt.NewAdam(0.01), Epochs: 4, BatchSize: 3, Workers: 2, NoWarmStart: noWarm})
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
	if warm.History[0].Iterations != cold.History[0].Iterations || float64(iw) > 0.75*float64(ic) {
		t.Errorf("epoch 1: warm %d iterations, cold %d; epochs 2..4: warm %d, cold %d",
			warm.History[0].Iterations, cold.History[0].Iterations, iw, ic)
	}
	if e := lagrttest.RelErr(warm.Theta, cold.Theta); e > 1e-8 {
		t.Errorf("warm and cold parameters differ by %.3g", e)
	}
}

// Invalid batch sizes are refused.
func TestTrainMinibatchInvalid(t *testing.T) {
	data := trainOscData(t, 2, 3, 20)
	_, err := lagrt.Train(context.Background(), lagrttest.NewOscillator(1, 1), data, nil, &lagrt.TrainOptions{Epochs: 1, BatchSize: -2})
	if !errors.Is(err, lagrt.ErrProblem) || !strings.Contains(err.Error(), "batch size -2") {
		t.Errorf("error %v", err)
	}
}

// LossGradBatch and LossBatch over a list of samples agree bitwise with
// LossGrad and Loss over a Dataset of those samples, also on a second call
// where every sample starts from its own warm start, whatever the list's
// order.
func TestEvaluatorBatch(t *testing.T) {
	m, data := trainCoupledData()
	list := []int{5, 1, 6, 2}
	sub := *data
	sub.Samples = nil
	for _, i := range list {
		sub.Samples = append(sub.Samples, data.Samples[i])
	}
	theta1 := slices.Clone(m.Info().Defaults)
	theta2 := slices.Clone(theta1)
	for a := range theta2 {
		theta2[a] -= 0.01
	}
	for _, withGrad := range []bool{true, false} {
		var mu sync.Mutex
		var observed []int
		batch := &lagrt.Evaluator{Model: m, Data: data, Workers: 3, Observe: func(i int, sol *lagrt.Solution) {
			mu.Lock()
			observed = append(observed, i)
			mu.Unlock()
		}}
		whole := &lagrt.Evaluator{Model: m, Data: &sub, Workers: 1}
		eval := func(e *lagrt.Evaluator, theta []float64, l []int) *lagrt.Evaluation {
			var r *lagrt.Evaluation
			var err error
			switch {
			case withGrad && l != nil:
				r, err = e.LossGradBatch(context.Background(), theta, l)
			case withGrad:
				r, err = e.LossGrad(context.Background(), theta)
			case l != nil:
				r, err = e.LossBatch(context.Background(), theta, l)
			default:
				r, err = e.Loss(context.Background(), theta)
			}
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		a, b := eval(batch, theta1, list), eval(whole, theta1, nil)
		if math.Float64bits(a.Loss) != math.Float64bits(b.Loss) || !bitsEqual(a.Grad, b.Grad) || !bitsEqual(a.Costs, b.Costs) ||
			a.Solves != b.Solves || a.Iterations != b.Iterations || (a.Grad != nil) != withGrad {
			t.Errorf("grad=%v: batch %+v, sub-dataset %+v", withGrad, a, b)
		}
		slices.Sort(observed)
		if !slices.Equal(observed, []int{1, 2, 5, 6}) {
			t.Errorf("grad=%v: observed %v", withGrad, observed)
		}
		// Second call, the list reversed: each sample keeps its own
		// warm start, so the costs match those of the sub-dataset.
		rev := slices.Clone(list)
		slices.Reverse(rev)
		a, b = eval(batch, theta2, rev), eval(whole, theta2, nil)
		slices.Reverse(a.Costs)
		if !bitsEqual(a.Costs, b.Costs) || a.Iterations != b.Iterations || math.Abs(a.Loss-b.Loss) > 1e-15*b.Loss {
			t.Errorf("grad=%v, second call: batch %+v, sub-dataset %+v", withGrad, a, b)
		}
	}

	// Bad lists.
	ev := &lagrt.Evaluator{Model: m, Data: data}
	for _, c := range []struct {
		list []int
		want string
	}{
		{nil, "no samples"},
		{[]int{}, "no samples"},
		{[]int{0, 7}, "sample 7 listed, the dataset has 7 samples"},
		{[]int{-1}, "sample -1 listed"},
		{[]int{3, 1, 3}, "sample 3 listed twice"},
	} {
		_, err := ev.LossGradBatch(context.Background(), nil, c.list)
		wantErr(t, err, lagrt.ErrProblem, c.want)
		_, err = ev.LossBatch(context.Background(), nil, c.list)
		wantErr(t, err, lagrt.ErrProblem, c.want)
	}
}

// When several listed samples fail, the error names the one listed first,
// by its index in the dataset, for any number of workers.
func TestEvaluatorBatchFailure(t *testing.T) {
	data := trainOscData(t, 2, 6, 40)
	m := failModel{lagrttest.NewOscillator(1, 1.5), func(k, q float64) bool { return k > 1.3 && math.Abs(q) > 0.65 }}
	for _, c := range []struct {
		list []int
		want int
	}{
		{[]int{0, 5, 3, 2}, 5},
		{[]int{3, 2, 4}, 2},
		{[]int{4, 0, 1, 5, 2}, 4},
	} {
		for _, w := range []int{1, 4} {
			ev := &lagrt.Evaluator{Model: m, Data: data, Workers: w}
			_, err := ev.LossGradBatch(context.Background(), nil, c.list)
			var se *lagrt.SampleError
			if !errors.As(err, &se) || se.Sample != c.want || !strings.HasPrefix(err.Error(), fmt.Sprintf("lagrt: sample %d: ", c.want)) {
				t.Errorf("list %v workers=%d: error %v, want sample %d", c.list, w, err, c.want)
			}
		}
	}
}

// Loss-only evaluations keep no gradients; gradient evaluations keep
// those of their batch (and of the previous call, for branch-jump
// detection), and minibatch training those of one batch.
func TestEvaluatorGradientBuffers(t *testing.T) {
	m, data := trainCoupledData()
	ev := &lagrt.Evaluator{Model: m, Data: data, Workers: 2}
	ctx := context.Background()
	steps := []struct {
		name string
		run  func() error
		want int
	}{
		{"Loss", func() error { _, err := ev.Loss(ctx, nil); return err }, 0},
		{"LossBatch", func() error { _, err := ev.LossBatch(ctx, nil, []int{3, 4, 5}); return err }, 0},
		{"Loss again", func() error { _, err := ev.Loss(ctx, nil); return err }, 0},
		{"LossGradBatch", func() error { _, err := ev.LossGradBatch(ctx, nil, []int{1, 2}); return err }, 2},
		{"LossGradBatch again", func() error { _, err := ev.LossGradBatch(ctx, nil, []int{0, 6}); return err }, 4},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			t.Fatal(err)
		}
		if n := ev.GradBuffers(); n != s.want {
			t.Errorf("after %s: %d gradient buffers, want %d", s.name, n, s.want)
		}
	}
	res, n, err := lagrt.TrainGradBuffers(ctx, m, data, nil, &lagrt.TrainOptions{Epochs: 2, BatchSize: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || res.Steps != 8 {
		t.Errorf("minibatch training of %d samples in batches of 2 keeps %d gradient buffers after %d steps", len(data.Samples), n, res.Steps)
	}
}
