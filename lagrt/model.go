package lagrt

import (
	"fmt"
	"strconv"
)

// Version handshake between generated code and this runtime, in the manner
// of protobuf-go's protoimpl. Every generated file contains
//
//	const (
//		_ = lagrt.EnforceVersion(GenVersion - lagrt.MinVersion)
//		_ = lagrt.EnforceVersion(lagrt.MaxVersion - GenVersion)
//	)
//
// with its own GenVersion literal. A negative constant does not convert to
// an unsigned type, so generated code that is too old or too new for the
// linked runtime fails to compile; the fix is to regenerate the file with a
// lagc matching the runtime ("go generate ./...").
const (
	// GenVersion is the version of the generated-code contract that the
	// lagc built from this module emits.
	GenVersion = 2
	// MinVersion is the oldest generated-code version this runtime accepts.
	MinVersion = 2
	// MaxVersion is the newest generated-code version this runtime accepts.
	MaxVersion = 2
)

// EnforceVersion is used by generated code to check, at compile time, that it
// was generated for a compatible runtime. If a conversion to EnforceVersion
// fails to compile, regenerate the file with a matching lagc.
type EnforceVersion uint

// Info describes a compiled model: its name, the names, in declaration
// order, of its flat vectors, and the sparsity patterns of its matrix
// quantities. Array elements are named "k[2]" or "W[0][1]" and expanded in
// row-major index order.
type Info struct {
	Name     string    // system name, as declared with "system"
	Coords   []string  // generalised coordinates q (and velocities v = dq/dt)
	Params   []string  // trainable parameters θ
	Defaults []float64 // default values of θ, len(Params)
	Inputs   []string  // external signals u(t)
	Targets  []string  // desired signals y(t), used only by the cost
	HasCost  bool      // whether the model declares a cost
	// Physical, if positive, marks a doubled model (a model with
	// dissipation, Galley's doubled action): Coords[:Physical] are the
	// physical coordinates (the average of the two copies) and
	// Coords[Physical:] their separations, named with a trailing "~".
	// Problems may then give Q0, QT and Guess rows with Physical values;
	// the separations are padded with zeros (fixed ends: held at zero).
	Physical int

	// AperiodicTime, if not empty, is a subexpression of the Lagrangian
	// through which it depends on explicit time other than by sines and
	// cosines (such as exp(gamma*t)), found by the compiler; periodic
	// problems name it when their numerical periodicity check fails.
	AperiodicTime string

	// Patterns holds the sparsity pattern of each matrix quantity (see
	// Quantity.IsMatrix), indexed by Quantity; the entries of the other
	// quantities are nil. A nil pattern of a matrix quantity means dense,
	// row-major (convenient for small hand-written models); compiled
	// models always give explicit patterns. Use Info.Pattern to read them.
	Patterns [NumQuantities]*Pattern
}

// N returns the number of coordinates.
func (in *Info) N() int { return len(in.Coords) }

// NPhys returns the number of physical coordinates: Physical for a doubled
// model, else N.
func (in *Info) NPhys() int {
	if in.Physical > 0 {
		return in.Physical
	}
	return in.N()
}

// PhysCoords returns the names of the physical coordinates.
func (in *Info) PhysCoords() []string { return in.Coords[:in.NPhys()] }

// P returns the number of parameters.
func (in *Info) P() int { return len(in.Params) }

// Dim returns the number of elements of a vector variable (1 for VarT).
func (in *Info) Dim(v Var) int {
	switch v {
	case VarQ, VarV:
		return in.N()
	case VarTheta:
		return in.P()
	}
	return 1
}

// Pattern returns the sparsity pattern of the matrix quantity q: the
// model's own, or the dense row-major pattern if the model gives none. It
// panics if q is not a matrix quantity.
func (in *Info) Pattern(q Quantity) *Pattern {
	d := &Quantities[q]
	if !d.IsMatrix() {
		panic(fmt.Sprintf("lagrt: Info.Pattern(%s): not a matrix quantity", d.Name))
	}
	if p := in.Patterns[q]; p != nil {
		return p
	}
	return DensePattern(in.Dim(d.Wrt[0]), in.Dim(d.Wrt[1]))
}

// Index returns the position of name in names, or -1.
func Index(names []string, name string) int {
	for i, s := range names {
		if s == name {
			return i
		}
	}
	return -1
}

