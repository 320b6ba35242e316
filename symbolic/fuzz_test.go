package symbolic

import (
	"math"
	"testing"
)

// fuzzNums are the constants the FuzzDiff stack machine can push.
var fuzzNums = []float64{0, 1, -1, 2, -2, 0.5, 3, 1.5, -0.5, 9.81, 4, 0.25, -3, 1e-3, 7, 0.1}

// fuzzFuncs are the one-argument functions of the stack machine (Sqrt and
// Atan2 have their own opcodes).
var fuzzFuncs = []Func{Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Exp, Log, Abs, Sign}

// fuzzExpr builds an expression over syms from data with a small stack
// machine: each byte is an opcode (mod 32), some take the next byte as an
// operand. Operands missing from the stack default to syms[0]. The result is
// the sum of what is left on the stack, or nil if it is empty. At most
// maxOps opcodes are read, so expressions stay small.
func fuzzExpr(b *Builder, data []byte, syms []*Node) *Node {
	const maxOps, maxStack = 64, 16
	var st []*Node
	pop := func() *Node {
		if len(st) == 0 {
			return syms[0]
		}
		n := st[len(st)-1]
		st = st[:len(st)-1]
		return n
	}
	operand := func(i *int) byte {
		*i++
		if *i < len(data) {
			return data[*i]
		}
		return 0
	}
	for i, ops := 0, 0; i < len(data) && ops < maxOps; i, ops = i+1, ops+1 {
		var r *Node
		switch op := data[i] % 32; {
		case op < 3:
			r = syms[op]
		case op == 3:
			r = b.Num(fuzzNums[int(operand(&i))%len(fuzzNums)])
		case op == 4:
			y, x := pop(), pop()
			r = b.Add(x, y)
		case op == 5:
			y, x := pop(), pop()
			r = b.Sub(x, y)
		case op == 6:
			y, x := pop(), pop()
			r = b.Mul(x, y)
		case op == 7:
			y, x := pop(), pop()
			r = b.Div(x, y)
		case op == 8:
			y, x := pop(), pop()
			r = b.Pow(x, y)
		case op == 9:
			r = b.Pow(pop(), b.Num(float64(int(operand(&i))%8-3)))
		case op == 10:
			r = b.Neg(pop())
		case op == 11:
			r = b.Square(pop())
		case op == 12:
			r = b.Sqrt(pop())
		case op < 13+byte(len(fuzzFuncs)):
			r = b.Call(fuzzFuncs[op-13], pop())
		case op == 26:
			x, y := pop(), pop()
			r = b.Call(Atan2, y, x)
		case op == 27: // dup
			r = pop()
			st = append(st, r)
		case op == 28: // swap
			if len(st) >= 2 {
				st[len(st)-1], st[len(st)-2] = st[len(st)-2], st[len(st)-1]
			}
			continue
		case op == 29:
			r = b.Square(b.Call(Cos, pop()))
		case op == 30:
			r = b.Square(b.Call(Sin, pop()))
		default: // sum of the whole stack
			r = b.Add(st...)
			st = st[:0]
		}
		if len(st) < maxStack {
			st = append(st, r)
		}
	}
	if len(st) == 0 {
		return nil
	}
	return b.Add(st...)
}

// rebuild constructs n again from its canonical parts through the public
// constructors; for a canonical node the result must be n itself.
func rebuild(b *Builder, n *Node) *Node {
	args := make([]*Node, 0, len(n.args)+1)
	switch n.kind {
	case KAdd, KMul:
		args = append(args, b.Num(n.val))
	}
	args = append(args, n.args...)
	switch n.kind {
	case KAdd:
		return b.Add(args...)
	case KMul:
		return b.Mul(args...)
	case KPow:
		return b.Pow(args[0], args[1])
	case KCall:
		return b.Call(n.fn, args...)
	}
	return n
}

// fuzzPoints are generic points (no special values) where derivatives are
// compared.
var fuzzPoints = [][3]float64{
	{0.7318, -1.2471, 2.1553},
	{-0.4132, 0.8869, -1.6127},
	{1.9034, 0.3157, 0.5521},
}

