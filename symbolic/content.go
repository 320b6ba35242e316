package symbolic

import "math"

// This file implements the content rule: a sum that is a factor of a
// product is written as k·M·P, with k its numeric content, M its monomial
// content and P its primitive part, and k and M are moved into the product
// (0.5*m*(2*a + 2*b) = m*(a + b), x*(y*a - y*b) = x*y*(a - b)).
//
// The numeric content of c_0 + Σ c_i·t_i is |c_1| if all non-zero c_i
// (including c_0) have the same absolute value, else their gcd if all are
// integers, else 1; its sign is that of c_1, the coefficient of the first
// term in canonical order, so P's first term has a positive coefficient and
// -m*(a - b) and m*(b - a) are the same node. Dividing by k is exact in
// float64 in both cases. The monomial content, for a sum without constant,
// is the product of the factors base^e present in every term with numeric
// exponents of the same sign, e being the one of least magnitude (a power
// with a non-numeric exponent counts as a base with exponent 1).
//
// The rule is applied by buildMul to every factor S^n with S a sum and n an
// integer, when the product has another factor or n ≠ 1, and by Pow to
// S^n. A lone number times a single sum is still distributed, so a sum is
// never rewritten by the rule: -(a - b) + (a - b) = 0 as before, and
// there is no ping-pong between the two rules.

// monoFactor is a factor of the monomial content of a sum: base^exp, or,
// when whole is set, base itself (a power with a non-numeric exponent).
type monoFactor struct {
	base  *Node
	exp   float64
	whole bool
}

// contentInfo is the decomposition S = k · Π mono · p of a sum S with
// non-trivial content. p is a primitive sum or, when the division made
// terms cancel or collapse, any other node.
type contentInfo struct {
	k    float64
	mono []monoFactor
	p    *Node
}

// factorKey splits a factor of a product into the base and the numeric
// exponent used by the content rule. Powers with a non-numeric or
// non-finite exponent are taken whole.
func factorKey(f *Node) (base *Node, e float64, whole bool) {
	if f.kind == KPow {
		if e := f.args[1]; e.kind == KNum && !math.IsInf(e.val, 0) && !math.IsNaN(e.val) {
			return f.args[0], f.args[1].val, false
		}
		return f, 1, true
	}
	return f, 1, false
}

// termFactors returns the coefficient and the factors of a term of a sum;
// one is scratch space for a term that is not a product.
func termFactors(t *Node, one *[1]*Node) (float64, []*Node) {
	if t.kind == KMul {
		return t.val, t.args
	}
	one[0] = t
	return 1, one[:]
}

func gcd(a, b float64) float64 {
	for b != 0 {
		a, b = b, math.Mod(a, b)
	}
	return a
}

// analyzeContent returns the numeric content k and the monomial content of
// the sum s (k = 1 and no factors when s is primitive). It creates no node.
func analyzeContent(s *Node) (k float64, mono []monoFactor) {
	var one [1]*Node
	first, _ := termFactors(s.args[0], &one)
	a := math.Abs(first)
	eq, allInt, g := true, true, 0.0
	visit := func(v float64) {
		v = math.Abs(v)
		eq = eq && v == a
		if allInt = allInt && isInt(v); allInt {
			g = gcd(v, g)
		}
	}
	for _, t := range s.args {
		c, _ := termFactors(t, &one)
		visit(c)
	}
	if s.val != 0 {
		visit(s.val)
	}
	k = 1
	switch {
	case eq:
		k = a
	case allInt && g > 1:
		k = g
	}
	if math.IsInf(k, 0) || math.IsNaN(k) || k == 0 {
		k = 1
	}
	if first < 0 {
		k = -k
	}
	if s.val != 0 || len(s.args) < 2 {
		return k, nil
	}
	// Monomial content: candidates from the first term, narrowed by the others.
	_, fs := termFactors(s.args[0], &one)
	var buf [8]monoFactor
	cand := buf[:0]
	for _, f := range fs {
		base, e, whole := factorKey(f)
		cand = append(cand, monoFactor{base, e, whole})
	}
	for _, t := range s.args[1:] {
		if len(cand) == 0 {
			break
		}
		_, tf := termFactors(t, &one)
		w := 0
		for _, m := range cand {
			for _, f := range tf {
				base, e, whole := factorKey(f)
				if base != m.base || whole != m.whole {
					continue
				}
				if (e > 0) == (m.exp > 0) {
					if math.Abs(e) < math.Abs(m.exp) {
						m.exp = e
					}
					cand[w] = m
					w++
				}
				break
			}
		}
		cand = cand[:w]
	}
	if len(cand) == 0 {
		return k, nil
	}
	return k, append([]monoFactor(nil), cand...)
}

