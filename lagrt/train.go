package lagrt

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrStopped is wrapped by the error Train returns when training was
// stopped before completion by a cancelled context or by an error from
// TrainOptions.Progress; the error wraps the cause as well (for example
// context.Canceled). The TrainResult returned with it holds the last good
// parameters.
var ErrStopped = errors.New("lagrt: training stopped")

// Dataset is a set of training samples with the defaults they inherit.
//
// The loss of a dataset at parameters θ is the mean over its samples of the
// discrete cost C_d of each sample's free stationary trajectory, and its
// gradient the mean of the samples' gradients dC_d/dθ.
type Dataset struct {
	// T, N and BC are the horizon, number of steps and boundary
	// conditions of samples that do not set their own.
	T  float64
	N  int
	BC BC
	// Samples lists the samples; the loss is their mean cost.
	Samples []Sample
}

// Sample is one training example: a Problem without model and parameters.
type Sample struct {
	T  float64 // horizon; 0 means Dataset.T
	N  int     // number of steps; 0 means Dataset.N
	BC *BC     // boundary conditions; nil means Dataset.BC

	// Q0 and QT are the endpoint values for Fixed conditions; Q0 is
	// q(0) for Initial conditions.
	Q0, QT []float64
	// V0 and P0 are the initial velocity and momentum of Initial
	// conditions (set exactly one; see Problem.V0).
	V0, P0 []float64
	// Input and Target are the signals u(t) and y(t). With several
	// workers, Func signals shared between samples may be called
	// concurrently and must then be safe for concurrent use.
	Input, Target Signal
	// Guess is an optional initial trajectory (see Problem.Guess). With
	// warm starts it is used until the sample has been solved once, and
	// by retries (Evaluator.Retry).
	Guess [][]float64
}

// Problem returns sample i as a Problem of model m at parameters theta (nil:
// the model's defaults), with the dataset's defaults applied. The Problem
// shares the sample's slices.
func (d *Dataset) Problem(m Model, i int, theta []float64) *Problem {
	pr := new(Problem)
	d.fill(pr, m, i, theta)
	return pr
}

func (d *Dataset) fill(pr *Problem, m Model, i int, theta []float64) {
	s := &d.Samples[i]
	*pr = Problem{Model: m, T: d.T, N: d.N, BC: d.BC, Q0: s.Q0, QT: s.QT, V0: s.V0, P0: s.P0, Theta: theta,
		Input: s.Input, Target: s.Target, Guess: s.Guess}
	if s.T != 0 {
		pr.T = s.T
	}
	if s.N != 0 {
		pr.N = s.N
	}
	if s.BC != nil {
		pr.BC = *s.BC
	}
}

// SampleError reports the failure of one sample's solve or gradient. It
// unwraps to the solver's error, which says what went wrong and what to
// try (test it with errors.Is against ErrNoConvergence, ErrSingular, ErrNaN
// or ErrProblem).
type SampleError struct {
	// Epoch is the 1-based epoch of Train in which the sample failed
	// (for the evaluation after the last step, the number of the last
	// epoch plus one: TrainOptions.Epochs+1 unless TargetLoss ended
	// training early), and 0 outside Train.
	Epoch int
	// Sample is the index of the failing sample in Dataset.Samples. When
	// several samples fail, it is the one evaluated first in order,
	// whatever the number of workers: the lowest index for LossGrad,
	// Loss and full-batch training, the one listed first for
	// LossGradBatch and LossBatch, and the first in the batch's shuffled
	// order for minibatch training.
	Sample int
	// Err is the underlying error.
	Err error
}

// Error returns "lagrt: epoch E: sample I: " followed by the underlying
// message.
func (e *SampleError) Error() string {
	msg := strings.TrimPrefix(e.Err.Error(), "lagrt: ")
	switch {
	case e.Epoch == 0:
		return fmt.Sprintf("lagrt: sample %d: %s", e.Sample, msg)
	default:
		return fmt.Sprintf("lagrt: epoch %d: sample %d: %s", e.Epoch, e.Sample, msg)
	}
}

// Unwrap returns the underlying error.
func (e *SampleError) Unwrap() error { return e.Err }

// Evaluation is the result of evaluating the loss (and possibly its
// gradient) of a Dataset, or of some of its samples.
type Evaluation struct {
	// Loss is the mean over the samples evaluated of their discrete
	// costs C_d.
	Loss float64
	// Grad is the mean over the samples evaluated of dC_d/dθ (nil from
	// Evaluator.Loss and Evaluator.LossBatch).
	Grad []float64
	// Costs holds each sample's C_d, in the order evaluated: sample order
	// for LossGrad and Loss, the order of the list for LossGradBatch and
	// LossBatch.
	Costs []float64
	// Solves and Iterations total the stationary-trajectory solves and
	// Newton (or chord) iterations over the samples; Retries counts
	// samples solved again from their initial guess (Evaluator.Retry).
	Solves, Iterations, Retries int
	// Warnings lists suspect samples, in the order of Costs, each message
	// starting with "sample I: ": a possible jump to another branch of
	// solutions between evaluations (see Evaluator), and, with
	// Evaluator.ErrorEstimate, the warnings of the free solutions.
	Warnings []string
}

