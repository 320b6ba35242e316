package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"strings"

	"github.com/lagc/lagc/lagrt"
)

const gradHelp = `Grad computes the gradient of the discrete cost C_d at the free stationary
trajectory with respect to every parameter, by Equilibrium Propagation
(centered: (∂S/∂θ[q_β] − ∂S/∂θ[q_−β])/2β, the default; ep: the one-sided
(∂S/∂θ[q_β] − ∂S/∂θ[q_0])/β), by the adjoint method (exact for the
discrete problem), or by finite differences over whole solves (fd, 2P
solves). It takes the same flags as solve; every target the cost uses must
be given with --target.

For initial conditions (--bc=initial) EP does not apply (it needs both
ends held, which leave no boundary term); use echo (the default there),
echo1, adjoint or fd. echo is the Hamiltonian echo: run forward, flip the final momenta, run
the system back nudged by ±β toward the targets (inputs and time
reversed), and contrast ∂S/∂θ along the two echoes (three runs, bias
O(β²)); echo1 contrasts one +β echo with the forward run (two runs, bias
O(β)). The echo needs L and the cost even in the velocities (no magnetic
or gyroscopic terms, no dissipation) and says so otherwise; adjoint is
backpropagation through time over the stored run and works for any model.

JSON output has cost, method, beta (the nudging strength; the relative step
for fd; 0 for adjoint), grad (parameter name to value), solves (solves, or
integrator runs for initial conditions) and iterations. CSV output has a
header param,grad.`

func gradSetup(fs *flag.FlagSet) func(*cli, *flag.FlagSet, []string) error {
	pf := new(problemFlags)
	pf.register(fs)
	g := new(gradOpts)
	fs.StringVar(&g.method, "method", "centered", "gradient `method`: centered, ep, adjoint or fd; for --bc=initial echo (its default), echo1, adjoint or fd")
	fs.Float64Var(&g.beta, "beta", 0, fmt.Sprintf("nudging strength β of the EP and echo estimators, finite and positive (default %g)", lagrt.DefaultBeta))
	return func(c *cli, fs *flag.FlagSet, pos []string) error { return runGrad(c, fs, pf, g, pos) }
}

// checkBeta validates a --beta given on the command line.
func checkBeta(beta float64) error {
	if !(beta > 0) || math.IsInf(beta, 0) {
		return usageError{fmt.Sprintf("--beta=%g: the nudging strength must be finite and positive (default %g)", beta, lagrt.DefaultBeta)}
	}
	return nil
}

type gradOpts struct {
	method string
	beta   float64
}

type gradJSON struct {
	Cost       float64            `json:"cost"`
	Method     string             `json:"method"`
	Beta       float64            `json:"beta"`
	Grad       map[string]float64 `json:"grad"`
	Params     []string           `json:"params"`
	Solves     int                `json:"solves"`
	Iterations int                `json:"iterations"`
}

func runGrad(c *cli, fs *flag.FlagSet, pf *problemFlags, g *gradOpts, pos []string) error {
	if len(pos) != 1 {
		return usageError{"expected exactly one FILE.lag"}
	}
	if err := pf.check(); err != nil {
		return err
	}
	if !given(fs, "method") && pf.bc == "initial" {
		g.method = "echo" // EP does not apply to initial-value problems
	}
	method, err := lagrt.ParseMethod(g.method)
	if err != nil {
		return usageError{err.Error()}
	}
	if given(fs, "beta") {
		if err := checkBeta(g.beta); err != nil {
			return err
		}
	}
	u, m, err := loadModel(pos[0])
	if err != nil {
		return err
	}
	info := m.Info()
	if !info.HasCost {
		return fmt.Errorf("%s declares no cost: add a cost statement to differentiate", pos[0])
	}
	pr, targetsGiven, err := pf.problem(u, m)
	if err != nil {
		return err
	}
	if !targetsGiven {
		return fmt.Errorf("the cost needs every target: give --target=NAME=EXPR for %s", strings.Join(info.Targets, ", "))
	}
	opt := pf.options()
	opt.Beta = g.beta
	res, err := lagrt.ComputeGradient(pr, method, opt)
	if err != nil {
		return stepHint(cliHints(err, solveHints), pf)
	}
	energyWarning(res.Free)
	warnCondition(c, res.Free)
	if pf.format == "csv" {
		cw := csv.NewWriter(c.stdout)
		cw.Write([]string{"param", "grad"})
		for i, name := range info.Params {
			cw.Write([]string{name, fmtFloat(res.Grad[i])})
		}
		cw.Flush()
		return cw.Error()
	}
	out := gradJSON{
		Cost: res.Cost, Method: res.Method.String(), Beta: res.Beta,
		Grad: map[string]float64{}, Params: info.Params,
		Solves: res.Solves, Iterations: res.Iterations,
	}
	for i, name := range info.Params {
		out.Grad[name] = res.Grad[i]
	}
	return writeJSON(c.stdout, out)
}
