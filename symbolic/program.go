package symbolic

import (
	"fmt"
	"math"
	"slices"
)

// PowKind says how an integer-like or half-integer numeric power is computed
// by [Program.Run]; generated code must make the same choice (see [PowPlan]).
type PowKind uint8

// Power strategies, for x^e with a numeric exponent e.
const (
	PowGeneral     PowKind = iota // math.Pow(x, e)
	PowSquare                     // e == 2:    x*x
	PowCube                       // e == 3:    (x*x)*x
	PowRecip                      // e == -1:   1/x
	PowRecipSquare                // e == -2:   1/(x*x)
	PowSqrt                       // e == 0.5:  math.Sqrt(x)
	PowRecipSqrt                  // e == -0.5: 1/math.Sqrt(x)
	PowInt                        // integer 4 ≤ e ≤ MaxPowInt: products, see [PowIntSteps]
	PowRecipInt                   // integer −MaxPowInt ≤ e ≤ −3: 1/x^|e|, x^|e| by products
)

// MaxPowInt is the largest integer exponent |e| that [PowPlan] computes
// by multiplication (PowInt, PowRecipInt) instead of math.Pow.
const MaxPowInt = 16

// PowIntSteps describes how x^n, 2 ≤ n ≤ MaxPowInt, is multiplied out,
// recursively: x^2 = x*x; x^n = h*h with h = x^(n/2) for even n; x^n =
// x^(n−1)*x for odd n. It returns the steps in evaluation order, each
// true for a squaring of the value so far (d = d*d) and false for a
// multiplication by x (d = d*x), after the first product d = x*x. So x^4
// is (x*x)*(x*x), x^5 is ((x*x)*(x*x))*x and x^6 is ((x*x)*x)*((x*x)*x).
func PowIntSteps(n int) []bool {
	switch {
	case n <= 2:
		return nil
	case n%2 == 0:
		return append(PowIntSteps(n/2), true)
	}
	return append(PowIntSteps(n-1), false)
}

// PowPlan returns how x^e is computed for a numeric exponent e. A power
// whose exponent is not a number (KNum) is always math.Pow(x, e).
func PowPlan(e float64) PowKind {
	switch e {
	case 2:
		return PowSquare
	case 3:
		return PowCube
	case -1:
		return PowRecip
	case -2:
		return PowRecipSquare
	case 0.5:
		return PowSqrt
	case -0.5:
		return PowRecipSqrt
	}
	if e == math.Trunc(e) {
		switch {
		case e >= 4 && e <= MaxPowInt:
			return PowInt
		case e <= -3 && e >= -MaxPowInt:
			return PowRecipInt
		}
	}
	return PowGeneral
}

// powMultiplies reports whether a power of kind k multiplies its base by
// itself.
func powMultiplies(k PowKind) bool {
	switch k {
	case PowSquare, PowCube, PowRecipSquare, PowInt, PowRecipInt:
		return true
	}
	return false
}

