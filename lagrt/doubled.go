package lagrt

import "math"

// Physical returns the physical view of a solution of a doubled model
// (Info.Physical > 0, a model with dissipation): the physical coordinates
// q (the average of the two copies), their momenta p = ∂L/∂v (the
// momentum conjugate to the separation, ½(p₁ + p₂), which is p at zero
// separation) and the largest separation |q₁ − q₂| over the grid, zero to
// tolerance at a free solution and O(β) at a nudged one. For other models
// it returns sol.Q, sol.P and 0.
func (sol *Solution) Physical(info *Info) (q, p [][]float64, sep float64) {
	m := info.Physical
	if m == 0 {
		return sol.Q, sol.P, 0
	}
	q = make([][]float64, len(sol.Q))
	p = make([][]float64, len(sol.P))
	for k, row := range sol.Q {
		q[k] = row[:m:m]
		for _, x := range row[m:] {
			sep = math.Max(sep, math.Abs(x))
		}
	}
	for k, row := range sol.P {
		p[k] = row[m:]
	}
	return q, p, sep
}
