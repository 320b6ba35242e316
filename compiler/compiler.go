// Package compiler chains lagc's stages: it parses and checks a .lag source
// (package dsl), derives every quantity the runtime needs (package
// symbolic/mech) and plans their evaluation as one straight-line program
// with common subexpressions shared across all outputs (package symbolic).
// The outputs are laid out by evaluation level (lagrt.Level1, Level2,
// Level3), so a cheap request runs only a prefix of the program. Package
// codegen prints the plan as Go; package interp runs it directly. Both
// therefore compute the same numbers from the same expression graph.
package compiler

import (
	"fmt"

	"github.com/lagc/lagc/dsl"
	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/symbolic"
	"github.com/lagc/lagc/symbolic/mech"
)

// Unit is a compiled source file: the checked model, its derivation and the
// evaluation plan.
type Unit struct {
	Model *dsl.Model
	Deriv *mech.Derivation
	// Inputs are the symbols the kernel reads, in slot order: t, q, v, θ, u, y.
	Inputs []*symbolic.Node
	// Kernel is the evaluation plan.
	Kernel *Kernel
	// Info is the runtime description of the model.
	Info lagrt.Info
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
	u.Kernel = newKernel(u)
	u.Info = lagrt.Info{
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

// Field names one of lagrt.Out's fields.
type Field struct {
	Want lagrt.Want
	Name string // Go field name in lagrt.Out
}

// Fields lists lagrt.Out's fields in the order the kernel computes them:
// those of Level1, then those added by Level2, then Level3's.
var Fields = []Field{
	{lagrt.WantL, "L"}, {lagrt.WantLq, "Lq"}, {lagrt.WantLv, "Lv"},
	{lagrt.WantLth, "Lth"},
	{lagrt.WantC, "C"}, {lagrt.WantCq, "Cq"}, {lagrt.WantCv, "Cv"},
	{lagrt.WantCth, "Cth"},
	{lagrt.WantLqq, "Lqq"}, {lagrt.WantLqv, "Lqv"}, {lagrt.WantLvv, "Lvv"},
	{lagrt.WantCqq, "Cqq"}, {lagrt.WantCqv, "Cqv"}, {lagrt.WantCvv, "Cvv"},
	{lagrt.WantLvt, "Lvt"}, {lagrt.WantLthq, "Lthq"}, {lagrt.WantLthv, "Lthv"},
}

// Exprs returns the expressions of field f, flat and row-major; a scalar
// field has one.
func (u *Unit) Exprs(f Field) []*symbolic.Node {
	d := u.Deriv
	switch f.Want {
	case lagrt.WantL:
		return []*symbolic.Node{d.Sys.L}
	case lagrt.WantLq:
		return d.Lq
	case lagrt.WantLv:
		return d.Lv
	case lagrt.WantLqq:
		return d.Lqq
	case lagrt.WantLqv:
		return d.Lqv
	case lagrt.WantLvv:
		return d.Lvv
	case lagrt.WantLvt:
		return d.Lvt
	case lagrt.WantLth:
		return d.Lth
	case lagrt.WantLthq:
		return d.Lthq
	case lagrt.WantLthv:
		return d.Lthv
	case lagrt.WantC:
		return []*symbolic.Node{d.C}
	case lagrt.WantCq:
		return d.Cq
	case lagrt.WantCv:
		return d.Cv
	case lagrt.WantCqq:
		return d.Cqq
	case lagrt.WantCqv:
		return d.Cqv
	case lagrt.WantCvv:
		return d.Cvv
	case lagrt.WantCth:
		return d.Cth
	}
	panic(fmt.Sprintf("compiler: unknown field %v", f.Want))
}

// Kernel is the evaluation plan: the fields of lagrt.Out in level order,
// their expressions laid out one field after another, and the program that
// evaluates them.
type Kernel struct {
	Fields  []Field
	Offsets []int // Offsets[i] is where Fields[i] starts in Outputs; len(Fields)+1 entries
	Outputs []*symbolic.Node
	Prog    *symbolic.Program
	// Levels[l] is the number of Fields in lagrt.Level1, Level2 and
	// Level3 (l = 0, 1, 2): a request within level l+1 needs only
	// Fields[:Levels[l]], that is Outputs[:Offsets[Levels[l]]].
	Levels [3]int
}

// Level returns the index (0, 1 or 2) of the smallest evaluation level
// that contains w.
func Level(w lagrt.Want) int {
	switch {
	case w&^lagrt.Level1 == 0:
		return 0
	case w&^lagrt.Level2 == 0:
		return 1
	}
	return 2
}

func newKernel(u *Unit) *Kernel {
	k := &Kernel{}
	for l, w := range []lagrt.Want{lagrt.Level1, lagrt.Level2, lagrt.Level3} {
		for _, f := range Fields {
			if f.Want&w == 0 || (l > 0 && f.Want&[]lagrt.Want{lagrt.Level1, lagrt.Level2}[l-1] != 0) {
				continue
			}
			k.Fields = append(k.Fields, f)
			k.Offsets = append(k.Offsets, len(k.Outputs))
			k.Outputs = append(k.Outputs, u.Exprs(f)...)
		}
		k.Levels[l] = len(k.Fields)
	}
	k.Offsets = append(k.Offsets, len(k.Outputs))
	k.Prog = symbolic.Compile(u.Inputs, k.Outputs)
	return k
}
