package dsl

import (
	"github.com/lagc/lagc/symbolic"
)

// Dissipation through Galley's doubled action (docs/math.md §7).
//
// A model with a dissipation statement R is rewritten into an ordinary
// model with 2n coordinates: the averages q₊ of two copies q₁, q₂ (the
// physical coordinates, which keep their symbols) and the separations
// q₋ = q₁ − q₂ (a shadow family "x~" per coordinate declaration x, stored
// after every physical coordinate). Its Lagrangian is
//
//	L_D = L(q₊ + q₋/2, v₊ + v₋/2, t) − L(q₊ − q₋/2, v₊ − v₋/2, t) + K,
//	K   = −Σ_k q₋_k ∂R/∂v_k (q₊, v₊, t).
//
// Both are built term by term, so families stay families: a term of L
// becomes one term with the same loop nest whose body is the difference
// of the body at the shifted slots; a term of R becomes one whose body is
// −Σ over the body's velocity slots s of (the separation at s's index)·
// ∂body/∂s. The physical trajectory q₋ = 0 is a stationary point of the
// doubled action under fixed and periodic conditions; its q₋-equation is
// the damped Euler–Lagrange equation d/dt ∂L/∂v − ∂L/∂q + ∂R/∂v = 0. The
// cost keeps the physical coordinates q₊.

// ShadowSuffix is appended to a coordinate's name to name its separation.
const ShadowSuffix = "~"

// double rewrites the model into its doubled form.
func (c *checker) double() {
	m := c.m
	n := len(m.CoordNames)
	m.Physical = n
	coords := m.Coords
	for _, d := range coords {
		name := d.Name + ShadowSuffix
		ent := &entity{kind: eCoord, name: name, pos: d.Pos, dims: d.Dims, offset: n + d.Offset, ready: true}
		ent.syms = make([]*symbolic.Node, d.Len())
		c.names[name] = ent
		m.Coords = append(m.Coords, Decl{Name: name, Dims: d.Dims, Offset: n + d.Offset, Pos: d.Pos})
		m.CoordNames = append(m.CoordNames, flatNames(name, d.Dims)...)
	}
	m.Q = append(m.Q, make([]*symbolic.Node, n)...)
	m.V = append(m.V, make([]*symbolic.Node, n)...)

	b := c.b
	half := b.Num(0.5)
	var lts []Term
	for _, t := range m.LTerms {
		plus, minus := map[*symbolic.Node]*symbolic.Node{}, map[*symbolic.Node]*symbolic.Node{}
		for _, s := range c.freeSyms(t.Body) {
			sh := c.shadow(s)
			if sh == nil {
				continue
			}
			d := b.Mul(half, sh)
			plus[s], minus[s] = b.Add(s, d), b.Sub(s, d)
		}
		if len(plus) == 0 {
			continue // no coordinate: cancels
		}
		body := b.Sub(c.replace(t.Body, plus), c.replace(t.Body, minus))
		lts = append(lts, Term{Loops: t.Loops, Body: body})
	}
	for _, t := range m.RTerms {
		var ks []*symbolic.Node
		for _, s := range c.freeSyms(t.Body) {
			if sl := m.Slots[s]; sl == nil || sl.Kind != SlotVel {
				continue
			}
			sh := c.shadowCoord(s)
			ks = append(ks, b.Mul(sh, b.Diff(t.Body, s)))
		}
		if len(ks) == 0 {
			continue
		}
		lts = append(lts, Term{Loops: t.Loops, Body: b.Neg(b.Add(ks...))})
	}
	m.LTerms = lts
}

// shadow returns the separation symbol (coordinate or velocity) of a
// physical coordinate or velocity slot s, nil if s is neither.
func (c *checker) shadow(s *symbolic.Node) *symbolic.Node {
	sl := c.m.Slots[s]
	if sl == nil || (sl.Kind != SlotCoord && sl.Kind != SlotVel) {
		return nil
	}
	q := c.shadowCoord(s)
	if sl.Kind == SlotVel {
		return c.velOf[q]
	}
	return q
}

// shadowCoord returns the separation coordinate at the index of the
// coordinate or velocity slot s.
func (c *checker) shadowCoord(s *symbolic.Node) *symbolic.Node {
	name, idx, ok := c.m.Indices(s)
	if !ok {
		panic("dsl: no index for slot " + s.Name())
	}
	ent := c.names[name+ShadowSuffix]
	q := c.ref(ent, idx, false)
	if c.velOf[q] == nil {
		// A constant-index element: ref made its velocity too.
		c.velOf[q] = c.m.V[ent.offset+flatIndex(ent.dims, idx)]
	}
	return q
}

func flatIndex(dims []int, idx []Affine) int {
	f := 0
	for k, a := range idx {
		f = f*dims[k] + a.Const
	}
	return f
}

// Replace rebuilds e with the symbols of env replaced (for derivations
// such as setting the separations of a doubled model to zero).
func (m *Model) Replace(e *symbolic.Node, env map[*symbolic.Node]*symbolic.Node) *symbolic.Node {
	return m.c.replace(e, env)
}

// replace rebuilds e with the symbols of env replaced.
func (c *checker) replace(e *symbolic.Node, env map[*symbolic.Node]*symbolic.Node) *symbolic.Node {
	memo := map[*symbolic.Node]*symbolic.Node{}
	var walk func(n *symbolic.Node) *symbolic.Node
	walk = func(n *symbolic.Node) *symbolic.Node {
		if r, ok := memo[n]; ok {
			return r
		}
		r := n
		switch n.Kind() {
		case symbolic.KNum:
		case symbolic.KSym:
			if x, ok := env[n]; ok {
				r = x
			}
		default:
			args := n.Args()
			nargs := make([]*symbolic.Node, len(args))
			changed := false
			for i, a := range args {
				nargs[i] = walk(a)
				changed = changed || nargs[i] != a
			}
			if changed {
				r = c.rebuild(n, nargs)
			}
		}
		memo[n] = r
		return r
	}
	return walk(e)
}
