package dsl

import (
	"github.com/lagc/lagc/parser"
	"github.com/lagc/lagc/symbolic"
)

// Model is a checked and lowered .lag file.
type Model struct {
	Name     string     // system name, the Go type name
	Pos      parser.Pos // position of the system name
	Filename string
	// AST is the parsed file (with comments), for documentation.
	AST *parser.File
	// B is the builder that made every node of the model.
	B *symbolic.Builder

	// Declarations in source order. Offset indexes the flat vectors below.
	Coords, Params, Inputs, Targets []Decl
	// Flat names, arrays expanded row-major: "x", "k[2]", "W[0][1]".
	CoordNames, ParamNames, InputNames, TargetNames []string
	// Defaults are the flat parameter defaults (len(ParamNames)).
	Defaults []float64

	// Flat element symbols. Q[i] is named CoordNames[i] and V[i]
	// "dot("+CoordNames[i]+")"; Theta, U and Y are named by ParamNames,
	// InputNames and TargetNames. An element that the model never names
	// with a constant index has no symbol (nil), unless the model is
	// Scalar.
	Q, V, Theta, U, Y []*symbolic.Node
	// T is the symbol "t" (time).
	T *symbolic.Node

	// LTerms is the Lagrangian and CTerms the instantaneous cost, as sums
	// of terms (see Term); CTerms is empty without a cost. The Lagrangian
	// may use time, coordinates, velocities, parameters and inputs, never
	// targets. Slots describes every symbol their bodies use.
	LTerms, CTerms []Term
	// RTerms is the Rayleigh dissipation function R(q, v, t; θ, u) of a
	// dissipation statement (nil without one). A model with dissipation
	// is doubled (see Physical): LTerms is then Galley's doubled
	// Lagrangian.
	RTerms []Term
	// Physical is the number of physical coordinates of a doubled model
	// (0 if the model has no dissipation). The coordinates are then the
	// averages q₊ of the two copies (flat 0..Physical-1) followed by
	// their separations q₋ (named "x~" for coordinate x, at flat
	// Physical + offset of x); Coords and CoordNames hold both.
	Physical int
	// DissipationPos is the position of the dissipation statement and
	// DissipationSrc its canonical source text ("" without one).
	DissipationPos parser.Pos
	DissipationSrc string
	// HasCost reports whether the file has a cost.
	HasCost bool
	// LagrangianPos and CostPos are the positions of the statements.
	LagrangianPos, CostPos parser.Pos
	// Slots describes the symbols of the lowered expressions.
	Slots map[*symbolic.Node]*Slot
	// display holds the source spelling of slot symbols.
	display map[*symbolic.Node]string
	// c is the checker that lowered the model, kept for Subst.
	c *checker

	// Scalar reports whether every sum was unrolled (no term has loops)
	// and the model is small; then L and C are the Lagrangian and the
	// cost (nil without one) as single expressions and every element has
	// a symbol, for derivations that need the whole expression.
	Scalar bool
	L, C   *symbolic.Node

	// Consts are the folded constants in declaration order.
	Consts []Const
	// Lets are the let definitions in declaration order.
	Lets []Let
	// LagrangianSrc and CostSrc are the canonical one-line source text of
	// the lagrangian and cost expressions (CostSrc is "" without a cost),
	// for doc comments.
	LagrangianSrc, CostSrc string
}

// MaxScalar is the largest number of coordinates, parameters, inputs and
// targets of a Scalar model.
const MaxScalar = 1024

// Loops reports whether any term has loops.
func (m *Model) Loops() bool {
	for _, ts := range [][]Term{m.LTerms, m.CTerms} {
		for _, t := range ts {
			if len(t.Loops) > 0 {
				return true
			}
		}
	}
	return false
}

// Decl is a declared parameter, coordinate, input or target.
type Decl struct {
	Name string
	// Dims are the array dimensions; nil for a scalar.
	Dims []int
	// Offset is the index of the first element in the flat vector.
	Offset int
	Pos    parser.Pos
	// Default holds the flattened default values of a parameter (nil for
	// other kinds).
	Default []float64
}

// Len returns the number of scalar elements of d.
func (d Decl) Len() int {
	n := 1
	for _, k := range d.Dims {
		n *= k
	}
	return n
}

// Const is a folded constant.
type Const struct {
	Name  string
	Pos   parser.Pos
	Value float64
}

// Let is a named subexpression.
type Let struct {
	Name  string
	Pos   parser.Pos
	Value *symbolic.Node
}
