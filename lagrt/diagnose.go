package lagrt

import (
	"fmt"
	"math"
)

// maxDenseDiag is the largest number of coordinates for which the
// diagnostics factor dense n×n matrices per step.
const maxDenseDiag = 64

// kineticRCond is the ratio of the smallest pivot to the largest entry of
// ∂²L/∂v² below which the kinetic matrix of a step counts as singular.
const kineticRCond = 1e-12

// singularKinetic diagnoses a singular Hessian at s.q caused by a singular
// kinetic matrix ∂²L/∂v²: if that matrix is singular on some steps of
// s.q, it returns an ErrSingular error saying so (where describes the
// iterate, rc the Hessian's reciprocal condition number); otherwise nil.
// It re-evaluates the model along s.q and allocates; it is meant for the
// error path only.
func (s *Solver) singularKinetic(where string, rc float64) error {
	n, N, h := s.n, s.N, s.h
	if n > maxDenseDiag {
		return nil
	}
	nn := n * n
	m := make([]float64, nn)
	bad, first := 0, -1
	var q1 []float64
	for k := range N {
		qa, qb := s.q[k*n:k*n+n], s.q[(k+1)*n:(k+1)*n+n]
		for i := range n {
			s.qbar[i] = (qa[i] + qb[i]) / 2
			s.vv[i] = (qb[i] - qa[i]) / h
		}
		s.pt.Q, s.pt.V, s.pt.Theta = s.qbar, s.vv, s.theta
		s.pt.T = (float64(k) + 0.5) * h
		s.pt.U = s.umid[k*s.nu : (k+1)*s.nu]
		s.pt.Y = s.ymid[k*s.ny : (k+1)*s.ny]
		s.model.Eval(WantLvv, &s.pt, s.out)
		clear(m)
		s.info.Pattern(QLvv).Dense(m, n, s.out.Lvv, 1)
		if !singularMatrix(m, n) {
			continue
		}
		bad++
		if first < 0 {
			first = k
			q1 = append([]float64(nil), s.qbar...)
		}
	}
	if bad == 0 {
		return nil
	}
	hint := "give an initial guess away from such points"
	if where == "at the initial guess" && s.pr.Guess == nil {
		if s.bc == Periodic {
			hint = "the default guess for periodic conditions is rest at q = 0; " + hint
		} else {
			hint = "the default guess is the straight line between the ends; " + hint
		}
	}
	return fmt.Errorf("%w: reciprocal condition number %.3g %s (%v, T = %g, N = %d): the kinetic matrix ∂²L/∂v² is singular "+
		"on %d of %d steps, first at step %d (t = %g, q = %.4g), so the equations of motion do not determine every "+
		"acceleration there (in polar coordinates, for example, at radius 0); %s",
		ErrSingular, rc, where, s.bc, s.pr.T, N, bad, N, first, (float64(first)+0.5)*h, q1, hint)
}

// singularMatrix reports whether the n×n matrix a (row-major, overwritten)
// is singular or not finite: Gaussian elimination with partial pivoting
// meets a pivot below kineticRCond times the largest entry.
func singularMatrix(a []float64, n int) bool {
	scale := 0.0
	for _, x := range a {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return true
		}
		scale = max(scale, math.Abs(x))
	}
	if scale == 0 {
		return true
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r*n+c]) > math.Abs(a[p*n+c]) {
				p = r
			}
		}
		if math.Abs(a[p*n+c]) <= kineticRCond*scale {
			return true
		}
		if p != c {
			for j := range n {
				a[c*n+j], a[p*n+j] = a[p*n+j], a[c*n+j]
			}
		}
		for r := c + 1; r < n; r++ {
			f := a[r*n+c] / a[c*n+c]
			for j := c; j < n; j++ {
				a[r*n+j] -= f * a[c*n+j]
			}
		}
	}
	return false
}
