package lagrt

import (
	"fmt"
	"math"
)

// checkPeriodic verifies numerically that the explicit time dependence of
// the Lagrangian has period T: L, ∂L/∂q and ∂L/∂v agree at t and t + T
// on a few points (same q, v, θ and inputs). Otherwise the boundary terms
// of the periodic action do not cancel and its stationary point is not
// the physical periodic orbit; the classic case is the Caldirola–Kanai
// factor exp(γt) for friction, for which a dissipation statement is the
// remedy.
//
// A difference is judged relative to the size of the values and, before
// it is reported, to the size of their time variation, T·|∂/∂t|
// (estimated by a third evaluation): a value that happens to cancel to
// nearly zero at a test point (a drive term balancing the others) still
// carries the rounding of its time-dependent terms, and must not read as
// aperiodic. It uses the solver's point and scratch buffers, sized by
// setup (no allocation).
func (s *Solver) checkPeriodic() error {
	n, T := s.n, s.pr.T
	pt, o := &s.pt, s.out
	m := 1 + 2*n
	save := s.w[:m]
	pt.Q, pt.V, pt.Theta = s.qbar[:n], s.vv[:n], s.theta
	pt.U, pt.Y = s.umid[:s.nu], s.ymid[:s.ny]
	// flat copies o into one vector (L, ∂L/∂q, ∂L/∂v), whose parts
	// are named by parts.
	parts := [...]struct {
		name   string
		lo, hi int
	}{{"L", 0, 1}, {"∂L/∂q", 1, 1 + n}, {"∂L/∂v", 1 + n, m}}
	flat := func(dst []float64) {
		dst[0] = o.L
		copy(dst[1:1+n], o.Lq[:n])
		copy(dst[1+n:], o.Lv[:n])
	}
	// worst finds the largest relative difference of a and b above 1e-8,
	// per part, with scales taken from a, b and (if tv is not nil) tv.
	worst := func(a, b, tv []float64) (what string, rel float64) {
		for _, p := range parts {
			sc := 0.0
			for i := p.lo; i < p.hi; i++ {
				sc = max(sc, math.Abs(a[i]), math.Abs(b[i]))
				if tv != nil {
					sc = max(sc, tv[i])
				}
			}
			for i := p.lo; i < p.hi; i++ {
				if d := math.Abs(a[i] - b[i]); d > 1e-8*sc && d/sc > rel {
					what, rel = p.name, d/sc
				}
			}
		}
		return what, rel
	}
	for j, f := range [...]float64{0.13, 0.58, 0.91} {
		for i := range n {
			pt.Q[i] = 0.4*math.Sin(1.7*float64(i)+float64(j)) + 0.1
			pt.V[i] = 0.6*math.Cos(0.9*float64(i)+2*float64(j)) - 0.05
		}
		t0 := f * T
		pt.T = t0
		s.model.Eval(Level1, pt, o)
		flat(save)
		pt.T = t0 + T
		s.model.Eval(Level1, pt, o)
		later, tv := s.perB[:m], s.perB[m:2*m]
		flat(later)
		what, rel := worst(save, later, nil)
		if what == "" {
			continue
		}
		// Second look: the time variation over the period sets the scale
		// that rounding of t + T can reach.
		const frac = 1e-3
		pt.T = t0 + frac*T
		s.model.Eval(Level1, pt, o)
		flat(tv)
		for i := range tv {
			tv[i] = math.Abs(tv[i]-save[i]) / frac
		}
		if what, rel = worst(save, later, tv); what != "" {
			return fmt.Errorf("%w: %s: periodic conditions need a Lagrangian whose explicit time dependence has period T = %g, "+
				"but %s at t = %g and t + T differs by %.3g relative: the stationary point of the periodic action would not be "+
				"the physical orbit. A factor exp(gamma*t) for friction (Caldirola–Kanai) is never periodic: write the friction "+
				"as a dissipation statement instead (dissipation = 0.5*gamma*dot(q)^2, Galley's doubled action); a drive "+
				"cos(w*t) in the lagrangian needs w*T a multiple of 2π (or pass it as an input)%s",
				ErrProblem, s.info.Name, T, what, t0, rel, aperiodicHint(s.info))
		}
	}
	return nil
}

// aperiodicHint names the compiler's finding of explicit time outside
// sines and cosines, if any.
func aperiodicHint(info *Info) string {
	if info.AperiodicTime == "" {
		return ""
	}
	return "; the lagrangian depends on t through " + info.AperiodicTime + ", which is not periodic"
}
