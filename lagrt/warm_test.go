package lagrt_test

import (
	"math"
	"testing"

	"github.com/lagc/lagc/lagrt"
)

// SolveNudged reports malformed warm starts as ErrProblem (it used to
// panic on an empty Solution), through the convenience function and
// through a Solver that holds a free solution of another problem.
func TestSolveNudgedMalformedWarm(t *testing.T) {
	pr := testProblems()[1] // 3 coordinates, fixed ends, N = 200
	free, err := lagrt.Solve(pr, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := func(f func(q [][]float64) [][]float64) *lagrt.Solution {
		q := make([][]float64, len(free.Q))
		for k := range q {
			q[k] = append([]float64(nil), free.Q[k]...)
		}
		return &lagrt.Solution{Q: f(q)}
	}
	for _, c := range []struct {
		name string
		warm *lagrt.Solution
		want string
	}{
		{"empty", &lagrt.Solution{}, "0 rows"},
		{"short", rows(func(q [][]float64) [][]float64 { return q[:10] }), "10 rows"},
		{"long", rows(func(q [][]float64) [][]float64 { return append(q, q[0]) }), "202 rows"},
		{"empty first row", rows(func(q [][]float64) [][]float64 { q[0] = nil; return q }), "row 0 has 0 values"},
		{"short row", rows(func(q [][]float64) [][]float64 { q[7] = q[7][:2]; return q }), "row 7 has 2 values"},
		{"long row", rows(func(q [][]float64) [][]float64 { q[9] = append(q[9], 1); return q }), "row 9 has 4 values"},
		{"NaN", rows(func(q [][]float64) [][]float64 { q[3][1] = math.NaN(); return q }), "row 3 contains NaN"},
		{"Inf", rows(func(q [][]float64) [][]float64 { q[200][0] = math.Inf(-1); return q }), "row 200 contains NaN or Inf"},
	} {
		_, err := lagrt.SolveNudged(pr, 1e-3, c.warm, nil)
		wantErr(t, err, lagrt.ErrProblem, c.want)
		var s lagrt.Solver
		var sol lagrt.Solution
		if err := s.Solve(&sol, testProblems()[0], nil); err != nil {
			t.Fatal(err)
		}
		err = s.SolveNudged(&sol, pr, 1e-3, c.warm, nil)
		wantErr(t, err, lagrt.ErrProblem, c.want)
	}
}
