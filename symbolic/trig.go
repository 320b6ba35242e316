package symbolic

// pythagoras applies cos(u)^2 + sin(u)^2 = 1 to the collected, sorted terms
// of a sum with constant c: two terms c·X·cos(u)^n·sin(u)^m and
// c·X·cos(u)^(n-2)·sin(u)^(m+2) with the same coefficient c, the same other
// factors X and an integer n ≥ 2 are replaced by c·X·cos(u)^(n-2)·sin(u)^m
// (c·X·cos(u)^2 + c·X·sin(u)^2 = c·X, c·cos(u)^2 + c·sin(u)^2 = c). It
// reports whether anything changed; the caller then rebuilds the sum, which
// collects the new terms and applies the rule again.
//
// The partner term is located through lookups in the intern table and a
// binary search of the sorted terms, so no node is created unless the rule
// applies, and the cost is linear in the size of the cos(u)^n terms.
func (b *Builder) pythagoras(terms []term, c float64) ([]term, float64, bool) {
	var extra []term
	changed := false
	for i := range terms {
		t := terms[i]
		if t.c == 0 || t.base.flags&flagCos2 == 0 {
			continue
		}
		var one [1]*Node
		_, fs := termFactors(t.base, &one)
		for fi, f := range fs {
			if f.kind != KPow || f.flags&flagCos2 == 0 {
				continue
			}
			var pbuf [16]*Node
			partner, reduced, ok := b.pythPartner(pbuf[:0], fs, fi)
			if !ok {
				continue
			}
			j := searchTerm(terms, partner)
			if j < 0 || j == i || terms[j].c != t.c {
				continue
			}
			// Combine: t·cos(u)^-2 · (cos(u)^2 + sin(u)^2).
			var xbuf [16]*Node
			x := append(xbuf[:0], fs[:fi]...)
			if reduced != nil {
				x = append(x, reduced)
			}
			x = append(x, fs[fi+1:]...)
			switch len(x) {
			case 0:
				c += t.c
			case 1:
				extra, c = b.addInto(extra, c, x[0], t.c)
			default:
				extra = append(extra, term{b.intern(KMul, 0, 1, "", x), t.c})
			}
			terms[i].c, terms[j].c = 0, 0
			changed = true
			break
		}
	}
	if !changed {
		return terms, c, false
	}
	out := make([]term, 0, len(terms)+len(extra))
	for _, t := range terms {
		if t.c != 0 {
			out = append(out, t)
		}
	}
	return append(out, extra...), c, true
}

// pythPartner returns, for the factors fs of a term and the index fi of a
// factor cos(u)^n, the existing base node whose factors are fs with
// cos(u)^n replaced by cos(u)^(n-2) (reduced, nil when n = 2) and sin(u)^m
// by sin(u)^(m+2). ok is false when that node (or one of its factors) does
// not exist, in which case no term can have it as base.
func (b *Builder) pythPartner(dst, fs []*Node, fi int) (partner, reduced *Node, ok bool) {
	f := fs[fi]
	cosU := f.args[0]
	sinU := b.lookup(KCall, Sin, 0, "", cosU.args)
	if sinU == nil {
		return nil, nil, false
	}
	switch n := f.args[1].val; n {
	case 2:
	case 3:
		reduced = cosU
	default:
		e := b.lookupNum(n - 2)
		if e == nil {
			return nil, nil, false
		}
		pa := [2]*Node{cosU, e}
		if reduced = b.lookup(KPow, 0, 0, "", pa[:]); reduced == nil {
			return nil, nil, false
		}
	}
	sinDone := false
	for k, g := range fs {
		if k == fi {
			if reduced != nil {
				dst = append(dst, reduced)
			}
			continue
		}
		if g == sinU || g.kind == KPow && g.args[0] == sinU {
			m := 1.0
			if g != sinU {
				if g.args[1].kind != KNum {
					return nil, nil, false
				}
				m = g.args[1].val
			}
			sinDone = true
			switch m + 2 {
			case 0:
				continue
			case 1:
				dst = append(dst, sinU)
				continue
			}
			e := b.lookupNum(m + 2)
			if e == nil {
				return nil, nil, false
			}
			pa := [2]*Node{sinU, e}
			s := b.lookup(KPow, 0, 0, "", pa[:])
			if s == nil {
				return nil, nil, false
			}
			dst = append(dst, s)
			continue
		}
		dst = append(dst, g)
	}
	if !sinDone {
		// sin(u)^2 cannot exist if the number 2 does not (cos(u)^3 with
		// sin(u) and no 2 anywhere).
		e := b.lookupNum(2)
		if e == nil {
			return nil, nil, false
		}
		pa := [2]*Node{sinU, e}
		s := b.lookup(KPow, 0, 0, "", pa[:])
		if s == nil {
			return nil, nil, false
		}
		// Insert in canonical order (by the factor's base ID).
		dst = append(dst, s)
		for k := len(dst) - 1; k > 0 && factorBaseID(dst[k]) < factorBaseID(dst[k-1]); k-- {
			dst[k], dst[k-1] = dst[k-1], dst[k]
		}
	}
	switch len(dst) {
	case 0:
		return nil, nil, false // the partner would be the constant: not handled
	case 1:
		return dst[0], reduced, true
	}
	return b.lookup(KMul, 0, 1, "", dst), reduced, true
}

func factorBaseID(f *Node) int32 {
	if f.kind == KPow {
		return f.args[0].id
	}
	return f.id
}

// searchTerm returns the index of the term with the given base in terms
// sorted by base ID (zeroed terms included), or -1.
func searchTerm(terms []term, base *Node) int {
	if base == nil {
		return -1
	}
	lo, hi := 0, len(terms)
	for lo < hi {
		m := (lo + hi) / 2
		if terms[m].base.id < base.id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(terms) && terms[lo].base == base {
		return lo
	}
	return -1
}
