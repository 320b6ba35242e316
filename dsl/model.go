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

	// Flat symbols. Q[i] is named CoordNames[i] and V[i] "dot("+CoordNames[i]+")";
	// Theta, U and Y are named by ParamNames, InputNames and TargetNames.
	Q, V, Theta, U, Y []*symbolic.Node
	// T is the symbol "t" (time).
	T *symbolic.Node

	// L is the Lagrangian. It may use T, Q, V, Theta and U, never Y.
	L *symbolic.Node
	// C is the instantaneous cost, or nil if the file has none. It may use
	// everything L may, and Y.
	C *symbolic.Node

	// Consts are the folded constants in declaration order.
	Consts []Const
	// Lets are the let definitions in declaration order.
	Lets []Let
	// LagrangianSrc and CostSrc are the canonical one-line source text of
	// the lagrangian and cost expressions (CostSrc is "" without a cost),
	// for doc comments.
	LagrangianSrc, CostSrc string
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
