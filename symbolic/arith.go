package symbolic

import (
	"math"
	"slices"
)

// term is a summand coef·base, base carrying no numeric coefficient.
type term struct {
	base *Node
	c    float64
}

// factor is a multiplicand base^exp.
type factor struct {
	base *Node
	exp  *Node
}

// Add returns the simplified sum of xs.
//
// Nested sums are flattened, numbers folded into the constant, like terms
// collected (2*x + 3*x = 5*x) and c·X·cos(u)^2 + c·X·sin(u)^2 replaced by
// c·X (see trig.go). Products of sums are not expanded.
func (b *Builder) Add(xs ...*Node) *Node {
	switch len(xs) {
	case 0:
		return b.zero
	case 1:
		return xs[0]
	}
	var buf [16]term
	terms := buf[:0]
	c := 0.0
	for _, x := range xs {
		terms, c = b.addInto(terms, c, x, 1)
	}
	return b.buildAdd(terms, c)
}

// addScaled returns k·a for a sum a, distributing k over its terms.
func (b *Builder) addScaled(a *Node, k float64) *Node {
	var buf [16]term
	terms, c := b.addInto(buf[:0], 0, a, k)
	return b.buildAdd(terms, c)
}

func (b *Builder) addInto(terms []term, c float64, x *Node, k float64) ([]term, float64) {
	switch x.kind {
	case KNum:
		c += k * x.val
	case KAdd:
		c += k * x.val
		for _, t := range x.args {
			terms, c = b.addInto(terms, c, t, k)
		}
	case KMul:
		base, m := b.splitCoef(x)
		terms = append(terms, term{base, k * m})
	default:
		terms = append(terms, term{x, k})
	}
	return terms, c
}

// splitCoef writes a product as m·base with base free of a coefficient.
func (b *Builder) splitCoef(x *Node) (base *Node, m float64) {
	if x.val == 1 {
		return x, 1
	}
	if len(x.args) == 1 {
		return x.args[0], x.val
	}
	return b.intern(KMul, 0, 1, "", x.args), x.val
}

// scaled returns c·base for a coefficient-free base and c ∉ {0, 1}.
func (b *Builder) scaled(base *Node, c float64) *Node {
	if base.kind == KMul {
		return b.intern(KMul, 0, c, "", base.args)
	}
	if base.kind == KAdd {
		return b.addScaled(base, c)
	}
	args := [1]*Node{base}
	return b.intern(KMul, 0, c, "", args[:])
}

func (b *Builder) buildAdd(terms []term, c float64) *Node {
	if len(terms) > 1 {
		sortTerms(terms)
		// merge runs with equal base
		w := 0
		for i := 0; i < len(terms); {
			t := terms[i]
			j := i + 1
			for ; j < len(terms) && terms[j].base == t.base; j++ {
				t.c += terms[j].c
			}
			i = j
			if t.c != 0 {
				terms[w] = t
				w++
			}
		}
		terms = terms[:w]
		if len(terms) > 1 {
			for _, t := range terms {
				if t.base.flags&flagCos2 != 0 {
					if nt, nc, ok := b.pythagoras(terms, c); ok {
						return b.buildAdd(nt, nc)
					}
					break
				}
			}
		}
	} else if len(terms) == 1 && terms[0].c == 0 {
		terms = terms[:0]
	}
	switch len(terms) {
	case 0:
		return b.Num(c)
	case 1:
		if c == 0 {
			return b.termNode(terms[0])
		}
	}
	var abuf [16]*Node
	args := abuf[:0]
	for _, t := range terms {
		args = append(args, b.termNode(t))
	}
	if c == 0 {
		c = 0 // normalise -0
	}
	return b.intern(KAdd, 0, c, "", args)
}

func (b *Builder) termNode(t term) *Node {
	if t.c == 1 {
		return t.base
	}
	return b.scaled(t.base, t.c)
}

func sortTerms(ts []term) {
	if len(ts) <= 12 {
		for i := 1; i < len(ts); i++ {
			for j := i; j > 0 && ts[j].base.id < ts[j-1].base.id; j-- {
				ts[j], ts[j-1] = ts[j-1], ts[j]
			}
		}
		return
	}
	slices.SortStableFunc(ts, func(x, y term) int { return int(x.base.id) - int(y.base.id) })
}

func sortFactors(fs []factor) {
	if len(fs) <= 12 {
		for i := 1; i < len(fs); i++ {
			for j := i; j > 0 && fs[j].base.id < fs[j-1].base.id; j-- {
				fs[j], fs[j-1] = fs[j-1], fs[j]
			}
		}
		return
	}
	slices.SortStableFunc(fs, func(x, y factor) int { return int(x.base.id) - int(y.base.id) })
}

