// Package compiler chains lagc's stages: it parses and checks a .lag source
// (package dsl), derives every quantity the runtime needs (package
// symbolic/mech) and plans their evaluation as three kernels sharing common
// subexpressions (package symbolic). Package codegen prints the plan as Go;
// package interp runs it directly. Both therefore compute the same numbers
// from the same expression graph.
package compiler

import (
	"fmt"

	"github.com/lagc/lagc/dsl"
	"github.com/lagc/lagc/runtime"
	"github.com/lagc/lagc/symbolic"
	"github.com/lagc/lagc/symbolic/mech"
)

// Unit is a compiled source file: the checked model, its derivation and the
// evaluation plan.
type Unit struct {
	Model *dsl.Model
	Deriv *mech.Derivation
	// Inputs are the symbols a kernel reads, in slot order: t, q, v, θ, u, y.
	Inputs []*symbolic.Node
	// Kernels are the evaluation plans for runtime.Level1, Level2 and Level3.
	Kernels [3]*Kernel
	// Info is the runtime description of the model.
	Info runtime.Info
}

// Compile parses, checks and derives src. Errors are a parser.ErrorList
// with positions.
func Compile(filename string, src []byte) (*Unit, error) {
	m, err := dsl.Compile(filename, src)
	if err != nil {
		return nil, err
	}
	return FromModel(m), nil
}

// FromModel derives and plans a checked model.
func FromModel(m *dsl.Model) *Unit {
	sys := &mech.System{
		B: m.B, Q: m.Q, V: m.V, Theta: m.Theta, U: m.U, Y: m.Y, T: m.T,
		L: m.L, C: m.C,
	}
	d := mech.Derive(sys)
	u := &Unit{Model: m, Deriv: d}
	u.Inputs = append(u.Inputs, m.T)
	for _, g := range [][]*symbolic.Node{m.Q, m.V, m.Theta, m.U, m.Y} {
		u.Inputs = append(u.Inputs, g...)
	}
	for i, lvl := range []runtime.Want{runtime.Level1, runtime.Level2, runtime.Level3} {
		u.Kernels[i] = newKernel(u, lvl)
	}
	u.Info = runtime.Info{
		Name:     m.Name,
		Coords:   m.CoordNames,
		Params:   m.ParamNames,
		Defaults: m.Defaults,
		Inputs:   m.InputNames,
		Targets:  m.TargetNames,
		HasCost:  m.C != nil,
	}
	return u
}

// Field names one of runtime.Out's fields.
type Field struct {
	Want runtime.Want
	Name string // Go field name in runtime.Out
}

// Fields lists runtime.Out's fields in the order kernels compute them.
var Fields = []Field{
	{runtime.WantL, "L"}, {runtime.WantLq, "Lq"}, {runtime.WantLv, "Lv"},
	{runtime.WantLth, "Lth"},
	{runtime.WantC, "C"}, {runtime.WantCq, "Cq"}, {runtime.WantCv, "Cv"},
	{runtime.WantCth, "Cth"},
	{runtime.WantLqq, "Lqq"}, {runtime.WantLqv, "Lqv"}, {runtime.WantLvv, "Lvv"},
	{runtime.WantCqq, "Cqq"}, {runtime.WantCqv, "Cqv"}, {runtime.WantCvv, "Cvv"},
	{runtime.WantLvt, "Lvt"}, {runtime.WantLthq, "Lthq"}, {runtime.WantLthv, "Lthv"},
}

// Exprs returns the expressions of field f, flat and row-major; a scalar
// field has one.
func (u *Unit) Exprs(f Field) []*symbolic.Node {
	d := u.Deriv
	switch f.Want {
	case runtime.WantL:
		return []*symbolic.Node{d.Sys.L}
	case runtime.WantLq:
		return d.Lq
	case runtime.WantLv:
		return d.Lv
	case runtime.WantLqq:
		return d.Lqq
	case runtime.WantLqv:
		return d.Lqv
	case runtime.WantLvv:
		return d.Lvv
	case runtime.WantLvt:
		return d.Lvt
	case runtime.WantLth:
		return d.Lth
	case runtime.WantLthq:
		return d.Lthq
	case runtime.WantLthv:
		return d.Lthv
	case runtime.WantC:
		return []*symbolic.Node{d.C}
	case runtime.WantCq:
		return d.Cq
	case runtime.WantCv:
		return d.Cv
	case runtime.WantCqq:
		return d.Cqq
	case runtime.WantCqv:
		return d.Cqv
	case runtime.WantCvv:
		return d.Cvv
	case runtime.WantCth:
		return d.Cth
	}
	panic(fmt.Sprintf("compiler: unknown field %v", f.Want))
}

// Kernel is the plan of one evaluation level: the fields it fills, their
// expressions laid out one field after another, and the program that
// evaluates them.
type Kernel struct {
	Want    runtime.Want
	Fields  []Field
	Offsets []int // Offsets[i] is where Fields[i] starts in Outputs; len(Fields)+1 entries
	Outputs []*symbolic.Node
	Prog    *symbolic.Program
}

func newKernel(u *Unit, w runtime.Want) *Kernel {
	k := &Kernel{Want: w}
	for _, f := range Fields {
		if f.Want&w == 0 {
			continue
		}
		k.Fields = append(k.Fields, f)
		k.Offsets = append(k.Offsets, len(k.Outputs))
		k.Outputs = append(k.Outputs, u.Exprs(f)...)
	}
	k.Offsets = append(k.Offsets, len(k.Outputs))
	k.Prog = symbolic.Compile(u.Inputs, k.Outputs)
	return k
}
