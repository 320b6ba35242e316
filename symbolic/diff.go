package symbolic

import "fmt"

// DependsOn reports whether symbol x occurs in e. It costs O(1): every node
// carries the bitset of its free symbols.
func (b *Builder) DependsOn(e, x *Node) bool {
	if x.kind != KSym {
		panic(fmt.Sprintf("symbolic: DependsOn: %v is not a symbol", x))
	}
	return dependsOn(e, x)
}

func dependsOn(e, x *Node) bool {
	w := int(x.sidx / 64)
	return w < len(e.syms) && e.syms[w]&(1<<(x.sidx%64)) != 0
}

// Diff returns ∂e/∂x for a symbol x, memoised across calls.
//
// Subexpressions that do not depend on x are skipped in O(1), and results are
// memoised per (node, symbol), so differentiating a DAG costs time linear in
// the number of distinct nodes that depend on x.
func (b *Builder) Diff(e, x *Node) *Node {
	if x.kind != KSym {
		panic(fmt.Sprintf("symbolic: Diff: %v is not a symbol", x))
	}
	return b.diff(e, x)
}

func (b *Builder) diff(e, x *Node) *Node {
	if e == x {
		return b.one
	}
	if !dependsOn(e, x) {
		return b.zero
	}
	key := uint64(e.id)<<32 | uint64(x.sidx)
	if d, ok := b.dmemo[key]; ok {
		return d
	}
	d := b.diffRule(e, x)
	b.dmemo[key] = d
	return d
}

func (b *Builder) diffRule(e, x *Node) *Node {
	switch e.kind {
	case KAdd:
		var buf [16]*Node
		ds := buf[:0]
		for _, t := range e.args {
			if dependsOn(t, x) {
				ds = append(ds, b.diff(t, x))
			}
		}
		return b.Add(ds...)
	case KMul:
		// Product rule: c · Σ_i f_i' · Π_{j≠i} f_j.
		var buf [16]*Node
		ds := buf[:0]
		var fbuf [17]*Node
		for i, f := range e.args {
			if !dependsOn(f, x) {
				continue
			}
			fs := append(fbuf[:0], b.Num(e.val))
			fs = append(fs, e.args[:i]...)
			fs = append(fs, e.args[i+1:]...)
			fs = append(fs, b.diff(f, x))
			ds = append(ds, b.Mul(fs...))
		}
		return b.Add(ds...)
	case KPow:
		u, w := e.args[0], e.args[1]
		if !dependsOn(w, x) {
			// w · u^(w-1) · u'
			return b.Mul(w, b.Pow(u, b.Add(w, b.minus1)), b.diff(u, x))
		}
		if !dependsOn(u, x) {
			// u^w · log(u) · w'
			return b.Mul(e, b.Call(Log, u), b.diff(w, x))
		}
		// u^w · (w' log u + w u'/u)
		return b.Mul(e, b.Add(
			b.Mul(b.diff(w, x), b.Call(Log, u)),
			b.Mul(w, b.diff(u, x), b.Pow(u, b.minus1))))
	case KCall:
		u := e.args[0]
		if e.fn == Atan2 {
			// atan2(y, v): (v y' − y v') / (v² + y²)
			y, v := e.args[0], e.args[1]
			num := b.Sub(b.Mul(v, b.diff(y, x)), b.Mul(y, b.diff(v, x)))
			return b.Div(num, b.Add(b.Square(v), b.Square(y)))
		}
		du := b.diff(u, x)
		var g *Node // g = f'(u)
		switch e.fn {
		case Sin:
			g = b.Call(Cos, u)
		case Cos:
			g = b.Neg(b.Call(Sin, u))
		case Tan:
			g = b.Add(b.one, b.Square(e))
		case Asin:
			g = b.Pow(b.Sub(b.one, b.Square(u)), b.Num(-0.5))
		case Acos:
			g = b.Neg(b.Pow(b.Sub(b.one, b.Square(u)), b.Num(-0.5)))
		case Atan:
			g = b.Pow(b.Add(b.one, b.Square(u)), b.minus1)
		case Sinh:
			g = b.Call(Cosh, u)
		case Cosh:
			g = b.Call(Sinh, u)
		case Tanh:
			g = b.Sub(b.one, b.Square(e))
		case Exp:
			g = e
		case Log:
			g = b.Pow(u, b.minus1)
		case Sqrt:
			g = b.Mul(b.half, b.Pow(u, b.Num(-0.5)))
		case Abs:
			g = b.Call(Sign, u)
		case Sign:
			return b.zero
		default:
			panic(fmt.Sprintf("symbolic: Diff: no rule for %v", e.fn))
		}
		return b.Mul(g, du)
	}
	panic(fmt.Sprintf("symbolic: Diff: unexpected node %v", e))
}