// fdDerivative estimates f'(x) by Richardson-extrapolated central
// differences over a sequence of halving steps, the largest at most hmax.
// ok is false when f is not
// finite and moderate near x or when the last three estimates disagree in
// relative terms (f not smooth at the scale of the steps: close to a kink,
// jump or singularity, or oscillating fast, where a single pair of
// estimates can agree by aliasing). tol is the error to allow for the
// estimate: the rounding error, bounded through the largest |f| seen and
// ferr, a bound of the rounding error of f near x (cosh(u) - 1 is 0 for
// tiny u, so log(cosh(u)) looks constant), plus the spread of the
// estimates.
func fdDerivative(f func(float64) float64, x, ferr, hmax float64) (d, tol float64, ok bool) {
	const levels = 6
	h := min(1e-2*(1+math.Abs(x)), hmax)
	var D [levels]float64
	fmax := 0.0
	for k := range levels {
		s := h / float64(int(1)<<k)
		fp, fm := f(x+s), f(x-s)
		for _, v := range []float64{fp, fm} {
			if math.IsNaN(v) || math.Abs(v) > 1e6 {
				return 0, 0, false
			}
			fmax = math.Max(fmax, math.Abs(v))
		}
		D[k] = (fp - fm) / (2 * s)
	}
	var R [levels - 1]float64
	for k := range R {
		R[k] = (4*D[k+1] - D[k]) / 3
	}
	// rounding: ~(eps·fmax + error of f)/(smallest step), with a margin
	noise := (1e-13*fmax + 10*ferr) * float64(int(1)<<levels) / h
	d = R[len(R)-1]
	spread := 0.0
	for _, r := range R[len(R)-3:] {
		spread = math.Max(spread, math.Abs(r-d))
	}
	if spread > 1e-6*math.Abs(d)+noise {
		return 0, 0, false
	}
	return d, 10*spread + 10*noise, true
}

// evalErr evaluates n like Eval and returns a first-order bound of the
// rounding error of the result (forward error analysis: every operation
// adds eps times the magnitude of what it combines, and errors of the
// operands propagate through the partial derivatives). Sums that cancel
// (tanh(u)^2 - 1 for large u) get a bound relative to their terms, not
// to their value.
func evalErr(n *Node, env map[*Node]float64, memo map[*Node][2]float64) (v, e float64) {
	const eps = 0x1p-52
	switch n.kind {
	case KNum:
		return n.val, 0
	case KSym:
		return env[n], 0
	}
	if r, ok := memo[n]; ok {
		return r[0], r[1]
	}
	switch n.kind {
	case KAdd:
		v = n.val
		mag := math.Abs(n.val)
		for _, a := range n.args {
			av, ae := evalErr(a, env, memo)
			v += av
			e += ae
			mag += math.Abs(av)
		}
		e += eps * mag * float64(len(n.args))
	case KMul:
		vals := make([]float64, len(n.args))
		errs := make([]float64, len(n.args))
		v = n.val
		for i, a := range n.args {
			vals[i], errs[i] = evalErr(a, env, memo)
			v *= vals[i]
		}
		for i := range n.args {
			p := math.Abs(n.val) * errs[i]
			for j := range n.args {
				if j != i {
					p *= math.Abs(vals[j])
				}
			}
			e += p
		}
		e += eps * math.Abs(v) * float64(len(n.args))
	case KPow:
		u, eu := evalErr(n.args[0], env, memo)
		w, ew := evalErr(n.args[1], env, memo)
		v = math.Pow(u, w)
		e = eps * math.Abs(v)
		if eu != 0 {
			e += math.Abs(w*math.Pow(u, w-1)) * eu
		}
		if ew != 0 {
			e += math.Abs(v*math.Log(math.Abs(u))) * ew
		}
	case KCall:
		u, eu := evalErr(n.args[0], env, memo)
		if n.fn == Atan2 {
			x, ex := evalErr(n.args[1], env, memo)
			v = math.Atan2(u, x)
			e = (math.Abs(x)*eu+math.Abs(u)*ex)/(x*x+u*u) + eps*math.Abs(v)
			break
		}
		v = applyFunc(n.fn, u)
		var d float64 // |f'(u)|
		switch n.fn {
		case Sin, Cos:
			d = 1
		case Tan:
			d = 1 + v*v
		case Asin, Acos:
			d = 1 / math.Sqrt(1-u*u)
		case Atan:
			d = 1 / (1 + u*u)
		case Sinh, Cosh:
			d = math.Cosh(u)
		case Tanh:
			d = 1 - v*v
		case Exp:
			d = v
		case Log:
			d = 1 / math.Abs(u)
		case Abs:
			d = 1
		}
		if eu != 0 {
			e = d * eu
		}
		e += eps * math.Abs(v)
	}
	memo[n] = [2]float64{v, e}
	return v, e
}

// rates returns the largest |∂u/∂s| of the arguments u of the periodic
// and steep functions (sin, cos, tan, tanh, atan) in n at env. The product
// rule merges the chain of such rates into one flat product, whose factors
// are all moderate while the product (the speed at which the function
// oscillates) is not: tan(tan(...(cosh(cosh(x))))). The finite differences
// must use steps below its inverse.
func rates(b *Builder, n, s *Node, env map[*Node]float64) float64 {
	nodes, _ := graphUses([]*Node{n})
	r := 0.0
	for _, c := range nodes {
		if c.kind != KCall {
			continue
		}
		switch c.fn {
		case Sin, Cos, Tan, Tanh, Atan:
			v := math.Abs(Eval(b.Diff(c.args[0], s), env))
			if math.IsNaN(v) {
				return v
			}
			r = max(r, v)
		}
	}
	return r
}

