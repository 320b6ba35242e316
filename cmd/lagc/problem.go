package main

import (
	"flag"
	"fmt"
	"math"
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
	v0, p0  string
	guess   multiFlag
	params  multiFlag
	inputs  multiFlag
	targets multiFlag
	format  string
	tol     float64
	maxIter int
	noCont  bool
}

func (pf *problemFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&pf.bc, "bc", "fixed", "boundary conditions: `fixed` (q(0)=q0, q(T)=qT), periodic, or initial (q(0)=q0 with v0 or p0, integrated forward)")
	fs.Float64Var(&pf.T, "T", 0, "time horizon (the period for periodic conditions); required")
	fs.IntVar(&pf.steps, "steps", 100, "number of time steps N")
	fs.StringVar(&pf.q0, "q0", "", "initial coordinates q(0), comma separated in declaration order (fixed, initial)")
	fs.StringVar(&pf.qT, "qT", "", "final coordinates q(T), comma separated (fixed)")
	fs.StringVar(&pf.v0, "v0", "", "initial velocities dot(q)(0), comma separated (initial; or --p0)")
	fs.StringVar(&pf.p0, "p0", "", "initial momenta p(0) = ∂L/∂dot(q), comma separated (initial; or --v0)")
	fs.Var(&pf.guess, "guess", "initial guess: constant coordinates, comma separated, or `name=expr` in t for one coordinate "+
		"(x[1]=expr for one element, x=expr for all); repeatable (default: the straight line for fixed, q = 0 for periodic)")
	fs.Var(&pf.params, "param", "set a parameter: `name=value` (every element of an array) or k[2]=value; repeatable")
	fs.Var(&pf.inputs, "input", "input signal `name=expr` in t, e.g. u=0.5*cos(2*t); repeatable; unset inputs are 0")
	fs.Var(&pf.targets, "target", "target signal `name=expr` in t, e.g. y=0.2*sin(3*t); repeatable")
	fs.StringVar(&pf.format, "format", "json", "output `format`: json or csv")
	fs.Float64Var(&pf.tol, "tol", lagrt.DefaultTol, "Newton tolerance on the relative correction, in (0, 1)")
	fs.IntVar(&pf.maxIter, "maxiter", lagrt.DefaultMaxIter, "maximum Newton iterations")
	fs.BoolVar(&pf.noCont, "no-continuation", false, "do not fall back to continuation in the horizon when Newton stalls")
}

// check validates the numeric flags.
func (pf *problemFlags) check() error {
	if pf.format != "json" && pf.format != "csv" {
		return usageError{fmt.Sprintf("--format=%q: want json or csv", pf.format)}
	}
	if !(pf.T > 0) || math.IsInf(pf.T, 0) {
		return usageError{"--T must be given, finite and positive"}
	}
	if pf.steps < 2 || pf.steps > maxSteps {
		return usageError{fmt.Sprintf("--steps must be between 2 and %d", maxSteps)}
	}
	if !(pf.tol > 0 && pf.tol < 1) {
		return usageError{fmt.Sprintf("--tol=%g: the tolerance must be a number between 0 and 1, exclusive (default %g)", pf.tol, lagrt.DefaultTol)}
	}
	if pf.maxIter < 1 {
		return usageError{fmt.Sprintf("--maxiter=%d: must be at least 1 (default %d)", pf.maxIter, lagrt.DefaultMaxIter)}
	}
	return nil
}

// loadModel compiles a .lag file for the interpreter.
func loadModel(path string) (*compiler.Unit, lagrt.Model, error) {
	data, err := readSource(path)
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
	case "initial":
		pr.BC = lagrt.Initial
	default:
		return nil, false, usageError{fmt.Sprintf("--bc=%q: want fixed, periodic or initial", pf.bc)}
	}
	if err := pf.check(); err != nil {
		return nil, false, err
	}
	if pr.BC != lagrt.Initial && (pf.v0 != "" || pf.p0 != "") {
		return nil, false, fmt.Errorf("--v0 and --p0 are for initial conditions (--bc=initial); %s conditions take none", pr.BC)
	}
	switch pr.BC {
	case lagrt.Initial:
		coords := strings.Join(info.PhysCoords(), ",")
		switch {
		case pf.qT != "":
			return nil, false, fmt.Errorf("--qT is for fixed boundary conditions: an initial-value problem is given q(0) with --q0 and the velocity (--v0) or momentum (--p0) at t = 0, and integrated forward to T")
		case pf.q0 == "":
			return nil, false, fmt.Errorf("initial conditions need --q0 and one of --v0 or --p0 (%s each: %s)", plural(info.NPhys(), "value"), coords)
		case pf.v0 != "" && pf.p0 != "":
			return nil, false, fmt.Errorf("initial conditions take one of --v0 (velocities) or --p0 (momenta), not both")
		case pf.v0 == "" && pf.p0 == "":
			return nil, false, fmt.Errorf("initial conditions need --v0 (velocities) or --p0 (momenta) with --q0 (%s each: %s)", plural(info.NPhys(), "value"), coords)
		}
		if len(pf.guess) > 0 {
			return nil, false, fmt.Errorf("--guess is for boundary-value problems: an initial-value problem is integrated forward step by step from --q0 and needs no guess")
		}
		if pr.Q0, err = parseVector("q0", pf.q0, info.PhysCoords()); err != nil {
			return nil, false, err
		}
		if pf.v0 != "" {
			pr.V0, err = parseVector("v0", pf.v0, info.PhysCoords())
		} else {
			pr.P0, err = parseVector("p0", pf.p0, info.PhysCoords())
		}
		if err != nil {
			return nil, false, err
		}
	case lagrt.Fixed:
		if pf.q0 == "" || pf.qT == "" {
			return nil, false, fmt.Errorf("fixed boundary conditions need --q0 and --qT (%s each: %s)",
				plural(info.NPhys(), "value"), strings.Join(info.PhysCoords(), ","))
		}
		if pr.Q0, err = parseVector("q0", pf.q0, info.PhysCoords()); err != nil {
			return nil, false, err
		}
		if pr.QT, err = parseVector("qT", pf.qT, info.PhysCoords()); err != nil {
			return nil, false, err
		}
	default:
		if pf.q0 != "" || pf.qT != "" {
			return nil, false, fmt.Errorf("--q0 and --qT are for fixed boundary conditions; periodic problems have none")
		}
	}
	if len(pf.guess) > 0 {
		exprs := make([]string, info.NPhys())
		for _, s := range pf.guess {
			if err := guessSetting(s, info.PhysCoords(), exprs); err != nil {
				return nil, false, err
			}
		}
		g := guessSpec{exprs: exprs}
		if pr.Guess, err = g.trajectory(u.Model, prefixed("--guess=", info.PhysCoords()), info.PhysCoords(), pr.BC, pr.T, pr.N, pr.Q0, pr.QT); err != nil {
			return nil, false, err
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

// plural returns "1 value" or "n values".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// parseVector parses n comma-separated finite numbers.
func parseVector(flagName, s string, names []string) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != len(names) {
		return nil, fmt.Errorf("--%s has %s, want %d (%s)", flagName, plural(len(parts), "value"), len(names), strings.Join(names, ","))
	}
	v := make([]float64, len(parts))
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("--%s: value %d (%s): %q is not a number", flagName, i+1, names[i], p)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("--%s: value %d (%s) is %s; want a finite number", flagName, i+1, names[i], strings.TrimSpace(p))
		}
		v[i] = x
	}
	return v, nil
}