// Mul returns the simplified product of xs.
//
// Nested products are flattened, numbers folded into the coefficient, and
// equal bases merged by adding exponents (x*x = x^2, x^2*x^-1 = x). A number
// times a single sum is distributed (2*(x+y) = 2*x + 2*y); other products of
// sums are kept, with the numeric and monomial content of each sum moved
// into the product (0.5*m*(2*x + 2*y) = m*(x + y), see content.go).
func (b *Builder) Mul(xs ...*Node) *Node {
	switch len(xs) {
	case 0:
		return b.one
	case 1:
		return xs[0]
	}
	var buf [16]factor
	fs := buf[:0]
	c := 1.0
	for _, x := range xs {
		switch x.kind {
		case KNum:
			c *= x.val
		case KMul:
			c *= x.val
			for _, f := range x.args {
				fs = appendFactor(fs, f, b.one)
			}
		default:
			fs = appendFactor(fs, x, b.one)
		}
	}
	return b.buildMul(fs, c)
}

func appendFactor(fs []factor, f, one *Node) []factor {
	if f.kind == KPow {
		return append(fs, factor{f.args[0], f.args[1]})
	}
	return append(fs, factor{f, one})
}

func (b *Builder) buildMul(fs []factor, c float64) *Node {
	if c == 0 {
		return b.zero
	}
	if out, c2 := b.extractContents(fs, c); out != nil {
		fs, c = out, c2
	}
	sortFactors(fs)
	var abuf [16]*Node
	out := abuf[:0]
	redo := false
	for i := 0; i < len(fs); {
		f := fs[i]
		j := i + 1
		if j < len(fs) && fs[j].base == f.base {
			var ebuf [8]*Node
			exps := append(ebuf[:0], f.exp)
			for ; j < len(fs) && fs[j].base == f.base; j++ {
				exps = append(exps, fs[j].exp)
			}
			f.exp = b.Add(exps...)
		}
		var p *Node
		merged := j > i+1
		i = j
		switch {
		case f.exp.kind == KNum && f.exp.val == 1:
			p = f.base
			// Merging non-integer powers of a sum may give the sum
			// itself, whose content must then be extracted.
			if p.kind == KAdd && merged && b.content(p) != nil {
				redo = true
			}
		case f.exp.kind == KNum && f.exp.val == 0:
			continue
		default:
			p = b.Pow(f.base, f.exp)
		}
		switch p.kind {
		case KNum:
			c *= p.val
		case KMul:
			redo = true
			out = append(out, p)
		default:
			// A power of a power may become a power of another base
			// ((x^a)^n = x^(a·n), (x^2)^0.5·(x^2)^0.5 = x^2), which must
			// be merged with the other factors again.
			pb := p
			if p.kind == KPow {
				pb = p.args[0]
			}
			if pb != f.base {
				redo = true
			}
			out = append(out, p)
		}
	}
	if c == 0 {
		return b.zero
	}
	if redo {
		out = append(out, b.Num(c))
		return b.Mul(out...)
	}
	switch len(out) {
	case 0:
		return b.Num(c)
	case 1:
		if c == 1 {
			return out[0]
		}
		if out[0].kind == KAdd {
			return b.addScaled(out[0], c)
		}
	}
	return b.intern(KMul, 0, c, "", out)
}

// isInt reports whether e is an integer that float64 represents exactly.
func isInt(e float64) bool { return e == math.Trunc(e) && math.Abs(e) < 1<<53 }

// Pow returns x ^ y.
//
// Rules: x^0 = 1 (also 0^0, as math.Pow), x^1 = x, 1^y = 1, number^number is
// folded with math.Pow, 0^y = 0 for a numeric y > 0. For an integer n,
// (x^a)^n = x^(a·n), (c·Π f_i)^n = c^n·Π f_i^n and, for a sum s with
// content k·M, s^n = k^n·M^n·(s/(k·M))^n; for non-integer n these rewrites
// are not valid for all real x (e.g. (x^2)^0.5 = |x|) and are not done.
func (b *Builder) Pow(x, y *Node) *Node {
	if y.kind == KNum {
		e := y.val
		switch {
		case e == 0:
			return b.one
		case e == 1:
			return x
		case x.kind == KNum:
			return b.Num(math.Pow(x.val, e))
		}
		if isInt(e) {
			switch x.kind {
			case KPow:
				return b.Pow(x.args[0], b.Mul(x.args[1], y))
			case KMul:
				var buf [16]factor
				fs := buf[:0]
				for _, f := range x.args {
					if f.kind == KPow {
						fs = append(fs, factor{f.args[0], b.Mul(f.args[1], y)})
					} else {
						fs = append(fs, factor{f, y})
					}
				}
				return b.buildMul(fs, math.Pow(x.val, e))
			case KAdd:
				// Content rule: (2*a + 2*b)^2 = 4*(a + b)^2.
				if b.content(x) != nil {
					fs := [1]factor{{x, y}}
					return b.buildMul(fs[:], 1)
				}
			}
		}
	}
	if x.kind == KNum && x.val == 1 {
		return b.one
	}
	args := [2]*Node{x, y}
	return b.intern(KPow, 0, 0, "", args[:])
}