// Evaluator evaluates the loss and gradient of a Dataset, or of lists of
// its samples, repeatedly, in parallel over samples, warm-starting each
// sample from its own previous free trajectory. Set the fields before the
// first call and do not change them afterwards (call Reset after changing
// Data). An Evaluator is not safe for concurrent use; its Model is shared
// by its workers.
//
// Results do not depend on Workers: every sample is computed by one worker
// into its own slot, with its own warm start, and the slots are reduced in
// the order of the samples evaluated, so the loss and gradient are bitwise
// identical for any number of workers.
//
// Branch-jump detection (see "Training" in the package documentation)
// compares a sample with its evaluation in the Evaluator's previous
// successful call, at that call's parameters; samples that the previous
// call did not evaluate are not checked. With LossGrad and Loss every call
// evaluates every sample, so every sample is checked from the second call
// on.
//
// Memory: beyond each sample's warm start (its last free trajectory) and
// a few numbers per sample, a gradient evaluation holds one gradient of P
// values per sample it evaluates, and keeps them for the next call's
// branch-jump detection (their buffers are reused by the call after):
// O(len(samples)·P) for LossGradBatch, O(len(Data.Samples)·P) for
// LossGrad. Loss and LossBatch allocate no gradients.
type Evaluator struct {
	Model Model    // the model, shared by the workers
	Data  *Dataset // the samples; not modified
	// Method is the gradient estimator (the zero value is EPCentered).
	// Each sample uses MethodFor(Method, its BC): the echo for
	// initial-value samples when Method is an EP estimator, EP for
	// boundary-value samples when it is an echo, so that mixed datasets
	// train with one choice.
	Method Method
	Solver *Options // solver and estimator options (nil: defaults)
	// Workers is the number of goroutines solving samples, each with its
	// own Solver (0: GOMAXPROCS; never more than the number of samples
	// evaluated).
	Workers int
	// NoWarmStart disables warm starts: every solve then starts from the
	// sample's Guess or the solver's default guess.
	NoWarmStart bool
	// Retry solves a sample that failed from a warm start once more from
	// its initial guess (Sample.Guess or the solver's default) before
	// reporting the failure. It helps after a large parameter step, when
	// the previous trajectory is a poor start.
	Retry bool
	// ErrorEstimate estimates the discretisation error of every free
	// solve (see Solution.ErrorEstimate) and reports its warnings in
	// Evaluation.Warnings. It is off by default, whatever
	// Options.NoErrorEstimate says: it costs a fraction of a solve.
	ErrorEstimate bool
	// Observe, if not nil, is called once for every sample evaluated
	// successfully, with the sample's index in Data.Samples and its free
	// solution (after the gradient's nudged solves, if any), by every
	// method of the Evaluator. It lets a caller read out the free
	// trajectories, for example a classification from sol.Q, without
	// solving again. It is called from the worker goroutines, so
	// concurrently for different samples, and must be safe for that;
	// a call for a sample happens before the method evaluating it
	// returns. sol and its slices are valid only during the call and
	// must not be modified or retained (copy what is needed).
	Observe func(sample int, sol *Solution)

	slots   []evalSlot    // this call's results, one per position in its list
	prev    []evalSlot    // the previous successful call's, for branch detection
	samples []sampleState // per-sample state, indexed like Data.Samples
	all     []int         // 0, 1, …, len(Data.Samples)-1
	workers []*evalWorker
	opts    Options // Solver, with the error estimate switched as asked

	calls        uint64    // number of calls so far
	lastCall     uint64    // number of the last successful call, 0 if none
	lastTheta    []float64 // its parameters
	lastWithGrad bool      // whether it computed gradients (in prev)
	noBranch     bool      // skip branch-jump detection (minibatch training)
}

// evalSlot holds the results of one position of a call's list of samples.
type evalSlot struct {
	cost                   float64
	grad                   []float64
	solves, iters, retries int
	err                    error
	warnings               []string // this evaluation's warnings, prefixed
}

// sampleState is what an Evaluator keeps of a sample between calls: its
// warm start and its branch-detection history, O(1) beyond the trajectory.
type sampleState struct {
	warm   [][]float64 // last free trajectory, nil before the first solve
	branch branchState // branch-jump detection (branch.go)
	call   uint64      // the call that last evaluated it successfully (0: none)
	pos    int         // its position in that call's list
	listed uint64      // the last call that listed it (duplicate check)
}