// content returns the decomposition of the sum s, or nil when s is
// primitive. Results are memoised.
func (b *Builder) content(s *Node) *contentInfo {
	if s.flags&flagContent != 0 {
		if s.flags&flagPrimitive != 0 {
			return nil
		}
		return b.contents[s]
	}
	k, mono := analyzeContent(s)
	if k == 1 && len(mono) == 0 {
		s.flags |= flagContent | flagPrimitive
		return nil
	}
	var buf [16]term
	terms := buf[:0]
	c := s.val / k
	var one [1]*Node
	for _, t := range s.args {
		tc, tf := termFactors(t, &one)
		var fbuf [16]factor
		fs := fbuf[:0]
	next:
		for _, f := range tf {
			base, e, whole := factorKey(f)
			for _, m := range mono {
				if m.base == base && m.whole == whole {
					if e -= m.exp; e != 0 {
						fs = append(fs, factor{base, b.Num(e)})
					}
					continue next
				}
			}
			fs = appendFactor(fs, f, b.one)
		}
		terms, c = b.addInto(terms, c, b.buildMul(fs, tc/k), 1)
	}
	info := &contentInfo{k: k, mono: mono, p: b.buildAdd(terms, c)}
	if info.p == s { // cannot happen for finite exponents; be safe
		s.flags |= flagContent | flagPrimitive
		return nil
	}
	if info.p.kind == KAdd {
		if sub := b.content(info.p); sub != nil {
			info.k *= sub.k
			info.mono = append(info.mono, sub.mono...)
			info.p = sub.p
		}
	}
	if b.contents == nil {
		b.contents = make(map[*Node]*contentInfo)
	}
	b.contents[s] = info
	s.flags |= flagContent
	return info
}

// appendPow appends m^n (n an integer) to fs.
func (m monoFactor) appendPow(b *Builder, fs []factor, n float64) []factor {
	if m.whole {
		return append(fs, factor{m.base.args[0], b.Mul(m.base.args[1], b.Num(n))})
	}
	return append(fs, factor{m.base, b.Num(m.exp * n)})
}

// extractContents applies the content rule to the factors fs of a product
// with coefficient c (see the top of this file). It returns the new factors
// and coefficient, or nil when nothing changed (so that fs, usually on the
// caller's stack, does not escape).
func (b *Builder) extractContents(fs []factor, c float64) ([]factor, float64) {
	if len(fs) == 0 || len(fs) == 1 && fs[0].exp == b.one {
		return nil, c
	}
	var out []factor // nil until the first change
	for i, f := range fs {
		var ct *contentInfo
		if f.base.kind == KAdd && f.exp.kind == KNum && isInt(f.exp.val) {
			ct = b.content(f.base)
		}
		if ct == nil {
			if out != nil {
				out = append(out, f)
			}
			continue
		}
		if out == nil {
			out = make([]factor, i, len(fs)+8)
			copy(out, fs[:i])
		}
		n := f.exp.val
		if n > 0 {
			c *= math.Pow(ct.k, n)
		} else {
			c /= math.Pow(ct.k, -n)
		}
		for _, m := range ct.mono {
			out = m.appendPow(b, out, n)
		}
		switch p := ct.p; p.kind {
		case KAdd:
			out = append(out, factor{p, f.exp})
		default:
			q := b.Pow(p, f.exp)
			switch q.kind {
			case KNum:
				c *= q.val
			case KMul:
				c *= q.val
				for _, g := range q.args {
					out = appendFactor(out, g, b.one)
				}
			default:
				out = appendFactor(out, q, b.one)
			}
		}
	}
	return out, c
}