// Program is a straight-line evaluation of several outputs sharing common
// subexpressions, for the interpreter and as the plan code generation prints.
//
// # Evaluation semantics
//
// [Program.Run] computes every distinct node once, from its children, as
// follows; a code generator printing the same Program must use exactly these
// operations, in this order, to get the same float64 results (generated Go
// that follows them agrees to rounding; in practice bit-for-bit on amd64,
// where Go does not fuse multiply-adds):
//
//   - KNum: the constant; KSym: the input value.
//   - KAdd c + t0 + t1 + … + tk: left to right, ((c + t0) + t1) + … ; the
//     constant is omitted when c == 0, giving (t0 + t1) + …. Printing a term
//     with a negative coefficient as a subtraction (a - 2*x instead of
//     a + (-2)*x) gives identical results, since negation is exact.
//   - KMul c · f0 · f1 · … · fk: left to right, ((c*f0) * f1) * …; when
//     c == 1 it is (f0 * f1) * …, when c == -1 it is ((-f0) * f1) * ….
//     So Go source `c*f0*f1*f2` (or `-f0*f1` for c = -1) matches.
//     A factor y^-1 is a power like any other: x·y^-1 is x * (1/y), not x/y.
//   - KPow x^e with numeric e: by [PowPlan]: e=2 → x*x; e=3 → (x*x)*x;
//     e=-1 → 1/x; e=-2 → 1/(x*x); e=0.5 → math.Sqrt(x);
//     e=-0.5 → 1/math.Sqrt(x); an integer 4 ≤ e ≤ MaxPowInt → the products
//     of [PowIntSteps]; an integer −MaxPowInt ≤ e ≤ −3 → 1/x^|e| with x^|e|
//     by those products; anything else → math.Pow(x, e). With a symbolic
//     exponent: math.Pow(x, e).
//   - KCall: math.Sin, Cos, Tan, Asin, Acos, Atan, Atan2(y, x), Sinh, Cosh,
//     Tanh, Exp, Log, Abs; Sign is 1 if x > 0, -1 if x < 0, else 0 (NaN
//     gives 0). (Sqrt never occurs as a call: sqrt(x) is x^0.5.)
//
// # Temporaries
//
// A non-leaf node referenced more than once, counting every parent edge in
// the DAG reachable from the outputs plus one per appearance in Outputs,
// is a temporary. Temps lists them in a deterministic topological order
// (depth-first post-order over Outputs in order, children in Args order):
// every temporary's subtree consists of inputs, numbers, earlier
// temporaries and single-use subtrees, which a code generator prints inline.
// The base of a power that [PowPlan] multiplies out (x^2, x^3, integer
// exponents) counts as referenced twice, so that a printed product repeats
// a name, not an expression.
type Program struct {
	// Inputs are the input symbols in slot order.
	Inputs []*Node
	// Outputs are the planned expressions, in the caller's order.
	Outputs []*Node
	// Temps are the shared subexpressions, in topological order.
	Temps []*Node

	tempIdx []int32 // by node ID: index in Temps + 1, or 0
	uses    []int32 // by node ID
	nin     int
	consts  []float64 // loaded into regs[nin:nin+len(consts)]
	nregs   int
	tape    []instr
	outRegs []int32
	// outTape[j] and outTemps[j] are the tape length and the number of
	// Temps after which Outputs[:j+1] are all computed.
	outTape  []int32
	outTemps []int32
}

// IsTemp reports whether n is a temporary and its index in Temps.
func (p *Program) IsTemp(n *Node) (index int, ok bool) {
	if int(n.id) >= len(p.tempIdx) || p.tempIdx[n.id] == 0 {
		return 0, false
	}
	index = int(p.tempIdx[n.id]) - 1
	return index, p.Temps[index] == n
}

// Uses returns how many times n is referenced in the program (parent edges
// plus appearances in Outputs); 0 if n is not reachable from the outputs.
func (p *Program) Uses(n *Node) int {
	if int(n.id) >= len(p.uses) {
		return 0
	}
	return int(p.uses[n.id])
}

// NumRegs returns the minimal length of the regs slice passed to Run.
func (p *Program) NumRegs() int { return p.nregs }

// NumInstrs returns the number of tape instructions (a measure of the cost of Run).
func (p *Program) NumInstrs() int { return len(p.tape) }

type opcode uint8

const (
	opAdd   opcode = iota // r[d] = r[a] + r[b]
	opMul                 // r[d] = r[a] * r[b]
	opAddK                // r[d] = k + r[a]
	opMulK                // r[d] = k * r[a]
	opNeg                 // r[d] = -r[a]
	opRecip               // r[d] = 1 / r[a]
	opSqrt                // r[d] = sqrt(r[a])
	opPow                 // r[d] = pow(r[a], r[b])
	opPowK                // r[d] = pow(r[a], k)
	opAtan2               // r[d] = atan2(r[a], r[b])
	opCall                // r[d] = fn(r[a])
)

type instr struct {
	op   opcode
	fn   Func
	d, a int32
	b    int32
	k    float64
}

