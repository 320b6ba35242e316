package symbolic

import "math"

// This file implements Builder.Simplify, a simplification pass for display
// that goes beyond the construction-time canonical forms: products of sums
// are expanded and the result collected (where like terms cancel and the
// Pythagorean rule of Add applies), the angle-addition identities
// cos(a)cos(b) ± sin(a)sin(b) = cos(a ∓ b), sin(a)cos(b) ± cos(a)sin(b) =
// sin(a ± b) are applied, and terms sharing all but one factor are grouped
// (g*l*m1 + g*l*m2 = g*l*(m1 + m2)). Every rewrite is kept only where it
// makes the expression shorter as printed, so
// m*(sin(φ)*(dot(r)*sin(φ) + …) - cos(φ)*(…)) becomes m*dot(r) while
// 0.5*k*(r - l0)^2 stays as it is.

// Limits of the expansion: a product or power whose expansion would have
// more terms than maxExpandTerms, or a power above maxExpandPow, is left
// factored (its factors are still simplified).
const (
	maxExpandTerms = 256
	maxExpandPow   = 6
	// maxSimplifySize is the printed size above which a node is only
	// rebuilt from its simplified children, not expanded: large
	// expressions do not get a textbook form, and expanding them costs.
	maxSimplifySize = 2000
)

type simplifier struct {
	simp map[*Node]*Node
	exp  map[*Node]*Node // nil value: not expandable within the limits
	size map[*Node]int
}

// Simplify returns an expression equal to e, simplified for display (see
// the rules above): never longer than e as printed by [Infix] (estimated
// by [TreeSize]), with its shared subexpressions simplified once. Results
// are memoised in the Builder, so simplifying many expressions of one
// graph (momenta and equations of motion) costs time linear in the graph
// for bounded expansions. The rewrites are identities of real analysis
// within the Builder's domain conventions (x/x = 1).
func (b *Builder) Simplify(e *Node) *Node {
	if b.simplifier == nil {
		b.simplifier = &simplifier{simp: map[*Node]*Node{}, exp: map[*Node]*Node{}, size: map[*Node]int{}}
	}
	return b.simp(e)
}

// treeSize is TreeSize memoised across calls.
func (b *Builder) treeSize(n *Node) int {
	s := b.simplifier
	if v, ok := s.size[n]; ok {
		return v
	}
	v := ownSize(n)
	for _, a := range n.args {
		if v += b.treeSize(a); v > math.MaxInt/4 {
			v = math.MaxInt / 4
		}
	}
	s.size[n] = v
	return v
}

func (b *Builder) simp(n *Node) *Node {
	if n.kind == KNum || n.kind == KSym {
		return n
	}
	s := b.simplifier
	if r, ok := s.simp[n]; ok {
		return r
	}
	// The node with simplified children.
	args := make([]*Node, len(n.args))
	for i, a := range n.args {
		args[i] = b.simp(a)
	}
	best := n
	consider := func(c *Node, orEqual bool) {
		if c == nil {
			return
		}
		if sc, sb := b.treeSize(c), b.treeSize(best); sc < sb || orEqual && sc == sb {
			best = c
		}
	}
	cands := []*Node{b.rebuildWith(n, args)}
	if b.treeSize(n) <= maxSimplifySize {
		cands = append(cands, b.expand(n))
	}
	for _, c := range cands {
		if c == nil {
			continue
		}
		consider(c, false)
		if c.kind == KAdd && b.treeSize(c) <= maxSimplifySize {
			if a := b.angleSums(c); a != nil {
				c = a
				consider(c, false)
			}
			if c.kind == KAdd {
				// Grouping wins ties: k*(r - l0) rather than k*r - k*l0.
				consider(b.group(c), true)
			}
		}
	}
	s.simp[n] = best
	return best
}

// rebuildWith returns n with its children replaced by args.
func (b *Builder) rebuildWith(n *Node, args []*Node) *Node {
	switch n.kind {
	case KAdd:
		return b.Add(append(args, b.Num(n.val))...)
	case KMul:
		return b.Mul(append(args, b.Num(n.val))...)
	case KPow:
		return b.Pow(args[0], args[1])
	case KCall:
		return b.Call(n.fn, args...)
	}
	return n
}

