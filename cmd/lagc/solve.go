package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"

	"github.com/lagc/lagc/lagrt"
)

const solveHelp = `Solve finds a stationary trajectory of the midpoint discrete action of
FILE.lag (interpreted) by Newton's method on the discrete Euler–Lagrange
equations, and prints it.

Vectors are comma separated in declaration order, array coordinates
expanded in index order. --guess takes such a vector of constants, or
name=expr for one coordinate (an expression of t, as for signals; x=expr
sets every element of an array, x[1]=expr one); coordinates without a guess
start from the straight line between the ends (fixed) or from 0 (periodic). --param=name=value sets a scalar parameter or
every element of an array, --param=k[2]=value one element. Signals are
expressions in t in the .lag syntax and may use the model's constants:
--input=u=0.5*cos(2*t). Unset inputs are zero.

JSON output has t (N+1 times), q and p (N+1 rows: coordinates and discrete
momenta), coords, action, cost (when every target is given or the model has
none), iterations, residual (the discrete Euler–Lagrange residual),
continuation (horizons solved by the continuation fallback, 0 when Newton
converged directly), dSdtheta (∂S/∂θ along the trajectory, by parameter
name), error_estimate (the a-posteriori discretisation error: max, rel,
cost, coarse_steps, omega_h, omega_h_step; null if none was made) and
warnings (also printed to standard error). CSV output has a
header t,<coords>,p_<coords> and one row per time.

A solve that does not converge, a singular Hessian (a conjugate point, or
the time-shift zero mode of an autonomous periodic problem) and NaN are
errors with exit status 1 and a message saying what to try.`

func solveSetup(fs *flag.FlagSet) func(*cli, *flag.FlagSet, []string) error {
	pf := new(problemFlags)
	pf.register(fs)
	return func(c *cli, _ *flag.FlagSet, pos []string) error { return runSolve(c, pf, pos) }
}

type solveJSON struct {
	Coords     []string    `json:"coords"`
	BC         string      `json:"bc"`
	T          []float64   `json:"t"`
	Q          [][]float64 `json:"q"`
	P          [][]float64 `json:"p"`
	Action     float64     `json:"action"`
	Cost       *float64    `json:"cost,omitempty"`
	Iterations int         `json:"iterations"`
	Residual   float64     `json:"residual"`
	// Continuation counts the horizons solved by the continuation
	// fallback (0 when Newton converged directly).
	Continuation int                `json:"continuation"`
	DSdTheta     map[string]float64 `json:"dSdtheta"`
	// ErrorEstimate is the a-posteriori discretisation error (null when
	// none was made).
	ErrorEstimate *errorEstimateJSON `json:"error_estimate"`
	Warnings      []string           `json:"warnings,omitempty"`
}

// errorEstimateJSON is lagrt.ErrorEstimate on the command line.
type errorEstimateJSON struct {
	Max         float64 `json:"max"`
	Rel         float64 `json:"rel"`
	Cost        float64 `json:"cost"`
	CoarseSteps int     `json:"coarse_steps"`
	OmegaH      float64 `json:"omega_h"`
	OmegaHStep  int     `json:"omega_h_step"`
	Error       string  `json:"error,omitempty"`
}

// estimateJSON converts sol's error estimate, nil if none was made.
func estimateJSON(sol *lagrt.Solution) *errorEstimateJSON {
	e := sol.ErrorEstimate
	if e.CoarseN == 0 {
		return nil
	}
	j := &errorEstimateJSON{Max: e.Max, Rel: e.Rel, Cost: e.Cost, CoarseSteps: e.CoarseN, OmegaH: e.OmegaH, OmegaHStep: e.OmegaHStep}
	if e.Err != nil {
		j.Error = e.Err.Error()
	}
	return j
}

func runSolve(c *cli, pf *problemFlags, pos []string) error {
	if len(pos) != 1 {
		return usageError{"expected exactly one FILE.lag"}
	}
	if err := pf.check(); err != nil {
		return err
	}
	u, m, err := loadModel(pos[0])
	if err != nil {
		return err
	}
	pr, targetsGiven, err := pf.problem(u, m)
	if err != nil {
		return err
	}
	sol, err := lagrt.Solve(pr, pf.options())
	if err != nil {
		return cliHints(err, solveHints)
	}
	warnCondition(c, sol)
	info := m.Info()
	if pf.format == "csv" {
		return writeSolutionCSV(c.stdout, info, sol)
	}
	out := solveJSON{
		Coords: info.Coords, BC: pr.BC.String(),
		T: sol.Times, Q: sol.Q, P: sol.P,
		Action: sol.Action, Iterations: sol.Iterations, Residual: sol.Residual,
		Continuation:  sol.Continuation,
		DSdTheta:      map[string]float64{},
		ErrorEstimate: estimateJSON(sol),
		Warnings:      sol.Warnings,
	}
	if info.HasCost && targetsGiven {
		cost := sol.Cost
		out.Cost = &cost
	}
	for i, name := range info.Params {
		out.DSdTheta[name] = sol.DSdTheta[i]
	}
	return writeJSON(c.stdout, out)
}

// writeJSON prints v indented, with arrays of numbers kept on one line so
// that a trajectory prints one row per line.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = numberArray.ReplaceAllFunc(b, func(m []byte) []byte {
		return space.ReplaceAll(m, nil)
	})
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

var (
	numberArray = regexp.MustCompile(`\[[-0-9.eE+,\s]*\]`)
	space       = regexp.MustCompile(`\s+`)
)

func writeSolutionCSV(w io.Writer, info *lagrt.Info, sol *lagrt.Solution) error {
	cw := csv.NewWriter(w)
	header := []string{"t"}
	header = append(header, info.Coords...)
	for _, c := range info.Coords {
		header = append(header, "p_"+c)
	}
	cw.Write(header)
	row := make([]string, len(header))
	for k, t := range sol.Times {
		row = row[:0]
		row = append(row, fmtFloat(t))
		for _, x := range sol.Q[k] {
			row = append(row, fmtFloat(x))
		}
		for _, x := range sol.P[k] {
			row = append(row, fmtFloat(x))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

func fmtFloat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// warnCondition prints a warning when the Hessian at the solution is
// nearly singular: the trajectory is stationary, but it is sensitive to
// the data and gradients through it are unreliable.
func warnCondition(c *cli, sol *lagrt.Solution) {
	for _, w := range sol.Warnings {
		fmt.Fprintf(c.stderr, "lagc: warning: %s\n", w)
	}
	if sol.RCond > 0 && sol.RCond < lagrt.WarnRCond {
		fmt.Fprintf(c.stderr, "lagc: warning: the Hessian at the solution is nearly singular (reciprocal condition %.1e): "+
			"the horizon is probably close to a conjugate point; results are sensitive to the data\n", sol.RCond)
	}
}
