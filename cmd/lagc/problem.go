package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/dsl"
	"github.com/lagc/lagc/interp"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/symbolic"
)

// maxSteps bounds --steps: the solver needs O(N n²) memory, and printing
// more than ten million rows is not what anyone wants from a command line.
const maxSteps = 10_000_000

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// problemFlags are the flags shared by solve and grad.
type problemFlags struct {
	bc      string
	T       float64
	steps   int
	q0, qT  string
	guess   string
	params  multiFlag
	inputs  multiFlag
	targets multiFlag
	format  string
	tol     float64
	maxIter int
	noCont  bool
}

func (pf *problemFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&pf.bc, "bc", "fixed", "boundary conditions: `fixed` (q(0)=q0, q(T)=qT) or periodic")
	fs.Float64Var(&pf.T, "T", 0, "time horizon (the period for periodic conditions); required")
	fs.IntVar(&pf.steps, "steps", 100, "number of time steps N")
	fs.StringVar(&pf.q0, "q0", "", "initial coordinates q(0), comma separated in declaration order (fixed)")
	fs.StringVar(&pf.qT, "qT", "", "final coordinates q(T), comma separated (fixed)")
	fs.StringVar(&pf.guess, "guess", "", "initial guess: constant coordinates, comma separated (default: the straight line for fixed, q = 0 for periodic)")
	fs.Var(&pf.params, "param", "set a parameter: `name=value` (every element of an array) or k[2]=value; repeatable")
	fs.Var(&pf.inputs, "input", "input signal `name=expr` in t, e.g. u=0.5*cos(2*t); repeatable; unset inputs are 0")
	fs.Var(&pf.targets, "target", "target signal `name=expr` in t, e.g. y=0.2*sin(3*t); repeatable")
	fs.StringVar(&pf.format, "format", "json", "output `format`: json or csv")
	fs.Float64Var(&pf.tol, "tol", 0, "Newton tolerance on the relative correction (default lagrt.DefaultTol)")
	fs.IntVar(&pf.maxIter, "maxiter", 0, "maximum Newton iterations (default lagrt.DefaultMaxIter)")
	fs.BoolVar(&pf.noCont, "no-continuation", false, "do not fall back to continuation in the horizon when Newton stalls")
}

// loadModel compiles a .lag file for the interpreter.
func loadModel(path string) (*compiler.Unit, lagrt.Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	u, err := compiler.Compile(path, data)
	if err != nil {
		return nil, nil, err
	}
	return u, interp.New(u), nil
}

// problem builds the runtime problem the flags describe. targetsGiven
// reports whether every target of the model has a signal.
func (pf *problemFlags) problem(u *compiler.Unit, m lagrt.Model) (pr *lagrt.Problem, targetsGiven bool, err error) {
	info := m.Info()
	pr = &lagrt.Problem{Model: m, N: pf.steps, T: pf.T}
	switch pf.bc {
	case "fixed":
		pr.BC = lagrt.Fixed
	case "periodic":
		pr.BC = lagrt.Periodic
	default:
		return nil, false, usageError{fmt.Sprintf("--bc=%q: want fixed or periodic", pf.bc)}
	}
	if !(pf.T > 0) {
		return nil, false, usageError{"--T must be given and positive"}
	}
	if pf.steps < 2 || pf.steps > maxSteps {
		return nil, false, usageError{fmt.Sprintf("--steps must be between 2 and %d", maxSteps)}
	}
	if pr.BC == lagrt.Fixed {
		if pf.q0 == "" || pf.qT == "" {
			return nil, false, fmt.Errorf("fixed boundary conditions need --q0 and --qT (%d values each: %s)",
				info.N(), strings.Join(info.Coords, ","))
		}
		if pr.Q0, err = parseVector("q0", pf.q0, info.Coords); err != nil {
			return nil, false, err
		}
		if pr.QT, err = parseVector("qT", pf.qT, info.Coords); err != nil {
			return nil, false, err
		}
	} else if pf.q0 != "" || pf.qT != "" {
		return nil, false, fmt.Errorf("--q0 and --qT are for fixed boundary conditions; periodic problems have none")
	}
	if pf.guess != "" {
		g, err := parseVector("guess", pf.guess, info.Coords)
		if err != nil {
			return nil, false, err
		}
		pr.Guess = make([][]float64, pf.steps+1)
		for k := range pr.Guess {
			pr.Guess[k] = g
		}
	}
	if pr.Theta, err = parseParams(info, pf.params); err != nil {
		return nil, false, err
	}
	in, _, err := signals(u, "input", info.Inputs, pf.inputs)
	if err != nil {
		return nil, false, err
	}
	pr.Input = in
	tg, all, err := signals(u, "target", info.Targets, pf.targets)
	if err != nil {
		return nil, false, err
	}
	pr.Target = tg
	return pr, all, nil
}

