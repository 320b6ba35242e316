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
	// (TrainOptions.Epochs+1 for the evaluation after the last step),
	// and 0 outside Train.
	Epoch int
	// Sample is the index of the failing sample in Dataset.Samples. When
	// several samples fail, it is the lowest index, whatever the number
	// of workers.
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
// gradient) of a Dataset.
type Evaluation struct {
	// Loss is the mean over samples of their discrete costs C_d.
	Loss float64
	// Grad is the mean over samples of dC_d/dθ (nil from Evaluator.Loss).
	Grad []float64
	// Costs holds each sample's C_d, in sample order.
	Costs []float64
	// Solves and Iterations total the stationary-trajectory solves and
	// Newton (or chord) iterations over the samples; Retries counts
	// samples solved again from their initial guess (Evaluator.Retry).
	Solves, Iterations, Retries int
	// Warnings lists suspect samples, in sample order, each message
	// starting with "sample I: ": a possible jump to another branch of
	// solutions between evaluations (see Evaluator), and, with
	// Evaluator.ErrorEstimate, the warnings of the free solutions.
	Warnings []string
}

// Evaluator evaluates the loss and gradient of a Dataset repeatedly, in
// parallel over samples, warm-starting each sample from its own previous
// free trajectory. Set the fields before the first call and do not change
// them afterwards (call Reset after changing Data). An Evaluator is not
// safe for concurrent use; its Model is shared by its workers.
//
// Results do not depend on Workers: every sample is computed by one worker
// into its own slot, with its own warm start, and the slots are reduced in
// sample order, so the loss and gradient are bitwise identical for any
// number of workers.
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
	// own Solver (0: GOMAXPROCS; never more than the number of samples).
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

	slots   []evalSlot
	workers []*evalWorker
	opts    Options // Solver, with the error estimate switched as asked

	lastTheta []float64 // parameters of the last successful evaluation
	haveLast  bool
}

// evalSlot holds one sample's results and warm start.
type evalSlot struct {
	cost                   float64
	grad                   []float64
	solves, iters, retries int
	err                    error
	warm                   [][]float64 // last free trajectory, nil before the first solve
	branch                 branchState // branch-jump detection (branch.go)
	warnings               []string    // this evaluation's warnings, prefixed
}

// evalWorker is the workspace of one goroutine.
type evalWorker struct {
	s   Solver
	g   Gradient
	sol Solution
	pr  Problem
}

// Reset forgets the warm starts and the history of branch-jump detection.
func (e *Evaluator) Reset() { e.slots, e.haveLast = nil, false }

// LossGrad evaluates the loss and its gradient at theta (nil: the model's
// defaults) with the estimator e.Method. If a sample fails, the error is a
// *SampleError naming it; if ctx is cancelled, the error wraps ctx.Err().
// Each worker checks ctx before each sample.
func (e *Evaluator) LossGrad(ctx context.Context, theta []float64) (*Evaluation, error) {
	return e.eval(ctx, theta, true)
}

