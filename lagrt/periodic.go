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
// remedy. It uses the solver's point and scratch buffers (no allocation).
func (s *Solver) checkPeriodic() error {
	n, T := s.n, s.pr.T
	pt, o := &s.pt, s.out
	save := s.w[:1+2*n]
	pt.Q, pt.V, pt.Theta = s.qbar[:n], s.vv[:n], s.theta
	pt.U, pt.Y = s.umid[:s.nu], s.ymid[:s.ny]
	for j, f := range [...]float64{0.13, 0.58, 0.91} {
		for i := range n {
			pt.Q[i] = 0.4*math.Sin(1.7*float64(i)+float64(j)) + 0.1
			pt.V[i] = 0.6*math.Cos(0.9*float64(i)+2*float64(j)) - 0.05
		}
		t0 := f * T
		pt.T = t0
		s.model.Eval(Level1, pt, o)
		save[0] = o.L
		copy(save[1:], o.Lq[:n])
		copy(save[1+n:], o.Lv[:n])
		pt.T = t0 + T
		s.model.Eval(Level1, pt, o)
		what, diff, scale := "", 0.0, 0.0
		cmp := func(name string, a, b []float64) {
			sc := 0.0
			for i := range a {
				sc = max(sc, math.Abs(a[i]), math.Abs(b[i]))
			}
			for i := range a {
				if d := math.Abs(a[i] - b[i]); d > 1e-8*sc && d/sc > diff/max(scale, 1e-300) {
					what, diff, scale = name, d, sc
				}
			}
		}
		l1 := [1]float64{o.L}
		cmp("L", save[:1], l1[:])
		cmp("∂L/∂q", save[1:1+n], o.Lq[:n])
		cmp("∂L/∂v", save[1+n:], o.Lv[:n])
		if what != "" {
			return fmt.Errorf("%w: %s: periodic conditions need a Lagrangian whose explicit time dependence has period T = %g, "+
				"but %s at t = %g and t + T differs by %.3g relative: the stationary point of the periodic action would not be "+
				"the physical orbit. A factor exp(gamma*t) for friction (Caldirola–Kanai) is never periodic: write the friction "+
				"as a dissipation statement instead (dissipation = 0.5*gamma*dot(q)^2, Galley's doubled action); a drive "+
				"cos(w*t) in the lagrangian needs w*T a multiple of 2π (or pass it as an input)%s",
				ErrProblem, s.info.Name, T, what, t0, diff/scale, aperiodicHint(s.info))
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
