package main

import (
	"fmt"
	"strings"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/lagrt"
)

// The JSON training data format (see the README, "Data format"): an object
// with the defaults T, steps and bc and a list of samples, each of which
// may override them and has q0, qT (fixed), q0 with v0 or p0 (initial),
// input, target and guess. It is read
// strictly (see jsonstrict.go): every error has a position, and unknown,
// duplicate, miscased and null fields are errors.

var (
	dataFields   = []string{"T", "steps", "bc", "samples"}
	sampleFields = []string{"T", "steps", "bc", "q0", "qT", "v0", "p0", "input", "target", "guess"}
)

// loadData reads a data file for u.
func loadData(path string, u *compiler.Unit) (*lagrt.Dataset, error) {
	raw, err := readLimited(path, maxDataBytes, "data file")
	if err != nil {
		return nil, err
	}
	return parseData(path, raw, u)
}

func parseData(path string, raw []byte, u *compiler.Unit) (*lagrt.Dataset, error) {
	if !u.Info.HasCost {
		return nil, fmt.Errorf("%s declares no cost to train: add a cost statement", u.Model.Filename)
	}
	root, err := parseJSON(path, raw)
	if err != nil {
		return nil, err
	}
	top, err := root.fieldMap("the data file", dataFields...)
	if err != nil {
		return nil, err
	}
	d := &lagrt.Dataset{BC: lagrt.Fixed}
	if v := top["T"]; v != nil {
		if d.T, err = horizon(v); err != nil {
			return nil, err
		}
	}
	if v := top["steps"]; v != nil {
		if d.N, err = steps(v); err != nil {
			return nil, err
		}
	}
	if v := top["bc"]; v != nil {
		if d.BC, err = parseBC(v); err != nil {
			return nil, err
		}
	}
	sv := top["samples"]
	if sv == nil {
		return nil, root.errorf("the data file has no \"samples\"")
	}
	if sv.kind != jsonArray {
		return nil, sv.errorf("\"samples\" must be an array of objects, not %s", sv.kind)
	}
	if len(sv.elems) == 0 {
		return nil, sv.errorf("no samples")
	}
	var errs []string
	for i, s := range sv.elems {
		smp, err := sample(s, i, u, d)
		if err != nil {
			errs = append(errs, err.Error())
			if len(errs) == 10 {
				break
			}
			continue
		}
		d.Samples = append(d.Samples, smp)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return d, nil
}

func horizon(v *jsonValue) (float64, error) {
	T, err := v.number("T")
	if err == nil && !(T > 0) {
		err = v.errorf("T must be positive, not %g", T)
	}
	return T, err
}

func steps(v *jsonValue) (int, error) {
	N, err := v.integer("steps")
	if err == nil && (N < 2 || N > maxSteps) {
		err = v.errorf("steps must be between 2 and %d, not %d", maxSteps, N)
	}
	return N, err
}

func parseBC(v *jsonValue) (lagrt.BC, error) {
	s, err := v.stringValue("bc")
	if err != nil {
		return 0, err
	}
	switch s {
	case "fixed":
		return lagrt.Fixed, nil
	case "periodic":
		return lagrt.Periodic, nil
	case "initial":
		return lagrt.Initial, nil
	}
	return 0, v.errorf("bc %q: want fixed, periodic or initial", s)
}

// sample reads sample i, with the defaults of d.
func sample(v *jsonValue, i int, u *compiler.Unit, d *lagrt.Dataset) (lagrt.Sample, error) {
	info := &u.Info
	var smp lagrt.Sample
	what := fmt.Sprintf("sample %d", i)
	f, err := v.fieldMap(what, sampleFields...)
	if err != nil {
		return smp, err
	}
	T, N, bc := d.T, d.N, d.BC
	if x := f["T"]; x != nil {
		if smp.T, err = horizon(x); err != nil {
			return smp, err
		}
		T = smp.T
	}
	if x := f["steps"]; x != nil {
		if smp.N, err = steps(x); err != nil {
			return smp, err
		}
		N = smp.N
	}
	if x := f["bc"]; x != nil {
		b, err := parseBC(x)
		if err != nil {
			return smp, err
		}
		smp.BC, bc = &b, b
	}
	if T == 0 || N == 0 {
		return smp, v.errorf("%s needs T and steps (here or at the top level)", what)
	}
	if bc != lagrt.Initial {
		for _, k := range []string{"v0", "p0"} {
			if x := f[k]; x != nil {
				return smp, x.errorf("%s: %s is for initial conditions (\"bc\": \"initial\"); %s conditions take none", what, k, bc)
			}
		}
	}
	switch bc {
	case lagrt.Initial:
		q0, v0, p0 := f["q0"], f["v0"], f["p0"]
		if x := f["qT"]; x != nil {
			return smp, x.errorf("%s: qT is for fixed boundary conditions; initial conditions are q0 with v0 or p0", what)
		}
		if x := f["guess"]; x != nil {
			return smp, x.errorf("%s: an initial-value sample is integrated forward and takes no guess", what)
		}
		if q0 == nil || (v0 == nil) == (p0 == nil) {
			return smp, v.errorf("%s: initial conditions need q0 and exactly one of v0 (velocities) or p0 (momenta), with %s each (%s)",
				what, plural(info.NPhys(), "value"), strings.Join(info.PhysCoords(), ","))
		}
		if smp.Q0, err = endpoint(q0, what+": q0", info.PhysCoords()); err != nil {
			return smp, err
		}
		if v0 != nil {
			smp.V0, err = endpoint(v0, what+": v0", info.PhysCoords())
		} else {
			smp.P0, err = endpoint(p0, what+": p0", info.PhysCoords())
		}
		if err != nil {
			return smp, err
		}
	case lagrt.Fixed:
		q0, qT := f["q0"], f["qT"]
		if q0 == nil || qT == nil {
			return smp, v.errorf("%s: fixed boundary conditions need q0 and qT with %s each (%s)",
				what, plural(info.NPhys(), "value"), strings.Join(info.PhysCoords(), ","))
		}
		if smp.Q0, err = endpoint(q0, what+": q0", info.PhysCoords()); err != nil {
			return smp, err
		}
		if smp.QT, err = endpoint(qT, what+": qT", info.PhysCoords()); err != nil {
			return smp, err
		}
	default:
		for _, k := range []string{"q0", "qT"} {
			if x := f[k]; x != nil {
				return smp, x.errorf("%s: %s is for fixed boundary conditions; periodic problems have none", what, k)
			}
		}
	}
	in, err := dataSignal(f["input"], what, "input", u, info.Inputs, N)
	if err != nil {
		return smp, err
	}
	if smp.Input, _, err = in.signal(u, T, N); err != nil {
		return smp, err
	}
	tg, err := dataSignal(f["target"], what, "target", u, info.Targets, N)
	if err != nil {
		return smp, err
	}
	var all bool
	if smp.Target, all, err = tg.signal(u, T, N); err != nil {
		return smp, err
	}
	if !all {
		return smp, v.errorf("%s: every target needs a signal (%s)", what, strings.Join(info.Targets, ", "))
	}
	if x := f["guess"]; x != nil {
		if smp.Guess, err = dataGuess(x, what, u, bc, T, N, smp.Q0, smp.QT); err != nil {
			return smp, err
		}
	}
	return smp, nil
}

func endpoint(v *jsonValue, what string, coords []string) ([]float64, error) {
	x, err := v.numbers(what)
	if err == nil && len(x) != len(coords) {
		err = v.errorf("%s has %s, want %d (%s)", what, plural(len(x), "value"), len(coords), strings.Join(coords, ","))
	}
	return x, err
}

// signalSpec is a signal per element, as read from a data file: an
// expression of t or samples on the grid (N+1 values).
type signalSpec struct {
	wheres  []string // error position prefix of each element's expression
	names   []string
	exprs   []string
	samples [][]float64
}

// dataSignal reads an object mapping element names ("u", "u[1]"; "u"
// alone sets every element of an array) to an expression of t (a
// string), a constant (a number) or N+1 samples on the grid (an array).
func dataSignal(v *jsonValue, what, kind string, u *compiler.Unit, names []string, N int) (*signalSpec, error) {
	sp := &signalSpec{names: names, exprs: make([]string, len(names)), samples: make([][]float64, len(names)),
		wheres: make([]string, len(names))}
	if v == nil {
		return sp, nil
	}
	if v.kind != jsonObject {
		return nil, v.errorf("%s: %s must be an object of %s names to signals, not %s", what, kind, kind, v.kind)
	}
	for _, f := range v.fields {
		idx := elements(names, f.key)
		if len(idx) == 0 {
			return nil, v.doc.errorf(f.keyOff, "%s: unknown %s %q (%ss: %s)", what, kind, f.key, kind, list(names))
		}
		var src string
		var vals []float64
		switch x := f.val; x.kind {
		case jsonString:
			if src = x.str; strings.TrimSpace(src) == "" {
				return nil, x.errorf("%s: %s %q is an empty expression", what, kind, f.key)
			}
		case jsonNumber:
			src = formatNumber(x.num)
		case jsonArray:
			var err error
			if vals, err = x.numbers(fmt.Sprintf("%s: %s %q", what, kind, f.key)); err != nil {
				return nil, err
			}
			if len(vals) != N+1 {
				return nil, x.errorf("%s: %s %q has %s, want steps+1 = %d", what, kind, f.key, plural(len(vals), "sample"), N+1)
			}
		default:
			return nil, x.errorf("%s: %s %q must be an expression string, a number or an array of %d numbers, not %s",
				what, kind, f.key, N+1, x.kind)
		}
		line, col := v.doc.position(f.val.off)
		for _, i := range idx {
			sp.exprs[i], sp.samples[i] = src, vals
			sp.wheres[i] = fmt.Sprintf("%s:%d:%d: %s: %s %s", v.doc.path, line, col, what, kind, names[i])
		}
	}
	return sp, nil
}

// signal builds the runtime signal. If every element is an expression the
// result is a function, evaluated at the midpoints; if any is sampled,
// expressions are sampled on the grid too. all reports whether every
// element was given.
func (sp *signalSpec) where(i int) string { return sp.wheres[i] }

func (sp *signalSpec) signal(u *compiler.Unit, T float64, N int) (lagrt.Signal, bool, error) {
	all, anySamples := true, false
	for i := range sp.names {
		if sp.exprs[i] == "" && sp.samples[i] == nil {
			all = false
		}
		if sp.samples[i] != nil {
			anySamples = true
		}
	}
	f, _, err := compileSignals(u.Model, sp.where, sp.names, sp.exprs)
	if err != nil {
		return lagrt.Signal{}, false, err
	}
	if !anySamples || len(sp.names) == 0 {
		return lagrt.Signal{Func: f}, all, nil
	}
	rows := make([][]float64, N+1)
	buf := make([]float64, len(sp.names))
	for k := range rows {
		rows[k] = make([]float64, len(sp.names))
		f(T*float64(k)/float64(N), buf)
		for i := range sp.names {
			if sp.samples[i] != nil {
				rows[k][i] = sp.samples[i][k]
			} else {
				rows[k][i] = buf[i]
			}
		}
	}
	return lagrt.Signal{Samples: rows}, all, nil
}

// dataGuess reads a sample's initial guess: an array of n constants (one
// per coordinate), or an object mapping coordinates to expressions of t,
// constants or N+1 samples, like a signal. Coordinates without a guess
// take the default (see guessSpec.trajectory).
func dataGuess(v *jsonValue, what string, u *compiler.Unit, bc lagrt.BC, T float64, N int, q0, qT []float64) ([][]float64, error) {
	coords := u.Info.PhysCoords()
	var g guessSpec
	var where func(int) string
	switch v.kind {
	case jsonArray:
		x, err := endpoint(v, what+": guess", coords)
		if err != nil {
			return nil, err
		}
		g.exprs = make([]string, len(x))
		for i := range x {
			g.exprs[i] = formatNumber(x[i])
		}
		line, col := v.doc.position(v.off)
		where = prefixed(fmt.Sprintf("%s:%d:%d: %s: guess ", v.doc.path, line, col, what), coords)
	case jsonObject:
		sp, err := dataSignal(v, what, "guess", u, coords, N)
		if err != nil {
			return nil, err
		}
		g.exprs, g.samples, where = sp.exprs, sp.samples, sp.where
	default:
		return nil, v.errorf("%s: guess must be an array of %s or an object of coordinates to guesses, not %s",
			what, plural(len(coords), "number"), v.kind)
	}
	return g.trajectory(u.Model, where, coords, bc, T, N, q0, qT)
}