// Point is where a model is evaluated: time, coordinates, velocities,
// parameters, inputs and targets. Eval never modifies a Point.
type Point struct {
	T     float64
	Q, V  []float64 // len Info.N()
	Theta []float64 // len Info.P()
	U     []float64 // len(Info.Inputs)
	Y     []float64 // len(Info.Targets)
}

// Want is a set of quantities requested from Model.Eval: bit q is
// Quantity q.
type Want uint32

// Quantity identifies one of the quantities a model evaluates; Quantities
// describes each.
type Quantity uint8

// The quantities a model evaluates. L is the Lagrangian L(q, v, t; θ, u)
// and C the instantaneous cost c(q, v, t; θ, u, y). Subscripts are partial
// derivatives; t derivatives are with respect to explicit time only.
const (
	QL    Quantity = iota // L
	QLq                   // ∂L/∂q
	QLv                   // ∂L/∂v, the conjugate momenta
	QLqq                  // ∂²L/∂q∂q
	QLqv                  // ∂²L/∂q∂v
	QLvv                  // ∂²L/∂v∂v
	QLvt                  // ∂²L/∂v∂t
	QLth                  // ∂L/∂θ
	QLthq                 // ∂²L/∂θ∂q
	QLthv                 // ∂²L/∂θ∂v
	QC                    // c
	QCq                   // ∂c/∂q
	QCv                   // ∂c/∂v
	QCqq                  // ∂²c/∂q∂q
	QCqv                  // ∂²c/∂q∂v
	QCvv                  // ∂²c/∂v∂v
	QCth                  // ∂c/∂θ
	// NumQuantities is the number of quantities.
	NumQuantities
)

// The Want bit of each quantity.
const (
	WantL    Want = 1 << QL
	WantLq   Want = 1 << QLq
	WantLv   Want = 1 << QLv
	WantLqq  Want = 1 << QLqq
	WantLqv  Want = 1 << QLqv
	WantLvv  Want = 1 << QLvv
	WantLvt  Want = 1 << QLvt
	WantLth  Want = 1 << QLth
	WantLthq Want = 1 << QLthq
	WantLthv Want = 1 << QLthv
	WantC    Want = 1 << QC
	WantCq   Want = 1 << QCq
	WantCv   Want = 1 << QCv
	WantCqq  Want = 1 << QCqq
	WantCqv  Want = 1 << QCqv
	WantCvv  Want = 1 << QCvv
	WantCth  Want = 1 << QCth
)

// Want returns q's bit.
func (q Quantity) Want() Want { return 1 << q }

// String returns q's name, e.g. "Lthq".
func (q Quantity) String() string {
	if q < NumQuantities {
		return Quantities[q].Name
	}
	return fmt.Sprintf("Quantity(%d)", uint8(q))
}

// Var is a variable that quantities are derivatives with respect to.
type Var uint8

// The variables.
const (
	VarNone  Var = iota
	VarQ         // coordinates q
	VarV         // velocities v
	VarT         // explicit time t
	VarTheta     // parameters θ
)

// QuantityDesc describes a quantity: what it is the derivative of, with
// respect to what, and at which evaluation level it is computed. The
// compiler derives the quantity's expressions from Of and Wrt, the code
// generator and the interpreter name and store it by Name and Level, and
// Out and NewOut lay it out by its shape; this table is the one place that
// lists them.
type QuantityDesc struct {
	Name  string // Go field name in Out, e.g. "Lthq"
	Cost  bool   // derivative of the cost c (else of the Lagrangian L)
	Wrt   [2]Var // first and second differentiation variable (VarNone if fewer)
	Level int    // evaluation level, 1 to 3
	Doc   string // e.g. "∂²L/∂θ∂q"
}

// Order returns the number of differentiations (0, 1 or 2).
func (d *QuantityDesc) Order() int {
	switch {
	case d.Wrt[0] == VarNone:
		return 0
	case d.Wrt[1] == VarNone:
		return 1
	}
	return 2
}

// IsMatrix reports whether the quantity is a matrix (a second derivative
// in two vector variables), stored by value in the order of its Pattern.
// The others are scalars (L, C) and dense vectors: the gradients, and
// ∂²L/∂v∂t, a vector because t is a scalar.
func (d *QuantityDesc) IsMatrix() bool { return d.Order() == 2 && d.Wrt[1] != VarT }

