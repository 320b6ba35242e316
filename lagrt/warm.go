package lagrt

import "fmt"

// checkWarm reports ErrProblem unless warm holds a finite trajectory of the
// shape of the problem set up in s: N+1 rows of n values.
func (s *Solver) checkWarm(warm *Solution) error {
	if len(warm.Q) != s.N+1 {
		return fmt.Errorf("%w: %s: warm start has %d rows, want N+1 = %d", ErrProblem, s.info.Name, len(warm.Q), s.N+1)
	}
	for k, row := range warm.Q {
		if len(row) != s.n {
			return fmt.Errorf("%w: %s: warm start row %d has %d values, want %d", ErrProblem, s.info.Name, k, len(row), s.n)
		}
		if !finite(row) {
			return fmt.Errorf("%w: %s: warm start row %d contains NaN or Inf", ErrProblem, s.info.Name, k)
		}
	}
	return nil
}
