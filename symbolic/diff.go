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
		if d := b.diffSplit(e, x); d != nil {
			return d
		}
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
		rule := funcTable[e.fn].deriv
		if rule == nil {
			return b.zero // sign
		}
		return b.Mul(rule(b, e, u), b.diff(u, x))
	}
	panic(fmt.Sprintf("symbolic: Diff: unexpected node %v", e))
}

// diffSplit differentiates a product e = c·f_j·R through an existing
// sub-product R (the product of all factors but one, with coefficient 1):
// ∂e = c·(∂f_j·R + f_j·∂R), where ∂R is memoised. Without it, the flat
// product rule rebuilds every product of all factors but one, which is
// quadratic for a product built up factor by factor (let towers
// a_i = f(a_{i-1})·a_{i-1}, whose canonical form is one flat product of i
// factors) and loses the sharing between ∂a_i and ∂a_{i-1}. It returns nil
// (use the flat rule) when fewer than three factors depend on x, where the
// flat rule is as small, or when no such sub-product exists.
func (b *Builder) diffSplit(e, x *Node) *Node {
	if len(e.args) < 3 {
		return nil
	}
	nd := 0
	for _, f := range e.args {
		if dependsOn(f, x) {
			nd++
		}
	}
	if nd < 3 {
		return nil
	}
	j := b.splitIndex(e)
	if j < 0 {
		return nil
	}
	var rbuf [16]*Node
	rest := append(append(rbuf[:0], e.args[:j]...), e.args[j+1:]...)
	r := b.lookup(KMul, 0, 1, "", rest)
	f := e.args[j]
	c := b.Num(e.val)
	return b.Add(b.Mul(c, b.diff(f, x), r), b.Mul(c, f, b.diff(r, x)))
}

// splitIndex returns the index of the factor of the product e whose
// complement (the product of the other factors, coefficient 1) exists, the
// most recently created complement if several do, or -1. The choice does
// not depend on the variable and is memoised.
func (b *Builder) splitIndex(e *Node) int {
	if j, ok := b.splits[e]; ok {
		return int(j)
	}
	best, bestID := -1, int32(-1)
	var rbuf [16]*Node
	for j := range e.args {
		rest := append(append(rbuf[:0], e.args[:j]...), e.args[j+1:]...)
		if r := b.lookup(KMul, 0, 1, "", rest); r != nil && r.id > bestID {
			best, bestID = j, r.id
		}
	}
	if b.splits == nil {
		b.splits = make(map[*Node]int32)
	}
	b.splits[e] = int32(best)
	return best
}