// evalWorker is the workspace of one goroutine.
type evalWorker struct {
	s   Solver
	g   Gradient
	sol Solution
	pr  Problem
}

// Reset forgets the warm starts and the history of branch-jump detection.
func (e *Evaluator) Reset() {
	e.samples, e.prev, e.lastCall = nil, nil, 0
}

// LossGrad evaluates the loss and its gradient at theta (nil: the model's
// defaults) over all samples, with the estimator e.Method. If a sample
// fails, the error is a *SampleError naming it (the lowest failing index,
// whatever the number of workers); if ctx is cancelled, the error wraps
// ctx.Err(). Each worker checks ctx before each sample.
func (e *Evaluator) LossGrad(ctx context.Context, theta []float64) (*Evaluation, error) {
	return e.eval(ctx, theta, nil, true)
}

// Loss evaluates the loss at theta (nil: the model's defaults) over all
// samples, with free solves only; it allocates no gradients. Errors are as for
// LossGrad.
func (e *Evaluator) Loss(ctx context.Context, theta []float64) (*Evaluation, error) {
	return e.eval(ctx, theta, nil, false)
}

// LossGradBatch is LossGrad over the samples listed, by index into
// Data.Samples: the Evaluation's Loss and Grad are the means over them and
// its Costs are in the list's order. Each sample keeps its own warm start
// across calls, whichever lists it appears in. The list must be non-empty
// and name each sample at most once (otherwise the error is ErrProblem);
// it is not modified or retained. If samples fail, the *SampleError names
// the failing one listed first, whatever the number of workers.
//
// The reduction follows the list, so LossGradBatch over a list gives
// bitwise the same loss and gradient as LossGrad over a Dataset holding
// those samples in that order, given the same warm starts.
func (e *Evaluator) LossGradBatch(ctx context.Context, theta []float64, samples []int) (*Evaluation, error) {
	if samples == nil {
		samples = []int{}
	}
	return e.eval(ctx, theta, samples, true)
}

// LossBatch is Loss over the samples listed (see LossGradBatch); it
// allocates no gradients.
func (e *Evaluator) LossBatch(ctx context.Context, theta []float64, samples []int) (*Evaluation, error) {
	if samples == nil {
		samples = []int{}
	}
	return e.eval(ctx, theta, samples, false)
}

// check validates the model, dataset and parameters and returns theta.
func (e *Evaluator) check(theta []float64) ([]float64, error) {
	if e.Model == nil {
		return nil, fmt.Errorf("%w: no model", ErrProblem)
	}
	info := e.Model.Info()
	if !info.HasCost {
		return nil, fmt.Errorf("%w: model %s declares no cost to train", ErrProblem, info.Name)
	}
	if e.Data == nil || len(e.Data.Samples) == 0 {
		return nil, fmt.Errorf("%w: %s: empty dataset", ErrProblem, info.Name)
	}
	if e.Method < EPCentered || e.Method > Echo {
		return nil, fmt.Errorf("%w: unknown gradient method %v", ErrProblem, e.Method)
	}
	if theta == nil {
		theta = info.Defaults
	}
	if len(theta) != info.P() {
		return nil, fmt.Errorf("%w: %s: %d parameter values, model has %d parameters", ErrProblem, info.Name, len(theta), info.P())
	}
	if !finite(theta) {
		return nil, fmt.Errorf("%w: %s: parameters contain NaN or Inf", ErrProblem, info.Name)
	}
	return theta, nil
}