// Symmetric reports whether the matrix quantity is a Hessian in one
// variable (its pattern then lists both (i, j) and (j, i)).
func (d *QuantityDesc) Symmetric() bool { return d.IsMatrix() && d.Wrt[0] == d.Wrt[1] }

// Quantities describes every quantity, indexed by Quantity.
var Quantities = [NumQuantities]QuantityDesc{
	QL:    {"L", false, [2]Var{}, 1, "L"},
	QLq:   {"Lq", false, [2]Var{VarQ}, 1, "∂L/∂q"},
	QLv:   {"Lv", false, [2]Var{VarV}, 1, "∂L/∂v"},
	QLqq:  {"Lqq", false, [2]Var{VarQ, VarQ}, 2, "∂²L/∂q∂q"},
	QLqv:  {"Lqv", false, [2]Var{VarQ, VarV}, 2, "∂²L/∂q∂v"},
	QLvv:  {"Lvv", false, [2]Var{VarV, VarV}, 2, "∂²L/∂v∂v"},
	QLvt:  {"Lvt", false, [2]Var{VarV, VarT}, 3, "∂²L/∂v∂t"},
	QLth:  {"Lth", false, [2]Var{VarTheta}, 1, "∂L/∂θ"},
	QLthq: {"Lthq", false, [2]Var{VarTheta, VarQ}, 3, "∂²L/∂θ∂q"},
	QLthv: {"Lthv", false, [2]Var{VarTheta, VarV}, 3, "∂²L/∂θ∂v"},
	QC:    {"C", true, [2]Var{}, 1, "c"},
	QCq:   {"Cq", true, [2]Var{VarQ}, 1, "∂c/∂q"},
	QCv:   {"Cv", true, [2]Var{VarV}, 1, "∂c/∂v"},
	QCqq:  {"Cqq", true, [2]Var{VarQ, VarQ}, 2, "∂²c/∂q∂q"},
	QCqv:  {"Cqv", true, [2]Var{VarQ, VarV}, 2, "∂²c/∂q∂v"},
	QCvv:  {"Cvv", true, [2]Var{VarV, VarV}, 2, "∂²c/∂v∂v"},
	QCth:  {"Cth", true, [2]Var{VarTheta}, 1, "∂c/∂θ"},
}

// Evaluation levels. A model evaluates a request at one of three levels:
// Level1 (values and first derivatives), Level2 (adds the second
// derivatives in q and v that Newton's method needs) or Level3
// (everything). Eval fills at least what was asked and may fill the rest of
// the smallest level that contains the request. The solver's Newton and
// chord iterations ask for their level without WantLth and WantCth, and
// for those only at the solution; generated code then skips the parameter
// derivatives, most of the work for a network with many couplings.
const (
	Level1 = WantL | WantLq | WantLv | WantLth | WantC | WantCq | WantCv | WantCth
	Level2 = Level1 | WantLqq | WantLqv | WantLvv | WantCqq | WantCqv | WantCvv
	Level3 = Level2 | WantLvt | WantLthq | WantLthv
)

// LevelOf returns the smallest evaluation level (1, 2 or 3) containing w.
func LevelOf(w Want) int {
	switch {
	case w&^Level1 == 0:
		return 1
	case w&^Level2 == 0:
		return 2
	}
	return 3
}

// Pattern is the sparsity pattern of a matrix quantity in triplet form:
// value k of the quantity belongs at row Rows[k], column Cols[k]. Entries
// may repeat a position; their values then add up (as in CSparse's
// triplet form). Rows index the quantity's first variable (θ for Lthq) and
// columns its second. Patterns are fixed when the model is compiled;
// positions outside the pattern are structurally zero.
type Pattern struct {
	Rows, Cols []int32
}

// Len returns the number of entries.
func (p *Pattern) Len() int { return len(p.Rows) }

// DensePattern returns the row-major pattern of a dense rows×cols matrix.
func DensePattern(rows, cols int) *Pattern {
	p := &Pattern{Rows: make([]int32, rows*cols), Cols: make([]int32, rows*cols)}
	for i := range rows {
		for j := range cols {
			p.Rows[i*cols+j], p.Cols[i*cols+j] = int32(i), int32(j)
		}
	}
	return p
}

// Dense adds the values vals (in pattern order) times scale into the
// row-major matrix dst with cols columns.
func (p *Pattern) Dense(dst []float64, cols int, vals []float64, scale float64) {
	for k, v := range vals[:len(p.Rows)] {
		dst[int(p.Rows[k])*cols+int(p.Cols[k])] += scale * v
	}
}

