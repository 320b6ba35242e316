package lagrt

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// BatchStats describes one minibatch step of Train (TrainOptions.BatchSize),
// for TrainOptions.BatchProgress.
type BatchStats struct {
	// Epoch is the epoch number, from 1, Batch the batch number within
	// the epoch, from 1, and Batches the number of batches per epoch.
	Epoch, Batch, Batches int
	// Steps counts the optimiser steps taken so far, this batch's
	// included.
	Steps int
	// Loss is the batch's mean cost, at the parameters before its step.
	Loss float64
	// GradNorm is the Euclidean norm of the batch's mean gradient
	// (frozen entries zeroed, before clipping).
	GradNorm float64
	// Elapsed is the time since Train started.
	Elapsed time.Duration
	// Solves, Iterations and Retries count the batch's solves, Newton
	// (or chord) iterations and retried samples.
	Solves, Iterations, Retries int
	// Samples lists the batch's samples, by index into Dataset.Samples,
	// in the order evaluated, and Theta holds the parameters after the
	// batch's step. Both are valid only during the call to
	// BatchProgress and must not be modified; copy them to keep them.
	Samples []int
	Theta   []float64
	// Warnings lists the batch's suspect samples (with
	// TrainOptions.ErrorEstimate, large discretisation errors), each
	// starting with "sample I: ".
	Warnings []string
}

// minibatch trains with one step per batch of opt.BatchSize samples of
// each epoch's shuffled order. Branch-jump detection is off: it compares
// a sample with its evaluation in the previous call, which with shuffled
// batches is another batch at other parameters.
func (t *trainer) minibatch() (*TrainResult, error) {
	ctx, opt, res, ev := t.ctx, t.opt, t.res, t.ev
	ev.noBranch = true
	ns, bs := len(ev.Data.Samples), opt.BatchSize
	nb := (ns + bs - 1) / bs
	epoch := 1
	for ; epoch <= opt.Epochs; epoch++ {
		order := rand.New(rand.NewPCG(opt.Seed, uint64(epoch))).Perm(ns)
		st := EpochStats{Epoch: epoch, Batches: nb}
		sumCost, sumNorm := 0.0, 0.0
		for b := range nb {
			where := fmt.Sprintf("in epoch %d (batch %d of %d)", epoch, b+1, nb)
			if err := ctx.Err(); err != nil {
				return t.finish(fmt.Errorf("%w %s: %w", ErrStopped, where, err))
			}
			batch := order[b*bs : min(b*bs+bs, ns)]
			r, err := ev.eval(ctx, t.theta, batch, true)
			if err != nil {
				return t.finish(t.evalError(err, epoch, where))
			}
			t.count(r, epoch)
			for _, c := range r.Costs {
				sumCost += c
			}
			st.Solves += r.Solves
			st.Iterations += r.Iterations
			st.Retries += r.Retries
			st.Warnings = append(st.Warnings, r.Warnings...)

			g := r.Grad
			gnorm := t.zeroFrozen(g)
			sumNorm += gnorm
			if err := t.step(g, gnorm, fmt.Sprintf("epoch %d (batch %d of %d)", epoch, b+1, nb)); err != nil {
				return t.finish(err)
			}
			copy(res.Theta, t.theta)
			if opt.BatchProgress != nil {
				bst := BatchStats{Epoch: epoch, Batch: b + 1, Batches: nb, Steps: res.Steps, Loss: r.Loss, GradNorm: gnorm,
					Elapsed: time.Since(t.start), Solves: r.Solves, Iterations: r.Iterations, Retries: r.Retries,
					Samples: batch, Theta: t.theta, Warnings: r.Warnings}
				if err := opt.BatchProgress(&bst); err != nil {
					return t.finish(fmt.Errorf("%w at epoch %d, batch %d of %d: %w", ErrStopped, epoch, b+1, nb, err))
				}
			}
		}
		st.Loss = sumCost / float64(ns)
		st.GradNorm = sumNorm / float64(nb)
		st.Theta = cloneVec(t.theta)
		st.Steps = res.Steps
		st.Elapsed = time.Since(t.start)
		res.History = append(res.History, st)
		if opt.Progress != nil {
			if err := opt.Progress(&st); err != nil {
				return t.finish(fmt.Errorf("%w at epoch %d: %w", ErrStopped, epoch, err))
			}
		}
		if opt.TargetLoss > 0 && st.Loss <= opt.TargetLoss {
			epoch++
			break
		}
	}

	// The loss at the final parameters, over all samples.
	if err := ctx.Err(); err != nil {
		return t.finish(fmt.Errorf("%w before the final evaluation: %w", ErrStopped, err))
	}
	r, err := ev.eval(ctx, t.theta, nil, false)
	if err != nil {
		return t.finish(t.evalError(err, epoch, "in the final evaluation"))
	}
	t.evaluated(r.Loss)
	t.count(r, epoch)
	return t.finish(nil)
}
