package lagrt

import (
	"errors"
	"fmt"
	"math"
)

// Continuation fallback of free solves; see "Convergence and
// globalisation" in the package documentation.
//
// The problem asked for is embedded in the family P(λ) of problems with
// horizon λ·T: the same N, end values, parameters and per-step inputs and
// targets (the signals stay sampled for the horizon T, step by step), so
// that only the step h = λ·T/N changes. For small λ the kinetic term,
// of order 1/h, dominates the Hessian, and the straight line (fixed ends)
// or rest (periodic) is an excellent guess. The solver solves P(λ_0) and
// then steps λ up to 1, each member started from the secant extrapolation
// of the last two solutions (same N, so a trajectory maps onto the next
// grid row by row with its times rescaled).
const (
	contStart    = 1.0 / 16   // first horizon fraction, halved until it solves
	contMinStart = 1.0 / 1024 // smallest first horizon fraction
	contMinStep  = 1.0 / 8192 // smallest step in λ before giving up
	contMaxTries = 100        // member solves, converged or not
	contIter     = 16         // Newton iterations per intermediate member
	contQuick    = 4          // a member solved this fast doubles the step
)

// retryable reports whether a free Newton solve that failed with err at
// iteration it may be retried by continuation: a failure to converge, or
// a NaN or singular Hessian along the Newton path, is; a singular Hessian
// at a point that passed the convergence test, or at the initial guess
// (for a linear problem that is the Hessian everywhere, as at a conjugate
// point or for the zero mode of an autonomous periodic problem), or a
// malformed problem is not.
func (s *Solver) retryable(err error, it int) bool {
	if s.atSolution || errors.Is(err, ErrProblem) {
		return false
	}
	return !(errors.Is(err, ErrSingular) && it == 0)
}

// continuation solves the free problem by continuation in the horizon
// after plain Newton failed with err0. On success s.q is the solution of
// the problem asked for, the last sweep was made there and the linear solver holds
// the Hessian factorisation there, exactly as after newton: the last
// member solved is the problem itself, by newton with the caller's
// options. It returns the Newton iterations spent and the number of
// members solved (continuation steps). On failure the error is err0 with
// how far continuation got and its last failure.
func (s *Solver) continuation(err0 error) (iters, steps int, err error) {
	g := (s.N + 1) * s.n
	s.cqa = grow(s.cqa, g)
	s.cqb = grow(s.cqb, g)
	hT, maxIter := s.h, s.set.maxIter
	defer func() { s.h, s.set.maxIter = hT, maxIter }()
	s.set.maxIter = min(maxIter, contIter)

	// The first member, by damped Newton from the straight line or rest.
	var last error
	lamB := contStart
	for {
		s.h = lamB * hT
		s.startGuess()
		it, e := s.newton(0, nil)
		iters += it
		if e == nil {
			break
		}
		last = e
		if lamB/2 < contMinStart {
			return iters, 0, s.contFailed(err0, -lamB, last)
		}
		lamB /= 2
	}
	copy(s.cqb, s.q)
	steps = 1

	// Step λ up to 1; A and B are the last two members solved.
	lamA, step := math.NaN(), lamB
	for tries := 0; ; tries++ {
		if tries >= contMaxTries || step < contMinStep {
			return iters, steps, s.contFailed(err0, lamB, last)
		}
		lam := lamB + step
		if lam >= 1-step/4 {
			lam = 1 // no sliver of a last step
		}
		copy(s.q, s.cqb)
		if !math.IsNaN(lamA) {
			f := (lam - lamB) / (lamB - lamA)
			for i, x := range s.cqb {
				s.q[i] += f * (x - s.cqa[i])
			}
		}
		s.fixEnds(s.q)
		s.h = lam * hT
		if lam == 1 {
			s.h, s.set.maxIter = hT, maxIter
		}
		it, e := s.newton(0, nil)
		iters += it
		if e != nil {
			if lam == 1 && !s.retryable(e, it) {
				// Singular at a solution of the problem asked
				// for: that is the answer, not a failure of the path.
				return iters, steps, e
			}
			last = e
			step /= 2
			continue
		}
		steps++
		if lam == 1 {
			return iters, steps, nil
		}
		lamA, lamB = lamB, lam
		s.cqa, s.cqb = s.cqb, s.cqa
		copy(s.cqb, s.q)
		if it <= contQuick {
			step *= 2
		}
	}
}

// startGuess sets s.q to the start of the first member: Problem.Guess if
// given (row by row: the members share N, so the guess's shape is kept
// with its times rescaled, and the path starts on the branch the guess
// selects, for example a well of a multistable potential), otherwise the
// straight line between the fixed end values, or rest for periodic
// conditions.
func (s *Solver) startGuess() {
	if s.pr.Guess != nil {
		s.guess()
		return
	}
	if s.bc == Periodic {
		clear(s.q)
		return
	}
	n, N := s.n, s.N
	clear(s.q[:(N+1)*n])
	for k := 0; k <= N; k++ {
		f := float64(k) / float64(N)
		for i := range s.pr.Q0 {
			s.q[k*n+i] = s.pr.Q0[i] + f*(s.pr.QT[i]-s.pr.Q0[i])
		}
	}
}

// contFailed is the error of a failed continuation: the error of plain
// Newton's method, then how far continuation got (the largest horizon
// fraction solved, or minus the smallest one tried if none was) and why
// it stopped.
func (s *Solver) contFailed(err0 error, lam float64, last error) error {
	msg := fmt.Sprintf("continuation in the horizon then reached T = %.4g of %g", lam*s.pr.T, s.pr.T)
	if lam < 0 {
		msg = fmt.Sprintf("continuation in the horizon then failed already at T = %.4g", -lam*s.pr.T)
	}
	if last != nil {
		m := last.Error()
		if len(m) > 7 && m[:7] == "lagrt: " {
			m = m[7:]
		}
		msg += " and stopped on: " + m
	}
	if s.bc == Periodic && s.pr.Guess == nil {
		msg += "; for an undamped driven system the solution sought may lie on a branch (e.g. the large in-phase " +
			"response of a hardening oscillator) that no path from rest reaches: give an initial guess near it"
	} else if s.pr.Guess != nil {
		msg += "; the path started from the initial guess: try one nearer the solution sought"
	}
	return fmt.Errorf("%w; %s", err0, msg)
}