// expand returns n with products of sums and positive integer powers of
// sums multiplied out and collected, or nil when that exceeds the limits.
// Calls and other powers are atoms, with simplified arguments.
func (b *Builder) expand(n *Node) *Node {
	s := b.simplifier
	if r, ok := s.exp[n]; ok {
		return r
	}
	var r *Node
	switch n.kind {
	case KNum, KSym:
		r = n
	case KCall:
		args := make([]*Node, len(n.args))
		for i, a := range n.args {
			args[i] = b.simp(a)
		}
		r = b.Call(n.fn, args...)
	case KAdd:
		terms := []*Node{b.Num(n.val)}
		for _, a := range n.args {
			t := b.expand(a)
			if t == nil {
				t = b.simp(a)
			}
			terms = append(terms, t)
		}
		r = b.Add(terms...)
	case KPow:
		base, e := n.args[0], n.args[1]
		if e.kind == KNum && isInt(e.val) && e.val >= 2 && e.val <= maxExpandPow {
			if x := b.expand(base); x != nil {
				r = x
				for k := 1; k < int(e.val) && r != nil; k++ {
					r = b.mulExpanded(r, x)
				}
				break
			}
		}
		r = b.Pow(b.simp(base), b.simp(e))
	case KMul:
		r = b.Num(n.val)
		for _, a := range n.args {
			x := b.expand(a)
			if x == nil {
				x = b.simp(a)
			}
			if r = b.mulExpanded(r, x); r == nil {
				break
			}
		}
	}
	s.exp[n] = r
	return r
}

// sumTerms returns the terms of x, its constant included as a number.
func sumTerms(b *Builder, x *Node) []*Node {
	if x.kind != KAdd {
		return []*Node{x}
	}
	out := x.args
	if x.val != 0 {
		out = append([]*Node{b.Num(x.val)}, out...)
	}
	return out
}

// mulExpanded multiplies two expanded expressions term by term, or returns
// nil when the product would have more than maxExpandTerms terms.
func (b *Builder) mulExpanded(x, y *Node) *Node {
	xs, ys := sumTerms(b, x), sumTerms(b, y)
	if len(xs)*len(ys) > maxExpandTerms {
		return nil
	}
	if len(xs) == 1 && len(ys) == 1 {
		return b.Mul(x, y)
	}
	prods := make([]*Node, 0, len(xs)*len(ys))
	for _, s := range xs {
		for _, t := range ys {
			prods = append(prods, b.Mul(s, t))
		}
	}
	r := b.Add(prods...)
	if len(sumTerms(b, r)) > maxExpandTerms {
		return nil
	}
	return r
}

// callFactor reports whether the factor f of a term is fn(u) to the first
// power and returns u.
func callFactor(f *Node, fn Func) (*Node, bool) {
	if f.kind == KCall && f.fn == fn {
		return f.args[0], true
	}
	return nil, false
}