// Out receives the quantities of one evaluation: L and C, the dense
// vectors (length n or P), and the matrices, stored by value in the order
// of their Info.Pattern. Allocate with NewOut; Eval does not allocate and
// panics on short buffers. Without a cost, the C fields are set to zero.
type Out struct {
	L             float64
	Lq, Lv        []float64 // n
	Lqq, Lqv, Lvv []float64 // pattern values
	Lvt           []float64 // n
	Lth           []float64 // P
	Lthq, Lthv    []float64 // pattern values

	C             float64
	Cq, Cv        []float64 // n
	Cqq, Cqv, Cvv []float64 // pattern values
	Cth           []float64 // P
}

// Vec returns the storage of the vector or matrix quantity q in o (nil
// for L and C).
func (o *Out) Vec(q Quantity) []float64 {
	if p := o.field(q); p != nil {
		return *p
	}
	return nil
}

func (o *Out) field(q Quantity) *[]float64 {
	switch q {
	case QLq:
		return &o.Lq
	case QLv:
		return &o.Lv
	case QLqq:
		return &o.Lqq
	case QLqv:
		return &o.Lqv
	case QLvv:
		return &o.Lvv
	case QLvt:
		return &o.Lvt
	case QLth:
		return &o.Lth
	case QLthq:
		return &o.Lthq
	case QLthv:
		return &o.Lthv
	case QCq:
		return &o.Cq
	case QCv:
		return &o.Cv
	case QCqq:
		return &o.Cqq
	case QCqv:
		return &o.Cqv
	case QCvv:
		return &o.Cvv
	case QCth:
		return &o.Cth
	}
	return nil
}

// Scalar returns L or C.
func (o *Out) Scalar(q Quantity) float64 {
	if q == QC {
		return o.C
	}
	return o.L
}

// NewOut allocates an Out with every buffer sized for info.
func NewOut(info *Info) *Out {
	o := new(Out)
	for q := range NumQuantities {
		d := &Quantities[q]
		p := o.field(q)
		switch {
		case p == nil:
		case d.IsMatrix():
			*p = make([]float64, info.Pattern(q).Len())
		default:
			*p = make([]float64, info.Dim(d.Wrt[0]))
		}
	}
	return o
}

// Model is a compiled Lagrangian system: generated Go code or the
// interpreter. Implementations are safe for concurrent use, and Eval does
// not allocate.
type Model interface {
	// Info describes the model. The result must not be modified.
	Info() *Info
	// Eval evaluates the quantities in w at p into out.
	Eval(w Want, p *Point, out *Out)
}

// CheckPoint panics with a descriptive message if p's vectors do not match
// info. Generated code and the interpreter call it at the top of Eval.
func CheckPoint(info *Info, p *Point) {
	if len(p.Q) != len(info.Coords) || len(p.V) != len(info.Coords) ||
		len(p.Theta) != len(info.Params) || len(p.U) < len(info.Inputs) || len(p.Y) < len(info.Targets) {
		panic(fmt.Sprintf("lagrt: point shape q=%d v=%d θ=%d u=%d y=%d does not match model %s (n=%d P=%d inputs=%d targets=%d)",
			len(p.Q), len(p.V), len(p.Theta), len(p.U), len(p.Y), info.Name,
			len(info.Coords), len(info.Params), len(info.Inputs), len(info.Targets)))
	}
}

// AppendNames appends the flat element names of an array (name itself for
// a scalar) in row-major order: "W[0][0]", "W[0][1]", …
func AppendNames(dst []string, name string, dims ...int) []string {
	if len(dims) == 0 {
		return append(dst, name)
	}
	for i := range dims[0] {
		dst = AppendNames(dst, name+"["+strconv.Itoa(i)+"]", dims[1:]...)
	}
	return dst
}

// AppendRepeat appends n copies of v.
func AppendRepeat(dst []float64, v float64, n int) []float64 {
	for range n {
		dst = append(dst, v)
	}
	return dst
}

// BadPoint panics with a description of how p's shape differs from
// info's. Generated code calls it when its inline shape check fails.
func BadPoint(info *Info, p *Point) {
	CheckPoint(info, p)
	panic("lagrt: BadPoint called with a valid point")
}
