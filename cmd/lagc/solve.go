package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
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

Boundary conditions (--bc): fixed ends (--q0 and --qT), periodic (none),
or initial: --q0 with exactly one of --v0 (the velocities at t = 0) or
--p0 (the momenta ∂L/∂dot(q) at t = 0). An initial-value problem is
integrated forward by the same midpoint discrete Euler–Lagrange equations,
one implicit step (Newton on n unknowns) at a time; --v0 is mapped to the
momentum p0 = ∂L/∂dot(q)(q0, v0, t=0) that starts the discrete map, so
the first difference quotient (q_1 − q_0)/h equals v0 only up to O(h).

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
warnings (also printed to standard error). For initial conditions it adds
p0 (the initial momentum used), energy (E = dot(q)·∂L/∂dot(q) − L at the N
step midpoints), energy_drift (max |E_k − E_0|: an O(h²) oscillation
without drift when the model is autonomous), autonomous (L showed no
dependence on t along the run) and max_step_iterations (Newton
corrections of the hardest step). CSV output has a header
t,<coords>,p_<coords> and one row per time.

A solve that does not converge, a singular Hessian (a conjugate point, or
the time-shift zero mode of an autonomous periodic problem) and NaN are
errors with exit status 1 and a message saying what to try; an
initial-value run that fails names the step and the time it reached.`

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
	// Separation is, for a model with dissipation, the largest
	// separation |q₁ − q₂| of the doubled action's copies (zero to
	// tolerance at a solution).
	Separation *float64 `json:"separation,omitempty"`
	// Continuation counts the horizons solved by the continuation
	// fallback (0 when Newton converged directly).
	Continuation int                `json:"continuation"`
	DSdTheta     map[string]float64 `json:"dSdtheta"`
	// ErrorEstimate is the a-posteriori discretisation error (null when
	// none was made).
	ErrorEstimate *errorEstimateJSON `json:"error_estimate"`
	Warnings      []string           `json:"warnings,omitempty"`

	// Initial-value problems only (lagrt.IVPReport).
	P0                []float64 `json:"p0,omitempty"`
	Energy            []float64 `json:"energy,omitempty"`
	EnergyDrift       *float64  `json:"energy_drift,omitempty"`
	Autonomous        *bool     `json:"autonomous,omitempty"`
	MaxStepIterations *int      `json:"max_step_iterations,omitempty"`
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
		return stepHint(cliHints(err, solveHints), pf)
	}
	energyWarning(sol)
	warnCondition(c, sol)
	info := m.Info()
	if pf.format == "csv" {
		return writeSolutionCSV(c.stdout, info, sol)
	}
	q, mom, sep := sol.Physical(info)
	out := solveJSON{
		Coords: info.PhysCoords(), BC: pr.BC.String(),
		T: sol.Times, Q: q, P: mom,
		Action: sol.Action, Iterations: sol.Iterations, Residual: sol.Residual,
		Continuation:  sol.Continuation,
		DSdTheta:      map[string]float64{},
		ErrorEstimate: estimateJSON(sol),
		Warnings:      sol.Warnings,
	}
	if info.Physical > 0 {
		out.Separation = &sep
	}
	if info.HasCost && targetsGiven {
		cost := sol.Cost
		out.Cost = &cost
	}
	for i, name := range info.Params {
		out.DSdTheta[name] = sol.DSdTheta[i]
	}
	if r := sol.IVP; r != nil {
		out.P0, out.Energy = r.P0, r.Energy
		out.EnergyDrift, out.Autonomous, out.MaxStepIterations = &r.EnergyDrift, &r.Autonomous, &r.MaxStepIterations
	}
	return writeJSON(c.stdout, out)
}

// maxEnergyDrift is the relative energy error, max |E_k − E_0| / max |E_k|,
// above which an autonomous initial-value run is reported as suspect. The
// midpoint rule keeps it near (ωh)²/12 or below for a step h resolving the
// fastest frequency ω, far under 1% for ωh < 0.3.
const maxEnergyDrift = 0.01

// energyWarning adds a warning to an autonomous initial-value solution
// whose energy is not conserved to maxEnergyDrift: the step is too large
// for the motion, or the path went through a singularity of L (which a
// finite step can jump over without producing NaN).
func energyWarning(sol *lagrt.Solution) {
	r := sol.IVP
	if r == nil || !r.Autonomous || len(r.Energy) == 0 {
		return
	}
	scale := 0.0
	for _, e := range r.Energy {
		scale = max(scale, math.Abs(e))
	}
	if r.EnergyDrift > maxEnergyDrift*scale {
		sol.Warnings = append(sol.Warnings, fmt.Sprintf("the energy of this autonomous model changes by %.3g (%.2g of its largest magnitude %.3g) along the run, "+
			"which the midpoint rule conserves to O(h²): the step h is too large for the motion, or the path passed a singularity of L; try more --steps",
			r.EnergyDrift, r.EnergyDrift/scale, scale))
	}
}

// stepHint adds to the failure of an initial-value run (a *lagrt.StepError)
// how far it got and the command-line change most likely to help.
func stepHint(err error, pf *problemFlags) error {
	var se *lagrt.StepError
	if !errors.As(err, &se) {
		return err
	}
	run := "the forward run"
	if se.Echo {
		run = fmt.Sprintf("the echo (nudged by β = %g)", se.Beta)
	}
	hint := fmt.Sprintf("%s failed at step %d of %d, at t = %g of T = %g; try --steps=%d (half the step h)",
		run, se.Step, se.N, se.T, pf.T, min(2*se.N, maxSteps))
	return fmt.Errorf("%w\n%s", err, hint)
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
	q, mom, _ := sol.Physical(info)
	header = append(header, info.PhysCoords()...)
	for _, c := range info.PhysCoords() {
		header = append(header, "p_"+c)
	}
	cw.Write(header)
	row := make([]string, len(header))
	for k, t := range sol.Times {
		row = row[:0]
		row = append(row, fmtFloat(t))
		for _, x := range q[k] {
			row = append(row, fmtFloat(x))
		}
		for _, x := range mom[k] {
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
	if sol.IVP == nil && sol.RCond > 0 && sol.RCond < lagrt.WarnRCond {
		fmt.Fprintf(c.stderr, "lagc: warning: the Hessian at the solution is nearly singular (reciprocal condition %.1e): "+
			"the horizon is probably close to a conjugate point; results are sensitive to the data\n", sol.RCond)
	}
}
