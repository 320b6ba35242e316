package lagrt

import "context"

// LinStats reports the work of the linear solver since the last setup, for
// benchmarks: the method used, the factorisations, the GMRES iterations
// and the flops of the last block factorisation.
func (s *Solver) LinStats() (kind LinearSolver, factors, krylov int, flops float64) {
	l := &s.lin
	return l.kind, l.factors, l.krylov, l.blk.flops
}

// GradBuffers counts the gradient buffers the Evaluator holds: those of
// the slots of its current and previous calls.
func (e *Evaluator) GradBuffers() int {
	n := 0
	for _, s := range [][]evalSlot{e.slots, e.prev} {
		for i := range s {
			if s[i].grad != nil {
				n++
			}
		}
	}
	return n
}

// TrainGradBuffers runs Train and returns, with its result, the number of
// gradient buffers its Evaluator holds at the end (GradBuffers).
func TrainGradBuffers(ctx context.Context, m Model, data *Dataset, theta0 []float64, opt *TrainOptions) (*TrainResult, int, error) {
	tr, err := newTrainer(ctx, m, data, theta0, opt)
	if err != nil {
		return nil, 0, err
	}
	res, err := tr.run()
	return res, tr.ev.GradBuffers(), err
}

// SchurStats reports the arrow structure LinearSchur found (the hub
// coordinates) and how many of its factorisations since the last setup
// fell back to the block LU.
func (s *Solver) SchurStats() (hubs []int32, fallbacks int) {
	return s.lin.ar.hubs, s.lin.sch.fallbacks
}

// SetSchurSymmetric switches the symmetric elimination of LinearSchur on
// or off (off: the general one, as for a Hessian that is not bitwise
// symmetric) and returns the previous setting.
func SetSchurSymmetric(on bool) bool {
	old := schurSymmetric
	schurSymmetric = on
	return old
}