// magnitude returns the largest absolute value of a subexpression of n at
// env. NaN when one is NaN: where an intermediate value is infinite (log 0,
// 1/0) the derivative may legitimately be NaN (0·∞) although n is smooth
// nearby.
//
// For the derivative, it also bounds how fast the expression can oscillate
// (the rates u' of the arguments of periodic functions are among the
// subexpressions of d/dx sin(u)), so the finite differences use steps below
// its inverse: sin(y^-16) near 0.3 or cosh(cosh(exp(x))) near 2 vary on
// scales far below a fixed step, and sampled too coarsely, two
// extrapolations can agree by aliasing.
func magnitude(n *Node, env map[*Node]float64) float64 {
	_, m := evalMagnitude(n, env)
	return m
}

// evalMagnitude returns Eval(n, env) and magnitude(n, env).
func evalMagnitude(n *Node, env map[*Node]float64) (v, mag float64) {
	memo := map[*Node]float64{}
	v = eval(n, env, memo)
	for _, w := range memo {
		if math.IsNaN(w) {
			return v, w
		}
		mag = max(mag, math.Abs(w))
	}
	return v, mag
}

// FuzzDiff builds a random expression, checks the hash-consing and
// canonical-form invariants of everything created, and compares first and
// diagonal second derivatives with finite differences of Eval at points
// where the expression is finite and smooth.
func FuzzDiff(f *testing.F) {
	for _, seed := range []string{
		"\x00\x01\x06\x0d",                                         // sin(x*y)
		"\x00\x1d\x00\x1e\x04",                                     // cos(x)^2 + sin(x)^2 = 1
		"\x02\x00\x1d\x06\x02\x00\x1e\x06\x04",                     // z*cos(x)^2 + z*sin(x)^2 = z
		"\x03\x05\x01\x06\x03\x03\x00\x06\x03\x03\x02\x06\x04\x06", // 0.5*y*(2*x + 2*z) = y*(x + z)
		"\x03\x03\x00\x06\x03\x03\x01\x06\x04\x04\x06",             // x*(3*x + 2*y)
		"\x00\x01\x08\x02\x07\x0c\x17",                             // log(sqrt(x^y/z))
		"\x00\x01\x1a\x02\x16\x06\x11",                             // acos(atan2(x, y)*exp(z))
		"\x00\x01\x05\x00\x01\x05\x0a\x06\x0b\x19",                 // sign((x - y)^4)
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b := NewBuilder()
		syms := []*Node{b.Sym("x"), b.Sym("y"), b.Sym("z")}
		e := fuzzExpr(b, data, syms)
		if e == nil {
			return
		}
		var d, dd [3]*Node
		for i, s := range syms {
			d[i] = b.Diff(e, s)
			dd[i] = b.Diff(d[i], s)
			if b.Diff(e, s) != d[i] {
				t.Fatalf("Diff not memoised")
			}
		}
		checkAllNodes(t, b)
		// Canonical nodes are fixed points of the constructors.
		for _, r := range append([]*Node{e}, append(d[:], dd[:]...)...) {
			checkCanonical(t, r)
			if got := rebuild(b, r); got != r {
				t.Fatalf("rebuilding %v gives %v", r, got)
			}
		}
		if t.Failed() {
			return
		}
		for _, p := range fuzzPoints {
			env := map[*Node]float64{syms[0]: p[0], syms[1]: p[1], syms[2]: p[2]}
			for i, s := range syms {
				for order, pair := range [][2]*Node{{e, d[i]}, {d[i], dd[i]}} {
					fn, deriv := pair[0], pair[1]
					_, ferr := evalErr(fn, env, map[*Node][2]float64{})
					mag := max(magnitude(fn, env), magnitude(deriv, env), rates(b, fn, s, env))
					if math.IsNaN(ferr) || !(mag <= 1e6) {
						continue // singular or huge intermediates
					}
					num, tol, ok := fdDerivative(func(v float64) float64 {
						// Singular or huge intermediates at a sample point
						// (a pole of tan close by) make it unusable.
						old := env[s]
						env[s] = v
						r, m := evalMagnitude(fn, env)
						env[s] = old
						if !(m <= 1e6) {
							return math.NaN()
						}
						return r
					}, p[i], ferr, 0.1/max(1, mag))
					if !ok {
						continue
					}
					got, rounding := evalErr(deriv, env, map[*Node][2]float64{})
					if math.IsNaN(rounding) {
						continue // error bound unknown: a singular intermediate
					}
					// 1e-200: results that underflow (y^127·z^1024) are zero
					if !(got == num || math.Abs(got-num) <= 1e-6*math.Abs(num)+tol+100*rounding+1e-200) {
						t.Errorf("order %d d/d%v of %v at %v: symbolic %v (%v), finite differences %v",
							order+1, s, fn, p, got, deriv, num)
					}
				}
			}
		}
	})
}