// Compile plans the evaluation of outputs given input symbols.
//
// It panics if an input is not a symbol, is repeated, or if an output
// references a symbol that is not among the inputs. All nodes must come from
// one Builder.
func Compile(inputs []*Node, outputs []*Node) *Program {
	p := &Program{
		Inputs:  append([]*Node(nil), inputs...),
		Outputs: append([]*Node(nil), outputs...),
		nin:     len(inputs),
	}
	// Per-node tables indexed by ID: children have smaller IDs than parents,
	// so the largest ID among inputs and outputs bounds every reachable node.
	maxID := int32(-1)
	for _, n := range inputs {
		maxID = max(maxID, n.id)
	}
	for _, n := range outputs {
		maxID = max(maxID, n.id)
	}
	size := int(maxID) + 1
	p.uses = make([]int32, size)
	p.tempIdx = make([]int32, size)
	reg := make([]int32, size) // node -> register holding its value, -1 if none
	for i := range reg {
		reg[i] = -1
	}
	for i, s := range inputs {
		if s.kind != KSym {
			panic(fmt.Sprintf("symbolic: Compile: input %d (%v) is not a symbol", i, s))
		}
		if reg[s.id] >= 0 {
			panic(fmt.Sprintf("symbolic: Compile: input symbol %q listed twice", s.name))
		}
		reg[s.id] = int32(i)
	}

	// Post-order walk: count uses and collect non-leaf nodes topologically.
	twice := make([]bool, size) // bases of multiplied-out powers
	var order []*Node
	var walk func(n *Node, out int)
	walk = func(n *Node, out int) {
		p.uses[n.id]++
		if p.uses[n.id] > 1 {
			return
		}
		switch n.kind {
		case KNum:
			return
		case KSym:
			if reg[n.id] < 0 {
				panic(fmt.Sprintf("symbolic: Compile: output %d references symbol %q, which is not among the inputs", out, n.name))
			}
			return
		}
		for _, a := range n.args {
			walk(a, out)
		}
		if x := n.args; n.kind == KPow && x[1].kind == KNum && x[0].kind != KNum && x[0].kind != KSym && powMultiplies(PowPlan(x[1].val)) {
			twice[x[0].id] = true
		}
		order = append(order, n)
	}
	outOrder := make([]int, len(outputs)) // len(order) after output j
	for j, o := range outputs {
		walk(o, j)
		outOrder[j] = len(order)
	}
	tempsAt := make([]int32, len(order)+1) // len(Temps) after order[:i]
	for i, n := range order {
		if p.uses[n.id] > 1 || twice[n.id] {
			p.Temps = append(p.Temps, n)
			p.tempIdx[n.id] = int32(len(p.Temps)) // index+1; 0 means not a temp
		}
		tempsAt[i+1] = int32(len(p.Temps))
	}
	p.outTemps = make([]int32, len(outputs))
	for j, k := range outOrder {
		p.outTemps[j] = tempsAt[k]
	}

	// Constants: numbers used as operands, in first-use order.
	nreg := int32(len(inputs))
	constReg := func(n *Node) {
		if reg[n.id] >= 0 {
			return
		}
		reg[n.id] = nreg
		nreg++
		p.consts = append(p.consts, n.val)
	}
	for _, n := range order {
		for i, a := range n.args {
			// Numeric exponents are immediates, not registers.
			if a.kind == KNum && !(n.kind == KPow && i == 1) {
				constReg(a)
			}
		}
	}
	for _, o := range outputs {
		if o.kind == KNum {
			constReg(o)
		}
	}

	// Emit with register reuse: a working register is freed after its
	// node's last use. Outputs are never freed.
	remaining := slices.Clone(p.uses)
	for _, o := range outputs {
		remaining[o.id] = -1 << 30 // never reaches zero
	}
	var free []int32
	alloc := func() int32 {
		if k := len(free); k > 0 {
			r := free[k-1]
			free = free[:k-1]
			return r
		}
		r := nreg
		nreg++
		return r
	}
	emit := func(op opcode, d, a, b int32, k float64) {
		p.tape = append(p.tape, instr{op: op, d: d, a: a, b: b, k: k})
	}
	orderTape := make([]int32, len(order)) // tape length after order[i]
	for oi, n := range order {
		d := alloc()
		arg := func(i int) int32 { return reg[n.args[i].id] }
		switch n.kind {
		case KAdd:
			start := 1
			if n.val != 0 {
				emit(opAddK, d, arg(0), 0, n.val)
			} else {
				emit(opAdd, d, arg(0), arg(1), 0)
				start = 2
			}
			for i := start; i < len(n.args); i++ {
				emit(opAdd, d, d, arg(i), 0)
			}
		case KMul:
			start := 1
			switch n.val {
			case 1:
				emit(opMul, d, arg(0), arg(1), 0)
				start = 2
			case -1:
				emit(opNeg, d, arg(0), 0, 0)
			default:
				emit(opMulK, d, arg(0), 0, n.val)
			}
			for i := start; i < len(n.args); i++ {
				emit(opMul, d, d, arg(i), 0)
			}
		case KPow:
			x := arg(0)
			e := n.args[1]
			if e.kind != KNum {
				emit(opPow, d, x, arg(1), 0)
				break
			}
			switch PowPlan(e.val) {
			case PowSquare:
				emit(opMul, d, x, x, 0)
			case PowCube:
				emit(opMul, d, x, x, 0)
				emit(opMul, d, d, x, 0)
			case PowRecip:
				emit(opRecip, d, x, 0, 0)
			case PowRecipSquare:
				emit(opMul, d, x, x, 0)
				emit(opRecip, d, d, 0, 0)
			case PowSqrt:
				emit(opSqrt, d, x, 0, 0)
			case PowRecipSqrt:
				emit(opSqrt, d, x, 0, 0)
				emit(opRecip, d, d, 0, 0)
			case PowInt, PowRecipInt:
				emit(opMul, d, x, x, 0)
				for _, sq := range PowIntSteps(int(math.Abs(e.val))) {
					if sq {
						emit(opMul, d, d, d, 0)
					} else {
						emit(opMul, d, d, x, 0)
					}
				}
				if e.val < 0 {
					emit(opRecip, d, d, 0, 0)
				}
			default:
				emit(opPowK, d, x, 0, e.val)
			}
		case KCall:
			if n.fn == Atan2 {
				emit(opAtan2, d, arg(0), arg(1), 0)
			} else {
				p.tape = append(p.tape, instr{op: opCall, fn: n.fn, d: d, a: arg(0)})
			}
		}
		reg[n.id] = d
		orderTape[oi] = int32(len(p.tape))
		for _, a := range n.args {
			if a.kind == KNum || a.kind == KSym {
				continue
			}
			remaining[a.id]--
			if remaining[a.id] == 0 {
				free = append(free, reg[a.id])
			}
		}
	}
	p.outRegs = make([]int32, len(outputs))
	p.outTape = make([]int32, len(outputs))
	for j, o := range outputs {
		p.outRegs[j] = reg[o.id]
		if k := outOrder[j]; k > 0 {
			p.outTape[j] = orderTape[k-1]
		}
	}
	p.nregs = int(nreg)
	return p
}

