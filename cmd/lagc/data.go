package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/lagrt"
)

// dataFile is the JSON training data format (see the README, "Data
// format"). Fields of a sample override the file's defaults.
type dataFile struct {
	T       float64      `json:"T"`
	Steps   int          `json:"steps"`
	BC      string       `json:"bc"`
	Samples []dataSample `json:"samples"`
}

type dataSample struct {
	T     float64 `json:"T,omitempty"`
	Steps int     `json:"steps,omitempty"`
	BC    string  `json:"bc,omitempty"`
	// Q0 and QT are the fixed endpoint values.
	Q0 []float64 `json:"q0,omitempty"`
	QT []float64 `json:"qT,omitempty"`
	// Input and Target map a signal name ("u", or "u[1]" for one element
	// of an array) to an expression of t (a JSON string) or to samples on
	// the grid (a JSON array of steps+1 numbers).
	Input  map[string]json.RawMessage `json:"input,omitempty"`
	Target map[string]json.RawMessage `json:"target,omitempty"`
}

// loadData reads a data file for u.
func loadData(path string, u *compiler.Unit) (*lagrt.Dataset, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseData(path, raw, u)
}

func parseData(path string, raw []byte, u *compiler.Unit) (*lagrt.Dataset, error) {
	var f dataFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(f.Samples) == 0 {
		return nil, fmt.Errorf("%s: no samples", path)
	}
	info := &u.Info
	bc, err := parseBC(f.BC, lagrt.Fixed)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	d := &lagrt.Dataset{T: f.T, N: f.Steps, BC: bc}
	var errs []string
	for i, s := range f.Samples {
		where := fmt.Sprintf("%s: sample %d", path, i)
		smp, err := s.sample(where, u, d)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		d.Samples = append(d.Samples, smp)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	if info.HasCost == false {
		return nil, fmt.Errorf("%s: the model declares no cost to train", u.Model.Filename)
	}
	return d, nil
}

func parseBC(s string, def lagrt.BC) (lagrt.BC, error) {
	switch s {
	case "":
		return def, nil
	case "fixed":
		return lagrt.Fixed, nil
	case "periodic":
		return lagrt.Periodic, nil
	}
	return 0, fmt.Errorf("bc %q: want fixed or periodic", s)
}

func (s *dataSample) sample(where string, u *compiler.Unit, d *lagrt.Dataset) (lagrt.Sample, error) {
	info := &u.Info
	smp := lagrt.Sample{T: s.T, N: s.Steps, Q0: s.Q0, QT: s.QT}
	bc := d.BC
	if s.BC != "" {
		b, err := parseBC(s.BC, d.BC)
		if err != nil {
			return smp, fmt.Errorf("%s: %v", where, err)
		}
		smp.BC, bc = &b, b
	}
	T, N := d.T, d.N
	if s.T != 0 {
		T = s.T
	}
	if s.Steps != 0 {
		N = s.Steps
	}
	if !(T > 0) || N < 2 || N > maxSteps {
		return smp, fmt.Errorf("%s: needs a positive T and 2 ≤ steps ≤ %d (here or at the top level)", where, maxSteps)
	}
	if bc == lagrt.Fixed {
		if len(s.Q0) != info.N() || len(s.QT) != info.N() {
			return smp, fmt.Errorf("%s: fixed boundary conditions need q0 and qT with %d values each (%s)",
				where, info.N(), strings.Join(info.Coords, ","))
		}
	} else if s.Q0 != nil || s.QT != nil {
		return smp, fmt.Errorf("%s: q0 and qT are for fixed boundary conditions", where)
	}
	var err error
	if smp.Input, _, err = dataSignal(where, "input", u, info.Inputs, s.Input, N, T); err != nil {
		return smp, err
	}
	var all bool
	if smp.Target, all, err = dataSignal(where, "target", u, info.Targets, s.Target, N, T); err != nil {
		return smp, err
	}
	if !all {
		return smp, fmt.Errorf("%s: every target needs a signal (%s)", where, strings.Join(info.Targets, ", "))
	}
	return smp, nil
}

// dataSignal builds a signal from a sample's map of names to expressions
// or sample arrays. If every given signal is an expression the result is
// a function, evaluated at the midpoints; if any is sampled, expressions
// are sampled on the grid too.
func dataSignal(where, kind string, u *compiler.Unit, names []string, m map[string]json.RawMessage, N int, T float64) (lagrt.Signal, bool, error) {
	exprs := make([]string, len(names))
	samples := make([][]float64, len(names))
	anySamples := false
	for _, name := range sortedKeys(m) {
		raw := m[name]
		idx := elements(names, name)
		if len(idx) == 0 {
			return lagrt.Signal{}, false, fmt.Errorf("%s: unknown %s %q (%ss: %s)", where, kind, name, kind, list(names))
		}
		var src string
		var vals []float64
		if err := json.Unmarshal(raw, &src); err == nil {
			for _, i := range idx {
				exprs[i] = src
			}
			continue
		}
		if err := json.Unmarshal(raw, &vals); err != nil {
			return lagrt.Signal{}, false, fmt.Errorf("%s: %s %q must be an expression string or an array of %d numbers", where, kind, name, N+1)
		}
		if len(vals) != N+1 {
			return lagrt.Signal{}, false, fmt.Errorf("%s: %s %q has %d samples, want steps+1 = %d", where, kind, name, len(vals), N+1)
		}
		anySamples = true
		for _, i := range idx {
			samples[i] = vals
			exprs[i] = ""
		}
	}
	all := true
	for i := range names {
		if exprs[i] == "" && samples[i] == nil {
			all = false
		}
	}
	f, _, err := compileSignals(u.Model, where+": "+kind+" %s", names, exprs)
	if err != nil {
		return lagrt.Signal{}, false, err
	}
	if !anySamples || len(names) == 0 {
		return lagrt.Signal{Func: f}, all, nil
	}
	rows := make([][]float64, N+1)
	buf := make([]float64, len(names))
	for k := range rows {
		rows[k] = make([]float64, len(names))
		f(T*float64(k)/float64(N), buf)
		for i := range names {
			if samples[i] != nil {
				rows[k][i] = samples[i][k]
			} else {
				rows[k][i] = buf[i]
			}
		}
	}
	return lagrt.Signal{Samples: rows}, all, nil
}