func (pf *problemFlags) options() *lagrt.Options {
	return &lagrt.Options{Tol: pf.tol, MaxIter: pf.maxIter, NoContinuation: pf.noCont}
}

// parseVector parses n comma-separated numbers.
func parseVector(flagName, s string, names []string) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != len(names) {
		return nil, fmt.Errorf("--%s has %d values, want %d (%s)", flagName, len(parts), len(names), strings.Join(names, ","))
	}
	v := make([]float64, len(parts))
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("--%s: value %d (%s): %q is not a number", flagName, i+1, names[i], p)
		}
		v[i] = x
	}
	return v, nil
}

// elements returns the indices into names matched by name: the element
// itself ("k[2]", "m") or every element of an array ("k").
func elements(names []string, name string) []int {
	var idx []int
	for i, n := range names {
		if n == name || strings.HasPrefix(n, name+"[") {
			idx = append(idx, i)
		}
	}
	return idx
}

// parseParams applies name=value settings to the model's defaults.
func parseParams(info *lagrt.Info, settings []string) ([]float64, error) {
	theta := append([]float64(nil), info.Defaults...)
	for _, s := range settings {
		name, val, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("--param=%s: want name=value", s)
		}
		name = strings.TrimSpace(name)
		idx := elements(info.Params, name)
		if len(idx) == 0 {
			return nil, fmt.Errorf("--param=%s: unknown parameter %q (parameters: %s)", s, name, list(info.Params))
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return nil, fmt.Errorf("--param=%s: %q is not a number", s, val)
		}
		for _, i := range idx {
			theta[i] = x
		}
	}
	return theta, nil
}

func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// signals compiles name=expr settings for the inputs or targets of u into
// one lagrt.Signal. It reports whether every element was given.
func signals(u *compiler.Unit, kind string, names []string, settings []string) (lagrt.Signal, bool, error) {
	exprs := make([]string, len(names))
	for _, s := range settings {
		name, src, ok := strings.Cut(s, "=")
		if !ok {
			return lagrt.Signal{}, false, fmt.Errorf("--%s=%s: want name=expression", kind, s)
		}
		name = strings.TrimSpace(name)
		idx := elements(names, name)
		if len(idx) == 0 {
			return lagrt.Signal{}, false, fmt.Errorf("--%s=%s: unknown %s %q (%ss: %s)", kind, s, kind, name, kind, list(names))
		}
		for _, i := range idx {
			exprs[i] = src
		}
	}
	f, all, err := compileSignals(u.Model, "--"+kind+"="+"%s", names, exprs)
	if err != nil {
		return lagrt.Signal{}, false, err
	}
	return lagrt.Signal{Func: f}, all, nil
}

// compileSignals compiles one expression of t per element (empty means
// zero) into a function safe for concurrent use. where is a format for the
// error position prefix, given the element name.
func compileSignals(m *dsl.Model, where string, names, exprs []string) (func(t float64, dst []float64), bool, error) {
	all := true
	outs := make([]*symbolic.Node, len(names))
	for i, src := range exprs {
		if src == "" {
			all = false
			outs[i] = m.B.Num(0)
			continue
		}
		n, err := m.Signal(fmt.Sprintf(where, names[i]), src)
		if err != nil {
			return nil, false, err
		}
		outs[i] = n
	}
	if len(outs) == 0 {
		return nil, true, nil
	}
	prog := symbolic.Compile([]*symbolic.Node{m.T}, outs)
	pool := sync.Pool{New: func() any { r := make([]float64, prog.NumRegs()); return &r }}
	return func(t float64, dst []float64) {
		r := pool.Get().(*[]float64)
		var in [1]float64
		in[0] = t
		prog.Run(*r, in[:], dst)
		pool.Put(r)
	}, all, nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