// Run evaluates the program: in[i] is the value of Inputs[i], out[j]
// receives the value of Outputs[j], and regs (len ≥ NumRegs()) is scratch
// space. It allocates nothing and panics if a slice is too short. See
// [Program] for the exact arithmetic.
func (p *Program) Run(regs, in, out []float64) {
	p.RunPrefix(regs, in, out, len(p.outRegs))
}

// RunPrefix is like Run but computes only Outputs[:n] into out[:n],
// executing only the part of the tape they need. Because the tape follows
// the outputs in order, a caller that lays out cheap outputs first gets
// them cheaply; Outputs[:n] need exactly Temps[:p.TempsBefore(n)].
func (p *Program) RunPrefix(regs, in, out []float64, n int) {
	if n < 0 || n > len(p.outRegs) || len(in) < p.nin || len(out) < n || len(regs) < p.nregs {
		panic(fmt.Sprintf("symbolic: Program.Run: need n ≤ %d, len(in) ≥ %d, len(out) ≥ n, len(regs) ≥ %d; got n = %d, %d, %d, %d",
			len(p.outRegs), p.nin, p.nregs, n, len(in), len(out), len(regs)))
	}
	end := 0
	if n > 0 {
		end = int(p.outTape[n-1])
	}
	r := regs[:p.nregs]
	copy(r, in[:p.nin])
	copy(r[p.nin:], p.consts)
	tape := p.tape[:end]
	for i := range tape {
		ins := &tape[i]
		switch ins.op {
		case opAdd:
			r[ins.d] = r[ins.a] + r[ins.b]
		case opMul:
			r[ins.d] = r[ins.a] * r[ins.b]
		case opAddK:
			r[ins.d] = ins.k + r[ins.a]
		case opMulK:
			r[ins.d] = ins.k * r[ins.a]
		case opNeg:
			r[ins.d] = -r[ins.a]
		case opRecip:
			r[ins.d] = 1 / r[ins.a]
		case opSqrt:
			r[ins.d] = math.Sqrt(r[ins.a])
		case opPow:
			r[ins.d] = math.Pow(r[ins.a], r[ins.b])
		case opPowK:
			r[ins.d] = math.Pow(r[ins.a], ins.k)
		case opAtan2:
			r[ins.d] = math.Atan2(r[ins.a], r[ins.b])
		case opCall:
			r[ins.d] = applyFunc(ins.fn, r[ins.a])
		}
	}
	for j, k := range p.outRegs[:n] {
		out[j] = r[k]
	}
}

// TempsBefore returns how many of Temps (a prefix) Outputs[:n] need.
func (p *Program) TempsBefore(n int) int {
	if n == 0 {
		return 0
	}
	return int(p.outTemps[n-1])
}
