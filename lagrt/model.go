package lagrt

import "fmt"

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
	GenVersion = 1
	// MinVersion is the oldest generated-code version this runtime accepts.
	MinVersion = 1
	// MaxVersion is the newest generated-code version this runtime accepts.
	MaxVersion = 1
)

// EnforceVersion is used by generated code to check, at compile time, that it
// was generated for a compatible runtime. If a conversion to EnforceVersion
// fails to compile, regenerate the file with a matching lagc.
type EnforceVersion uint

// Info describes a compiled model: its name and the names, in declaration
// order, of its flat vectors. Array elements are named "k[2]" or "W[0][1]"
// and expanded in row-major index order.
type Info struct {
	Name     string    // system name, as declared with "system"
	Coords   []string  // generalised coordinates q (and velocities v = dq/dt)
	Params   []string  // trainable parameters θ
	Defaults []float64 // default values of θ, len(Params)
	Inputs   []string  // external signals u(t)
	Targets  []string  // desired signals y(t), used only by the cost
	HasCost  bool      // whether the model declares a cost
}

// N returns the number of coordinates.
func (in *Info) N() int { return len(in.Coords) }

// P returns the number of parameters.
func (in *Info) P() int { return len(in.Params) }

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

// Want is a set of quantities requested from Model.Eval.
type Want uint32

// The quantities a model evaluates. L is the Lagrangian L(q, v, t; θ, u) and
// C the instantaneous cost c(q, v, t; θ, u, y). Subscripts are partial
// derivatives; t derivatives are with respect to explicit time only.
const (
	WantL    Want = 1 << iota // L
	WantLq                    // ∂L/∂q
	WantLv                    // ∂L/∂v, the conjugate momenta
	WantLqq                   // ∂²L/∂q∂q
	WantLqv                   // ∂²L/∂q∂v
	WantLvv                   // ∂²L/∂v∂v
	WantLvt                   // ∂²L/∂v∂t
	WantLth                   // ∂L/∂θ
	WantLthq                  // ∂²L/∂θ∂q
	WantLthv                  // ∂²L/∂θ∂v
	WantC                     // c
	WantCq                    // ∂c/∂q
	WantCv                    // ∂c/∂v
	WantCqq                   // ∂²c/∂q∂q
	WantCqv                   // ∂²c/∂q∂v
	WantCvv                   // ∂²c/∂v∂v
	WantCth                   // ∂c/∂θ
)

// Evaluation levels. A model evaluates a request at one of three levels:
// Level1 (values and first derivatives), Level2 (adds the second
// derivatives in q and v that Newton's method needs) or Level3
// (everything). Eval fills at least what was asked and may fill the rest of
// the smallest level that contains the request.
const (
	Level1 = WantL | WantLq | WantLv | WantLth | WantC | WantCq | WantCv | WantCth
	Level2 = Level1 | WantLqq | WantLqv | WantLvv | WantCqq | WantCqv | WantCvv
	Level3 = Level2 | WantLvt | WantLthq | WantLthv
)

// Out receives the quantities of one evaluation. Matrices are flat and
// row-major: Lqv[i*n+j] = ∂²L/∂q_i∂v_j and Lthq[a*n+i] = ∂²L/∂θ_a∂q_i.
// Allocate with NewOut; Eval does not allocate and panics on short buffers.
// Without a cost, the C fields are set to zero.
type Out struct {
	L             float64
	Lq, Lv        []float64 // n
	Lqq, Lqv, Lvv []float64 // n×n
	Lvt           []float64 // n
	Lth           []float64 // P
	Lthq, Lthv    []float64 // P×n

	C             float64
	Cq, Cv        []float64 // n
	Cqq, Cqv, Cvv []float64 // n×n
	Cth           []float64 // P
}

// NewOut allocates an Out with every buffer sized for info.
func NewOut(info *Info) *Out {
	n, p := info.N(), info.P()
	return &Out{
		Lq: make([]float64, n), Lv: make([]float64, n),
		Lqq: make([]float64, n*n), Lqv: make([]float64, n*n), Lvv: make([]float64, n*n),
		Lvt: make([]float64, n), Lth: make([]float64, p),
		Lthq: make([]float64, p*n), Lthv: make([]float64, p*n),
		Cq: make([]float64, n), Cv: make([]float64, n),
		Cqq: make([]float64, n*n), Cqv: make([]float64, n*n), Cvv: make([]float64, n*n),
		Cth: make([]float64, p),
	}
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
		panic(fmt.Sprintf("runtime: point shape q=%d v=%d θ=%d u=%d y=%d does not match model %s (n=%d P=%d inputs=%d targets=%d)",
			len(p.Q), len(p.V), len(p.Theta), len(p.U), len(p.Y), info.Name,
			len(info.Coords), len(info.Params), len(info.Inputs), len(info.Targets)))
	}
}