// guessSetting applies one --guess value to exprs (one expression of t
// per coordinate): a comma-separated list of constants for every
// coordinate, or name=expr for one coordinate or every element of an
// array.
func guessSetting(s string, coords, exprs []string) error {
	name, src, ok := strings.Cut(s, "=")
	if !ok {
		v, err := parseVector("guess", s, coords)
		if err != nil {
			return err
		}
		for i, x := range v {
			exprs[i] = formatNumber(x)
		}
		return nil
	}
	name = strings.TrimSpace(name)
	idx := elements(coords, name)
	if len(idx) == 0 {
		return fmt.Errorf("--guess=%s: unknown coordinate %q (coordinates: %s)", s, name, list(coords))
	}
	if strings.TrimSpace(src) == "" {
		return fmt.Errorf("--guess=%s: want name=expression", s)
	}
	for _, i := range idx {
		exprs[i] = src
	}
	return nil
}

// formatNumber writes a finite number in the .lag syntax.
func formatNumber(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if x < 0 {
		return "(" + s + ")"
	}
	return s
}

// guessSpec describes an initial guess per coordinate: an expression of t
// (exprs[i] != ""), samples on the grid (samples[i] != nil, N+1 values),
// or neither, which means the default guess for that coordinate.
type guessSpec struct {
	exprs   []string
	samples [][]float64
}

// trajectory builds the guess as N+1 rows on the grid t_k = kT/N (where
// formats the error position of an expression, given the coordinate
// name). Coordinates without a guess take the runtime's default: the
// straight line from q0 to qT for fixed ends, 0 for periodic problems.
func (g *guessSpec) trajectory(m *dsl.Model, where func(i int) string, coords []string, bc lagrt.BC, T float64, N int, q0, qT []float64) ([][]float64, error) {
	n := len(coords)
	exprs := g.exprs
	if exprs == nil {
		exprs = make([]string, n)
	}
	f, _, err := compileSignals(m, where, coords, exprs)
	if err != nil {
		return nil, err
	}
	rows := make([][]float64, N+1)
	buf := make([]float64, n)
	for k := range rows {
		t := T * float64(k) / float64(N)
		if f != nil {
			f(t, buf)
		}
		row := make([]float64, n)
		for i := range row {
			switch {
			case exprs[i] != "":
				row[i] = buf[i]
				if math.IsNaN(row[i]) || math.IsInf(row[i], 0) {
					return nil, fmt.Errorf("%s: the guess is %g at t = %g; want finite values", where(i), row[i], t)
				}
			case g.samples != nil && g.samples[i] != nil:
				row[i] = g.samples[i][k]
			case bc == lagrt.Fixed && len(q0) == n && len(qT) == n:
				s := float64(k) / float64(N)
				row[i] = (1-s)*q0[i] + s*qT[i]
			}
		}
		rows[k] = row
	}
	return rows, nil
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
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("--param=%s: want a finite number", s)
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
	f, all, err := compileSignals(u.Model, prefixed("--"+kind+"=", names), names, exprs)
	if err != nil {
		return lagrt.Signal{}, false, err
	}
	return lagrt.Signal{Func: f}, all, nil
}

// compileSignals compiles one expression of t per element (empty means
// zero) into a function safe for concurrent use. where(i) is the error
// position prefix of element i.
func compileSignals(m *dsl.Model, where func(i int) string, names, exprs []string) (func(t float64, dst []float64), bool, error) {
	all := true
	outs := make([]*symbolic.Node, len(names))
	for i, src := range exprs {
		if src == "" {
			all = false
			outs[i] = m.B.Num(0)
			continue
		}
		n, err := m.Signal(where(i), src)
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

// prefixed returns the error position prefix function naming element i
// as prefix+names[i].
func prefixed(prefix string, names []string) func(int) string {
	return func(i int) string { return prefix + names[i] }
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