// Loss evaluates the loss at theta (nil: the model's defaults) with free
// solves only. Errors are as for LossGrad.
func (e *Evaluator) Loss(ctx context.Context, theta []float64) (*Evaluation, error) {
	return e.eval(ctx, theta, false)
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

func (e *Evaluator) eval(ctx context.Context, theta []float64, withGrad bool) (*Evaluation, error) {
	theta, err := e.check(theta)
	if err != nil {
		return nil, err
	}
	ns := len(e.Data.Samples)
	if len(e.slots) != ns {
		e.slots = make([]evalSlot, ns)
	}
	for i := range e.slots {
		e.slots[i].err = nil
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
	nw = min(nw, ns)
	for len(e.workers) < nw {
		e.workers = append(e.workers, new(evalWorker))
	}

	// Workers take samples in increasing index order and stop taking new
	// ones after a failure. Every sample below a failing one has then
	// been taken and completes, so the lowest failing index is the same
	// for any number of workers.
	var next atomic.Int64
	var failed atomic.Bool
	run := func(w *evalWorker) {
		for !failed.Load() && ctx.Err() == nil {
			i := int(next.Add(1) - 1)
			if i >= ns {
				return
			}
			if !e.sample(w, i, theta, withGrad) {
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
	for i := range e.slots {
		if err := e.slots[i].err; err != nil {
			return nil, &SampleError{Sample: i, Err: err}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("lagrt: evaluation interrupted: %w", err)
	}

	// Reduce in sample order.
	ev := &Evaluation{Costs: make([]float64, ns)}
	if withGrad {
		ev.Grad = make([]float64, len(theta))
	}
	for i := range e.slots {
		sl := &e.slots[i]
		ev.Costs[i] = sl.cost
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
	e.lastTheta = append(e.lastTheta[:0], theta...)
	e.haveLast = true
	ev.Loss /= float64(ns)
	for a := range ev.Grad {
		ev.Grad[a] /= float64(ns)
	}
	return ev, nil
}

// sample computes sample i into its slot with worker w and reports success.
func (e *Evaluator) sample(w *evalWorker, i int, theta []float64, withGrad bool) bool {
	sl := &e.slots[i]
	sl.solves, sl.iters, sl.retries = 0, 0, 0
	pr := &w.pr
	e.Data.fill(pr, e.Model, i, theta)
	warm := false
	ivp := pr.BC == Initial // integrated forward: no guess, no warm start, no other branch
	if !ivp && !e.NoWarmStart && sl.warm != nil && len(sl.warm) == pr.N+1 && len(sl.warm[0]) == e.Model.Info().N() {
		pr.Guess = sl.warm
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
	if withGrad {
		sl.grad = grow(sl.grad, len(w.g.Grad))
		copy(sl.grad, w.g.Grad)
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
	var grad []float64
	if withGrad {
		grad = sl.grad
	}
	if ivp {
		sl.warm = nil
		return true
	}
	e.checkBranch(sl, i, theta, sol.Q, grad)
	sl.warm = copyTrajectory(sl.warm, sol.Q)
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
	// Epochs is the number of optimisation steps, each on the full
	// dataset. With 0, Train only evaluates the loss at the initial
	// parameters.
	Epochs int
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
	// ClipNorm, if positive, rescales the gradient (frozen entries
	// zeroed) to Euclidean norm ClipNorm when it is larger.
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
	// first epoch whose loss is at most TargetLoss.
	TargetLoss float64
	// Progress, if not nil, is called after each epoch's evaluation and
	// before its step. Returning an error stops training: Train then
	// returns an error wrapping ErrStopped and that error. The stats and
	// their slices may be kept.
	Progress func(*EpochStats) error
}

// EpochStats describes one epoch of Train.
type EpochStats struct {
	// Epoch is the epoch number, from 1.
	Epoch int
	// Loss is the mean cost at Theta, the parameters before this
	// epoch's step.
	Loss float64
	// Grad is the mean gradient at Theta with frozen entries zeroed,
	// before clipping, and GradNorm its Euclidean norm.
	Grad     []float64
	GradNorm float64
	// Theta holds the parameters evaluated in this epoch (before its
	// step).
	Theta []float64
	// Elapsed is the time since Train started.
	Elapsed time.Duration
	// Solves, Iterations and Retries count this epoch's solves, Newton
	// (or chord) iterations and retried samples.
	Solves, Iterations, Retries int
	// Warnings lists this epoch's suspect samples (Evaluation.Warnings):
	// possible jumps to another branch of solutions since the previous
	// epoch and, with TrainOptions.ErrorEstimate, large discretisation
	// errors.
	Warnings []string
}

// TrainResult is the outcome of Train.
type TrainResult struct {
	// Theta holds the last parameters whose loss was evaluated
	// successfully: after a complete run, the parameters after the last
	// step; after a failure or a stop, the last good ones. Loss is the
	// loss at Theta (NaN if not even the initial parameters could be
	// evaluated, in which case Theta holds them).
	Theta []float64
	Loss  float64
	// BestTheta holds the evaluated parameters with the lowest loss, and
	// BestLoss that loss.
	BestTheta []float64
	BestLoss  float64
	// Steps counts the optimiser steps taken.
	Steps int
	// History holds the stats of every epoch evaluated (the same values
	// passed to Progress).
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
// Each epoch evaluates the loss and its mean gradient at the current
// parameters with opt.Method (all samples, in parallel on opt.Workers
// goroutines, each sample warm-started from its previous free trajectory),
// reports them to opt.Progress, and takes one optimiser step. After the
// last step the loss is evaluated once more (free solves only) at the
// final parameters. Results are bitwise identical for any number of
// workers.
//
// Train returns a non-nil result whenever the options are valid. On error
// its Theta holds the last good parameters: if a sample fails, the error
// is a *SampleError naming the epoch and the sample (the parameters that
// failed are not returned); if ctx is cancelled or Progress returns an
// error, the error wraps ErrStopped and the cause. Cancellation takes
// effect within one sample solve per worker.
func Train(ctx context.Context, m Model, data *Dataset, theta0 []float64, opt *TrainOptions) (*TrainResult, error) {
	start := time.Now()
	if opt == nil {
		opt = new(TrainOptions)
	}
	ev := &Evaluator{Model: m, Data: data, Method: opt.Method, Solver: opt.Solver,
		Workers: opt.Workers, NoWarmStart: opt.NoWarmStart, Retry: opt.Retry, ErrorEstimate: opt.ErrorEstimate}
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
	optim := opt.Optimizer
	if optim == nil {
		optim = NewAdam(DefaultLearningRate)
	}

	theta := cloneVec(theta0)
	res := &TrainResult{Theta: cloneVec(theta0), Loss: math.NaN(), BestLoss: math.Inf(1)}
	finish := func(err error) (*TrainResult, error) {
		res.Elapsed = time.Since(start)
		return res, err
	}
	for epoch := 1; ; epoch++ {
		last := epoch > opt.Epochs
		if err := ctx.Err(); err != nil {
			return finish(fmt.Errorf("%w before epoch %d: %w", ErrStopped, epoch, err))
		}
		r, err := ev.eval(ctx, theta, !last)
		if err != nil {
			var se *SampleError
			if errors.As(err, &se) {
				se.Epoch = epoch
				return finish(se)
			}
			if cerr := ctx.Err(); cerr != nil {
				return finish(fmt.Errorf("%w in epoch %d: %w", ErrStopped, epoch, cerr))
			}
			return finish(err)
		}
		copy(res.Theta, theta)
		res.Loss = r.Loss
		if r.Loss < res.BestLoss || res.BestTheta == nil {
			res.BestLoss = r.Loss
			res.BestTheta = cloneVec(theta)
		}
		res.Solves += r.Solves
		res.Iterations += r.Iterations
		res.Retries += r.Retries
		for _, w := range r.Warnings {
			res.Warnings = append(res.Warnings, fmt.Sprintf("epoch %d: %s", epoch, w))
		}
		if last {
			return finish(nil)
		}

		g := r.Grad
		for a, f := range frozen {
			if f {
				g[a] = 0
			}
		}
		st := EpochStats{Epoch: epoch, Loss: r.Loss, Grad: g, GradNorm: normVec2(g), Theta: cloneVec(theta),
			Elapsed: time.Since(start), Solves: r.Solves, Iterations: r.Iterations, Retries: r.Retries, Warnings: r.Warnings}
		res.History = append(res.History, st)
		if opt.Progress != nil {
			if err := opt.Progress(&st); err != nil {
				return finish(fmt.Errorf("%w at epoch %d: %w", ErrStopped, epoch, err))
			}
		}
		if opt.TargetLoss > 0 && r.Loss <= opt.TargetLoss {
			return finish(nil)
		}

		step := cloneVec(g)
		if opt.ClipNorm > 0 && st.GradNorm > opt.ClipNorm {
			s := opt.ClipNorm / st.GradNorm
			for a := range step {
				step[a] *= s
			}
		}
		optim.Step(theta, step)
		for a, f := range frozen {
			if f {
				theta[a] = res.Theta[a]
			}
		}
		if !finite(theta) {
			return finish(fmt.Errorf("%w: %s: the %s step of epoch %d made the parameters NaN or Inf (gradient norm %.3g); "+
				"try a smaller learning rate or clip the gradient norm", ErrNaN, info.Name, optim.Name(), epoch, st.GradNorm))
		}
		res.Steps++
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
