package lagrt

// LinStats reports the work of the linear solver since the last setup, for
// benchmarks: the method used, the factorisations, the GMRES iterations
// and the flops of the last block factorisation.
func (s *Solver) LinStats() (kind LinearSolver, factors, krylov int, flops float64) {
	l := &s.lin
	return l.kind, l.factors, l.krylov, l.blk.flops
}