// angleSums applies the angle-addition identities to the sum s: two terms
// c·X·cos(a)·cos(b) and ±c·X·sin(a)·sin(b) become c·X·cos(a ∓ b), and
// c·X·sin(a)·cos(b) and ±c·X·cos(a)·sin(b) become c·X·sin(a ± b). It
// returns nil when no pair is found.
func (b *Builder) angleSums(s *Node) *Node {
	terms := append([]*Node(nil), s.args...)
	index := map[*Node]int{}
	for i, t := range terms {
		index[t] = i
	}
	changed := false
	for i := 0; i < len(terms); i++ {
		t := terms[i]
		if t == nil || t.kind != KMul {
			continue
		}
		done := false
		for fi, f := range t.args {
			if done {
				break
			}
			a, ok := callFactor(f, Cos)
			if !ok {
				a, ok = callFactor(f, Sin)
			}
			if !ok {
				continue
			}
			for fj := fi + 1; fj < len(t.args) && !done; fj++ {
				g := t.args[fj]
				c2, okC := callFactor(g, Cos)
				s2, okS := callFactor(g, Sin)
				if !okC && !okS {
					continue
				}
				bArg := c2
				if okS {
					bArg = s2
				}
				if bArg == a {
					continue
				}
				// X·(the other two functions): the partner term.
				rest := make([]*Node, 0, len(t.args))
				for k, h := range t.args {
					if k != fi && k != fj {
						rest = append(rest, h)
					}
				}
				x := b.Mul(append(rest, b.Num(t.val))...)
				swap := func(fn Func) Func {
					if fn == Sin {
						return Cos
					}
					return Sin
				}
				pf, pg := swap(f.fn), swap(g.fn)
				for _, sign := range []float64{1, -1} {
					partner := b.Mul(b.Num(sign), x, b.Call(pf, a), b.Call(pg, bArg))
					j, ok := index[partner]
					if !ok || j == i || terms[j] == nil {
						continue
					}
					var r *Node
					switch {
					case f.fn == Cos && g.fn == Cos: // cos a cos b ± sin a sin b
						r = b.Call(Cos, b.Add(a, b.Mul(b.Num(-sign), bArg)))
					case f.fn == Sin && g.fn == Sin: // sin a sin b ± cos a cos b
						r = b.Mul(b.Num(sign), b.Call(Cos, b.Add(a, b.Mul(b.Num(-sign), bArg))))
					case f.fn == Sin: // sin a cos b ± cos a sin b
						r = b.Call(Sin, b.Add(a, b.Mul(b.Num(sign), bArg)))
					default: // cos a sin b ± sin a cos b
						r = b.Mul(b.Num(sign), b.Call(Sin, b.Add(a, b.Mul(b.Num(sign), bArg))))
					}
					terms[i] = b.Mul(x, r)
					terms[j] = nil
					changed, done = true, true
					break
				}
			}
		}
	}
	if !changed {
		return nil
	}
	out := []*Node{b.Num(s.val)}
	for _, t := range terms {
		if t != nil {
			out = append(out, t)
		}
	}
	return b.Add(out...)
}

// group factors the sum s by common cofactors: the terms c_i·f_i·K that
// share all factors K but one are written K·Σ c_i·f_i, greedily, the
// largest group first, as long as the result gets shorter. It returns nil
// when nothing is grouped.
func (b *Builder) group(s *Node) *Node {
	terms := append([]*Node(nil), s.args...)
	if len(terms) > maxExpandTerms {
		return nil
	}
	changed := false
	for {
		// cofactor → indices of the terms having it, and their parts.
		type part struct {
			i int
			f *Node // the factor left out, with the term's coefficient
		}
		groups := map[*Node][]part{}
		var order []*Node
		for i, t := range terms {
			if t.kind != KMul {
				continue
			}
			for fi, f := range t.args {
				rest := make([]*Node, 0, len(t.args))
				rest = append(rest, t.args[:fi]...)
				rest = append(rest, t.args[fi+1:]...)
				k := b.Mul(rest...)
				if k.kind == KNum {
					continue
				}
				if _, ok := groups[k]; !ok {
					order = append(order, k)
				}
				groups[k] = append(groups[k], part{i, b.Mul(b.Num(t.val), f)})
			}
		}
		var bestK *Node
		bestGain := 0
		for _, k := range order {
			ps := groups[k]
			if len(ps) < 2 {
				continue
			}
			// each term used once
			seen := map[int]bool{}
			n := 0
			for _, p := range ps {
				if !seen[p.i] {
					seen[p.i] = true
					n++
				}
			}
			if gain := (n - 1) * b.treeSize(k); n >= 2 && gain > bestGain {
				bestK, bestGain = k, gain
			}
		}
		if bestK == nil {
			break
		}
		var inner, rest []*Node
		used := map[int]bool{}
		for _, p := range groups[bestK] {
			if !used[p.i] {
				used[p.i] = true
				inner = append(inner, p.f)
			}
		}
		for i, t := range terms {
			if !used[i] {
				rest = append(rest, t)
			}
		}
		g := b.Mul(bestK, b.Add(inner...))
		terms = append(rest, g)
		changed = true
	}
	if !changed {
		return nil
	}
	return b.Add(append(terms, b.Num(s.val))...)
}