// eval evaluates the samples of list (nil: all, in order) at theta.
func (e *Evaluator) eval(ctx context.Context, theta []float64, list []int, withGrad bool) (*Evaluation, error) {
	theta, err := e.check(theta)
	if err != nil {
		return nil, err
	}
	ns := len(e.Data.Samples)
	if len(e.samples) != ns {
		e.samples = make([]sampleState, ns)
		e.prev, e.lastCall = nil, 0
	}
	if len(e.all) != ns {
		e.all = make([]int, ns)
		for i := range e.all {
			e.all[i] = i
		}
	}
	e.calls++
	call := e.calls
	if list == nil {
		list = e.all
	} else {
		if len(list) == 0 {
			return nil, fmt.Errorf("%w: %s: no samples to evaluate", ErrProblem, e.Model.Info().Name)
		}
		for _, i := range list {
			if i < 0 || i >= ns {
				return nil, fmt.Errorf("%w: %s: sample %d listed, the dataset has %d samples", ErrProblem, e.Model.Info().Name, i, ns)
			}
			if e.samples[i].listed == call {
				return nil, fmt.Errorf("%w: %s: sample %d listed twice", ErrProblem, e.Model.Info().Name, i)
			}
			e.samples[i].listed = call
		}
	}
	L := len(list)
	if cap(e.slots) < L {
		e.slots = append(e.slots[:cap(e.slots)], make([]evalSlot, L-cap(e.slots))...)
	}
	e.slots = e.slots[:L]
	for p := range e.slots {
		e.slots[p].err = nil
	}
	e.opts = Options{}
	if e.Solver != nil {
		e.opts = *e.Solver
	}
	e.opts.NoErrorEstimate = !e.ErrorEstimate
	nw := e.Workers
	if nw <= 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	nw = min(nw, L)
	for len(e.workers) < nw {
		e.workers = append(e.workers, new(evalWorker))
	}

	// Workers take positions of the list in increasing order and stop
	// taking new ones after a failure. Every position before a failing
	// one has then been taken and completes, so the first failing
	// position is the same for any number of workers.
	var next atomic.Int64
	var failed atomic.Bool
	run := func(w *evalWorker) {
		for !failed.Load() && ctx.Err() == nil {
			p := int(next.Add(1) - 1)
			if p >= L {
				return
			}
			if !e.sample(w, call, p, list[p], theta, withGrad) {
				failed.Store(true)
			}
		}
	}
	if nw == 1 {
		run(e.workers[0])
	} else {
		var wg sync.WaitGroup
		for _, w := range e.workers[:nw] {
			wg.Go(func() { run(w) })
		}
		wg.Wait()
	}
	for p := range e.slots {
		if err := e.slots[p].err; err != nil {
			return nil, &SampleError{Sample: list[p], Err: err}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("lagrt: evaluation interrupted: %w", err)
	}

	// Reduce in the list's order.
	ev := &Evaluation{Costs: make([]float64, L)}
	if withGrad {
		ev.Grad = make([]float64, len(theta))
	}
	for p := range e.slots {
		sl := &e.slots[p]
		ev.Costs[p] = sl.cost
		ev.Loss += sl.cost
		if withGrad {
			for a, g := range sl.grad {
				ev.Grad[a] += g
			}
		}
		ev.Solves += sl.solves
		ev.Iterations += sl.iters
		ev.Retries += sl.retries
		ev.Warnings = append(ev.Warnings, sl.warnings...)
	}
	ev.Loss /= float64(L)
	for a := range ev.Grad {
		ev.Grad[a] /= float64(L)
	}
	if e.noBranch {
		e.lastCall = 0
	} else {
		// This call's slots become the previous ones; the older ones
		// are reused (their buffers included) by the next call.
		e.lastCall = call
		e.lastTheta = append(e.lastTheta[:0], theta...)
		e.lastWithGrad = withGrad
		e.prev, e.slots = e.slots, e.prev
	}
	return ev, nil
}

// sample computes sample i, at position p of call's list, into its slot
// with worker w and reports success.
func (e *Evaluator) sample(w *evalWorker, call uint64, p, i int, theta []float64, withGrad bool) bool {
	sl := &e.slots[p]
	st := &e.samples[i]
	sl.solves, sl.iters, sl.retries = 0, 0, 0
	pr := &w.pr
	e.Data.fill(pr, e.Model, i, theta)
	warm := false
	ivp := pr.BC == Initial // integrated forward: no guess, no warm start, no other branch
	if !ivp && !e.NoWarmStart && st.warm != nil && len(st.warm) == pr.N+1 && len(st.warm[0]) == e.Model.Info().N() {
		pr.Guess = st.warm
		warm = true
	}
	sol, err := e.solve(w, withGrad)
	if err != nil && warm && e.Retry && !errors.Is(err, ErrProblem) {
		sl.retries++
		pr.Guess = e.Data.Samples[i].Guess
		sol, err = e.solve(w, withGrad)
	}
	pr.Guess = nil
	if err != nil {
		sl.err = err
		return false
	}
	sl.cost = sol.Cost
	var grad []float64
	if withGrad {
		sl.grad = grow(sl.grad, len(w.g.Grad))
		copy(sl.grad, w.g.Grad)
		grad = sl.grad
		sl.solves += w.g.Solves
		sl.iters += w.g.Iterations
	} else {
		sl.solves++
		sl.iters += sol.Iterations
	}
	sl.warnings = sl.warnings[:0]
	for _, w := range sol.Warnings {
		sl.warnings = append(sl.warnings, fmt.Sprintf("sample %d: %s", i, w))
	}
	if ivp {
		st.warm = nil
	} else {
		if !e.noBranch {
			e.checkBranch(st, sl, i, theta, sol.Q, grad)
		}
		st.warm = copyTrajectory(st.warm, sol.Q)
	}
	st.call, st.pos = call, p
	if e.Observe != nil {
		e.Observe(i, sol)
	}
	return true
}

// solve runs the free solve (and the gradient) of w.pr.
func (e *Evaluator) solve(w *evalWorker, withGrad bool) (*Solution, error) {
	if withGrad {
		if err := w.s.Gradient(&w.g, &w.pr, MethodFor(e.Method, w.pr.BC), &e.opts); err != nil {
			return nil, err
		}
		return w.g.Free, nil
	}
	if err := w.s.Solve(&w.sol, &w.pr, &e.opts); err != nil {
		return nil, err
	}
	return &w.sol, nil
}

// MethodFor returns the estimator that a training method m (Evaluator,
// Train, lagc train --method) uses for a sample with boundary conditions
// bc. Equilibrium Propagation and the Hamiltonian echo are the same
// contrast of ∂S/∂θ between a free and nudged trajectories, for
// boundary-value and initial-value problems respectively, so the choice
// of centered or one-sided carries over:
//
//   - for Initial conditions, EPCentered and Echo mean Echo, and
//     EPOneSided and EchoOneSided mean EchoOneSided;
//   - for Fixed and Periodic conditions, Echo means EPCentered and
//     EchoOneSided means EPOneSided;
//   - Adjoint and FiniteDiff mean themselves for every sample.
//
// Gradient and ComputeGradient do not translate: they refuse EP for
// initial-value problems and the echo for boundary-value ones.
func MethodFor(m Method, bc BC) Method {
	switch {
	case bc == Initial && m == EPCentered:
		return Echo
	case bc == Initial && m == EPOneSided:
		return EchoOneSided
	case bc != Initial && m == Echo:
		return EPCentered
	case bc != Initial && m == EchoOneSided:
		return EPOneSided
	}
	return m
}

// copyTrajectory copies src into dst, reusing dst's storage if its shape fits.
func copyTrajectory(dst, src [][]float64) [][]float64 {
	if len(dst) != len(src) || len(src) == 0 || len(dst[0]) != len(src[0]) {
		n := 0
		if len(src) > 0 {
			n = len(src[0])
		}
		flat := make([]float64, len(src)*n)
		dst = make([][]float64, len(src))
		for k := range dst {
			dst[k] = flat[k*n : (k+1)*n : (k+1)*n]
		}
	}
	for k, row := range src {
		copy(dst[k], row)
	}
	return dst
}

// LossGrad evaluates once the loss of data at theta (nil: the model's
// defaults) and its gradient with method, solving samples in parallel on
// workers goroutines (0: GOMAXPROCS). It is a convenience wrapper around
// Evaluator.LossGrad, without warm starts from earlier calls; use an
// Evaluator for repeated evaluations.
func LossGrad(ctx context.Context, m Model, data *Dataset, theta []float64, method Method, opt *Options, workers int) (loss float64, grad []float64, err error) {
	ev := &Evaluator{Model: m, Data: data, Method: method, Solver: opt, Workers: workers}
	r, err := ev.LossGrad(ctx, theta)
	if err != nil {
		return math.NaN(), nil, err
	}
	return r.Loss, r.Grad, nil
}

// TrainOptions configures Train. A nil *TrainOptions and zero fields mean
// the defaults documented on each field.
type TrainOptions struct {
	// Method is the gradient estimator (the zero value is EPCentered,
	// as for the lagc command). Each sample uses MethodFor(Method, its
	// BC): centered EP for boundary-value samples and the centered echo
	// for initial-value ones by default.
	Method Method
	// Solver holds the solver and estimator options (nil: defaults).
	Solver *Options
	// Optimizer updates the parameters (nil: NewAdam(DefaultLearningRate),
	// that is Adam with learning rate 0.05, as for the lagc command).
	// Train uses it as it is, state included.
	Optimizer Optimizer
	// Epochs is the number of passes over the dataset: one optimisation
	// step each on the full dataset, or one per minibatch (BatchSize).
	// With 0, Train only evaluates the loss at the initial parameters.
	Epochs int
	// BatchSize, if positive and less than the number of samples,
	// trains on minibatches: each epoch visits the samples in a shuffled
	// order and takes one optimiser step per BatchSize consecutive
	// samples of that order (the last batch of an epoch may be smaller),
	// on the mean gradient of the batch's samples. 0, or at least the
	// number of samples, trains on the full batch, one step per epoch.
	// See Train for what the callbacks and results mean in either mode.
	BatchSize int
	// Seed seeds the minibatch shuffles: the order of epoch e (from 1)
	// is rand.New(rand.NewPCG(Seed, uint64(e))).Perm(len(data.Samples))
	// of math/rand/v2, so runs are reproducible and do not depend on
	// Workers. It is unused with full batches.
	Seed uint64
	// Workers is the number of goroutines solving samples (0:
	// GOMAXPROCS). Results do not depend on it.
	Workers int
	// Frozen names parameters that never change: entries of Info.Params,
	// or the name of an array parameter ("W" freezes every "W[i][j]").
	// Their gradient entries are zeroed before the step and their values
	// restored after it, whatever the optimiser does.
	Frozen []string
	// FrozenIndices gives further frozen parameters by index into
	// Info.Params.
	FrozenIndices []int
	// ClipNorm, if positive, rescales the gradient of each step (frozen
	// entries zeroed) to Euclidean norm ClipNorm when it is larger.
	ClipNorm float64
	// NoWarmStart disables warm starts (see Evaluator): every epoch then
	// solves each sample from its Guess or the solver's default guess.
	// Warm starts are faster but can carry a sample onto another branch
	// of solutions (see EpochStats.Warnings).
	NoWarmStart bool
	// ErrorEstimate estimates the discretisation error of the free
	// solves (off by default in training; see Evaluator.ErrorEstimate).
	ErrorEstimate bool
	// Retry re-solves a sample that fails from its warm start once from
	// its initial guess before failing (see Evaluator.Retry).
	Retry bool
	// TargetLoss, if positive, ends training (without error) at the
	// first epoch whose loss (EpochStats.Loss) is at most TargetLoss.
	TargetLoss float64
	// Progress, if not nil, is called once per epoch: with full batches
	// after the epoch's evaluation and before its step, with minibatches
	// after the epoch's last step. Returning an error stops training:
	// Train then returns an error wrapping ErrStopped and that error.
	// The stats and their slices may be kept.
	Progress func(*EpochStats) error
	// BatchProgress, if not nil, is called with minibatches (only) after
	// each batch's step. Returning an error stops training like an error
	// from Progress. The stats may be kept, but not their slices, which
	// are valid only during the call and must not be modified.
	BatchProgress func(*BatchStats) error
	// Observe, if not nil, is passed to the Evaluator (Evaluator.Observe):
	// it is called with the free solution of every sample of every
	// evaluation, that is, every sample of every epoch (or of every
	// batch) and of the final evaluation after the last epoch. Use it,
	// for example, to count correct classifications; with minibatches,
	// the samples of an epoch are evaluated at the parameters before
	// their batch's step. It is called concurrently from the workers.
	Observe func(sample int, sol *Solution)
}

// EpochStats describes one epoch of Train.
type EpochStats struct {
	// Epoch is the epoch number, from 1.
	Epoch int
	// Loss is the mean cost of the epoch's samples: with full batches at
	// Theta, the parameters before the epoch's step; with minibatches
	// the mean over all samples of their costs, each evaluated at the
	// parameters before its batch's step.
	Loss float64
	// Grad is, with full batches, the mean gradient at Theta with frozen
	// entries zeroed, before clipping, and GradNorm its Euclidean norm.
	// With minibatches Grad is nil and GradNorm is the mean over the
	// epoch's batches of the Euclidean norms of their gradients (frozen
	// entries zeroed, before clipping).
	Grad     []float64
	GradNorm float64
	// Theta holds, with full batches, the parameters evaluated in this
	// epoch (before its step); with minibatches, the parameters after
	// the epoch's steps.
	Theta []float64
	// Steps counts the optimiser steps taken so far: with full batches
	// before this epoch's step (Epoch−1), with minibatches including
	// this epoch's.
	Steps int
	// Batches is the number of batches in an epoch: 1 with full batches.
	Batches int
	// Elapsed is the time since Train started.
	Elapsed time.Duration
	// Solves, Iterations and Retries count this epoch's solves, Newton
	// (or chord) iterations and retried samples.
	Solves, Iterations, Retries int
	// Warnings lists this epoch's suspect samples (Evaluation.Warnings):
	// possible jumps to another branch of solutions since the previous
	// epoch and, with TrainOptions.ErrorEstimate, large discretisation
	// errors. Branch-jump detection runs with full batches only: with
	// minibatches a sample's previous evaluation was at the parameters
	// of another batch, whose gradients are not kept.
	Warnings []string
}

// TrainResult is the outcome of Train.
type TrainResult struct {
	// Theta holds the parameters to keep. With full batches, these are
	// the last parameters whose loss was evaluated successfully: after
	// a complete run, the parameters after the last step; after a
	// failure or a stop, the last good ones. With minibatches they are
	// the parameters after the last completed step (the ones to save for
	// resuming), or the initial ones before any step. Loss is the loss
	// at Theta over all samples: NaN if it was not evaluated, that is,
	// with full batches if not even the initial parameters could be
	// evaluated, and with minibatches unless the run completed (with
	// minibatches only the final evaluation gives the loss at Theta).
	Theta []float64
	Loss  float64
	// BestTheta holds the evaluated parameters with the lowest loss, and
	// BestLoss that loss (nil and +Inf if none was evaluated). With
	// minibatches only the final evaluation counts, so that after a
	// complete run they are Theta and Loss.
	BestTheta []float64
	BestLoss  float64
	// Steps counts the optimiser steps taken.
	Steps int
	// History holds the stats of every epoch evaluated (the same values
	// passed to Progress); with minibatches, of every completed epoch.
	History []EpochStats
	// Solves, Iterations and Retries total over the run, final
	// evaluation included.
	Solves, Iterations, Retries int
	// Elapsed is the duration of the run.
	Elapsed time.Duration
	// Warnings collects the warnings of every evaluation, final one
	// included, each prefixed with "epoch E: ".
	Warnings []string
}

// Train fits the parameters of model m to data by gradient descent on the
// loss, the mean discrete cost of the samples, starting from theta0 (nil:
// the model's defaults; never modified).
//
// With full batches (the default), each epoch evaluates the loss and its
// mean gradient at the current parameters with opt.Method (all samples,
// in parallel on opt.Workers goroutines, each sample warm-started from its
// previous free trajectory), reports them to opt.Progress, and takes one
// optimiser step. With minibatches (opt.BatchSize), each epoch shuffles
// the samples (opt.Seed) and, batch after batch, evaluates the batch's
// mean cost and gradient, takes a step and reports it to
// opt.BatchProgress; opt.Progress follows the epoch's last step. Each
// sample is still warm-started from its own previous free trajectory, of
// the previous epoch. In either mode, after the last epoch the loss is
// evaluated once more over all samples (free solves only) at the final
// parameters. Results are bitwise identical for any number of workers.
//
// Train returns a non-nil result whenever the options are valid. On error
// its Theta holds the last good parameters (see TrainResult): if a sample
// fails, the error is a *SampleError naming the epoch and the sample (the
// parameters that failed are not returned); if ctx is cancelled or a
// progress function returns an error, the error wraps ErrStopped and the
// cause. Cancellation takes effect within one sample solve per worker.
func Train(ctx context.Context, m Model, data *Dataset, theta0 []float64, opt *TrainOptions) (*TrainResult, error) {
	tr, err := newTrainer(ctx, m, data, theta0, opt)
	if err != nil {
		return nil, err
	}
	return tr.run()
}

// newTrainer validates the arguments of Train and sets up the run.
func newTrainer(ctx context.Context, m Model, data *Dataset, theta0 []float64, opt *TrainOptions) (*trainer, error) {
	start := time.Now()
	if opt == nil {
		opt = new(TrainOptions)
	}
	ev := &Evaluator{Model: m, Data: data, Method: opt.Method, Solver: opt.Solver,
		Workers: opt.Workers, NoWarmStart: opt.NoWarmStart, Retry: opt.Retry, ErrorEstimate: opt.ErrorEstimate,
		Observe: opt.Observe}
	theta0, err := ev.check(theta0)
	if err != nil {
		return nil, err
	}
	info := m.Info()
	frozen, err := frozenMask(info, opt.Frozen, opt.FrozenIndices)
	if err != nil {
		return nil, err
	}
	if opt.Epochs < 0 || opt.ClipNorm < 0 || math.IsNaN(opt.ClipNorm) {
		return nil, fmt.Errorf("%w: training with %d epochs and gradient clipping at %g", ErrProblem, opt.Epochs, opt.ClipNorm)
	}
	if opt.BatchSize < 0 {
		return nil, fmt.Errorf("%w: batch size %d: want 0 (full batch) or a positive number of samples", ErrProblem, opt.BatchSize)
	}
	optim := opt.Optimizer
	if optim == nil {
		optim = NewAdam(DefaultLearningRate)
	}

	return &trainer{ctx: ctx, opt: opt, ev: ev, info: info, frozen: frozen, optim: optim, start: start,
		theta: cloneVec(theta0),
		res:   &TrainResult{Theta: cloneVec(theta0), Loss: math.NaN(), BestLoss: math.Inf(1)}}, nil
}

// run trains.
func (t *trainer) run() (*TrainResult, error) {
	if b := t.opt.BatchSize; b > 0 && b < len(t.ev.Data.Samples) {
		return t.minibatch()
	}
	return t.fullBatch()
}

// trainer is the state of one run of Train.
type trainer struct {
	ctx    context.Context
	opt    *TrainOptions
	ev     *Evaluator
	info   *Info
	frozen []bool
	optim  Optimizer
	start  time.Time
	theta  []float64    // current parameters
	res    *TrainResult // res.Theta: the last good parameters
}

func (t *trainer) finish(err error) (*TrainResult, error) {
	t.res.Elapsed = time.Since(t.start)
	return t.res, err
}

// evalError completes an error of the evaluation in epoch (where says
// where: "in epoch 3", "in epoch 3 (batch 2 of 5)").
func (t *trainer) evalError(err error, epoch int, where string) error {
	var se *SampleError
	if errors.As(err, &se) {
		se.Epoch = epoch
		return se
	}
	if cerr := t.ctx.Err(); cerr != nil {
		return fmt.Errorf("%w %s: %w", ErrStopped, where, cerr)
	}
	return err
}

// count adds an evaluation's work and warnings to the result.
func (t *trainer) count(r *Evaluation, epoch int) {
	t.res.Solves += r.Solves
	t.res.Iterations += r.Iterations
	t.res.Retries += r.Retries
	for _, w := range r.Warnings {
		t.res.Warnings = append(t.res.Warnings, fmt.Sprintf("epoch %d: %s", epoch, w))
	}
}

// evaluated records that the loss at t.theta over all samples is loss.
func (t *trainer) evaluated(loss float64) {
	res := t.res
	copy(res.Theta, t.theta)
	res.Loss = loss
	if loss < res.BestLoss || res.BestTheta == nil {
		res.BestLoss = loss
		res.BestTheta = cloneVec(t.theta)
	}
}

// zeroFrozen zeroes the frozen entries of g and returns its norm.
func (t *trainer) zeroFrozen(g []float64) float64 {
	for a, f := range t.frozen {
		if f {
			g[a] = 0
		}
	}
	return normVec2(g)
}

// step takes an optimiser step on gradient g (frozen entries zeroed) of
// norm gnorm from t.theta, restoring the frozen entries from t.res.Theta;
// what names the step in the error if it makes the parameters NaN or Inf.
func (t *trainer) step(g []float64, gnorm float64, what string) error {
	step := cloneVec(g)
	if t.opt.ClipNorm > 0 && gnorm > t.opt.ClipNorm {
		s := t.opt.ClipNorm / gnorm
		for a := range step {
			step[a] *= s
		}
	}
	t.optim.Step(t.theta, step)
	for a, f := range t.frozen {
		if f {
			t.theta[a] = t.res.Theta[a]
		}
	}
	if !finite(t.theta) {
		return fmt.Errorf("%w: %s: the %s step of %s made the parameters NaN or Inf (gradient norm %.3g); "+
			"try a smaller learning rate or clip the gradient norm", ErrNaN, t.info.Name, t.optim.Name(), what, gnorm)
	}
	t.res.Steps++
	return nil
}

// fullBatch trains with one step per epoch on the whole dataset.
func (t *trainer) fullBatch() (*TrainResult, error) {
	ctx, opt, res := t.ctx, t.opt, t.res
	for epoch := 1; ; epoch++ {
		last := epoch > opt.Epochs
		if err := ctx.Err(); err != nil {
			return t.finish(fmt.Errorf("%w before epoch %d: %w", ErrStopped, epoch, err))
		}
		r, err := t.ev.eval(ctx, t.theta, nil, !last)
		if err != nil {
			return t.finish(t.evalError(err, epoch, fmt.Sprintf("in epoch %d", epoch)))
		}
		t.evaluated(r.Loss)
		t.count(r, epoch)
		if last {
			return t.finish(nil)
		}

		g := r.Grad
		gnorm := t.zeroFrozen(g)
		st := EpochStats{Epoch: epoch, Loss: r.Loss, Grad: g, GradNorm: gnorm, Theta: cloneVec(t.theta),
			Steps: res.Steps, Batches: 1, Elapsed: time.Since(t.start),
			Solves: r.Solves, Iterations: r.Iterations, Retries: r.Retries, Warnings: r.Warnings}
		res.History = append(res.History, st)
		if opt.Progress != nil {
			if err := opt.Progress(&st); err != nil {
				return t.finish(fmt.Errorf("%w at epoch %d: %w", ErrStopped, epoch, err))
			}
		}
		if opt.TargetLoss > 0 && r.Loss <= opt.TargetLoss {
			return t.finish(nil)
		}
		if err := t.step(g, gnorm, fmt.Sprintf("epoch %d", epoch)); err != nil {
			return t.finish(err)
		}
	}
}

// frozenMask resolves frozen parameter names and indices.
func frozenMask(info *Info, names []string, idx []int) ([]bool, error) {
	mask := make([]bool, info.P())
	for _, name := range names {
		found := false
		for a, p := range info.Params {
			if p == name || (strings.HasPrefix(p, name) && strings.HasPrefix(p[len(name):], "[")) {
				mask[a] = true
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: %s: cannot freeze %q: no such parameter (have %s)",
				ErrProblem, info.Name, name, strings.Join(info.Params, ", "))
		}
	}
	for _, a := range idx {
		if a < 0 || a >= len(mask) {
			return nil, fmt.Errorf("%w: %s: cannot freeze parameter %d: model has %d parameters", ErrProblem, info.Name, a, len(mask))
		}
		mask[a] = true
	}
	return mask, nil
}

func cloneVec(x []float64) []float64 { return append([]float64(nil), x...) }

func normVec2(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}
