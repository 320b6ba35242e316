// Package mech derives the quantities a Lagrangian system needs from its
// symbolic Lagrangian: first and second partial derivatives of L and of the
// instantaneous cost, and the Euler–Lagrange residual.
//
// Coordinates q_i and velocities v_i are independent symbols (as in SymPy's
// dynamicsymbols-to-symbol replacement); the total time derivative is the
// chain rule over the state, d/dt = Σ v_i ∂/∂q_i + Σ a_i ∂/∂v_i + ∂/∂t. All
// derivatives go through the Builder's memoised [symbolic.Builder.Diff], so the
// Hessian blocks share subexpressions with the gradients they come from.
package mech

import (
	"fmt"

	"github.com/lagc/lagc/symbolic"
)

// System is a Lagrangian system in symbolic form. Q, V are coordinate and velocity symbols (independent symbols),
// Theta parameters, U inputs, Y targets, T the time symbol. C is the instantaneous cost (nil if none).
//
// Q and V have the same length n; V[i] is the velocity of Q[i]. T may be nil
// for a system without explicit time. U and Y are treated as independent
// symbols: Derive does not differentiate through their time dependence.
type System struct {
	B                 *symbolic.Builder
	Q, V, Theta, U, Y []*symbolic.Node
	T                 *symbolic.Node
	L, C              *symbolic.Node
}

// Derivation holds every derived quantity. Matrices are flat row-major: Lqv[i*n+j] = ∂²L/∂q_i∂v_j, Lthq[a*n+i] = ∂²L/∂θ_a∂q_i.
//
// With n = len(Q) and P = len(Theta): Lq, Lv, Lvt, EL have length n
// (Lvt_i = ∂²L/∂v_i∂t, zero when T is nil); Lqq, Lqv, Lvv are n×n (Lqq and
// Lvv symmetric); Lth has length P; Lthq, Lthv are P×n. The cost blocks
// Cq, Cv (n), Cqq, Cqv, Cvv (n×n), Cth (P) follow the same layout.
type Derivation struct {
	Sys *System
	// A are the acceleration symbols, named "ddot(" + Q[i].Name() + ")".
	A                                           []*symbolic.Node
	Lq, Lv, Lqq, Lqv, Lvv, Lvt, Lth, Lthq, Lthv []*symbolic.Node
	// Cost derivatives: all zero nodes (Num 0) when C is nil.
	Cq, Cv, Cqq, Cqv, Cvv, Cth []*symbolic.Node
	// C is the instantaneous cost, Num 0 when there is none.
	C *symbolic.Node
	// EL is the Euler–Lagrange residual
	// E_i = Σ_j Lvv[i][j] a_j + Σ_j (∂²L/∂v_i∂q_j) v_j + Lvt_i − Lq_i.
	EL []*symbolic.Node
}

// Derive computes every derived quantity of s. It panics if len(Q) != len(V)
// or if Q, V, Theta or T contain a non-symbol (programming errors of the caller).
func Derive(s *System) *Derivation {
	b := s.B
	n := len(s.Q)
	if len(s.V) != n {
		panic(fmt.Sprintf("mech: Derive: %d coordinates but %d velocities", n, len(s.V)))
	}
	checkSyms := func(what string, xs []*symbolic.Node) {
		for i, x := range xs {
			if x == nil || x.Kind() != symbolic.KSym {
				panic(fmt.Sprintf("mech: Derive: %s[%d] is not a symbol", what, i))
			}
		}
	}
	checkSyms("Q", s.Q)
	checkSyms("V", s.V)
	checkSyms("Theta", s.Theta)
	if s.T != nil {
		checkSyms("T", []*symbolic.Node{s.T})
	}
	d := &Derivation{Sys: s}
	zero := b.Num(0)
	d.A = make([]*symbolic.Node, n)
	for i, q := range s.Q {
		d.A[i] = b.Sym("ddot(" + q.Name() + ")")
	}

	grad := func(e *symbolic.Node, xs []*symbolic.Node) []*symbolic.Node {
		g := make([]*symbolic.Node, len(xs))
		for i, x := range xs {
			g[i] = b.Diff(e, x)
		}
		return g
	}
	// jac returns ∂f_a/∂x_j, row-major len(f)×len(xs).
	jac := func(f, xs []*symbolic.Node) []*symbolic.Node {
		m := make([]*symbolic.Node, len(f)*len(xs))
		for a, fa := range f {
			for j, x := range xs {
				m[a*len(xs)+j] = b.Diff(fa, x)
			}
		}
		return m
	}
	// sym returns the symmetric Hessian ∂g_i/∂x_j, computing only j ≥ i.
	sym := func(g, xs []*symbolic.Node) []*symbolic.Node {
		m := make([]*symbolic.Node, n*n)
		for i := range n {
			for j := i; j < n; j++ {
				m[i*n+j] = b.Diff(g[i], xs[j])
				m[j*n+i] = m[i*n+j]
			}
		}
		return m
	}

	L := s.L
	d.Lq = grad(L, s.Q)
	d.Lv = grad(L, s.V)
	d.Lqq = sym(d.Lq, s.Q)
	d.Lqv = jac(d.Lq, s.V)
	d.Lvv = sym(d.Lv, s.V)
	d.Lvt = make([]*symbolic.Node, n)
	for i := range n {
		if s.T != nil {
			d.Lvt[i] = b.Diff(d.Lv[i], s.T)
		} else {
			d.Lvt[i] = zero
		}
	}
	d.Lth = grad(L, s.Theta)
	d.Lthq = jac(d.Lth, s.Q)
	d.Lthv = jac(d.Lth, s.V)

	if s.C != nil {
		d.C = s.C
		d.Cq = grad(s.C, s.Q)
		d.Cv = grad(s.C, s.V)
		d.Cqq = sym(d.Cq, s.Q)
		d.Cqv = jac(d.Cq, s.V)
		d.Cvv = sym(d.Cv, s.V)
		d.Cth = grad(s.C, s.Theta)
	} else {
		zeros := func(k int) []*symbolic.Node {
			z := make([]*symbolic.Node, k)
			for i := range z {
				z[i] = zero
			}
			return z
		}
		d.C = zero
		d.Cq, d.Cv = zeros(n), zeros(n)
		d.Cqq, d.Cqv, d.Cvv = zeros(n*n), zeros(n*n), zeros(n*n)
		d.Cth = zeros(len(s.Theta))
	}

	d.EL = make([]*symbolic.Node, n)
	terms := make([]*symbolic.Node, 0, 2*n+2)
	for i := range n {
		terms = terms[:0]
		for j := range n {
			terms = append(terms, b.Mul(d.Lvv[i*n+j], d.A[j]))
		}
		// ∂²L/∂v_i∂q_j = Lqv[j][i]. The velocity terms of
		// Σ_j Lqv[j][i] v_j − Lq_i largely cancel, but only term by term:
		// the terms of Lqv[j][i] whose product with v_j is a term of Lq_i
		// are added separately (and cancel), the others stay grouped.
		lq := termSet(d.Lq[i])
		for j := range n {
			terms = appendCancelling(b, terms, d.Lqv[j*n+i], s.V[j], lq)
		}
		terms = append(terms, d.Lvt[i], b.Neg(d.Lq[i]))
		d.EL[i] = b.Add(terms...)
	}
	return d
}

// termSet returns the set of the terms of e (e itself if it is not a sum).
func termSet(e *symbolic.Node) map[*symbolic.Node]bool {
	if e.Kind() != symbolic.KAdd {
		return map[*symbolic.Node]bool{e: true}
	}
	set := make(map[*symbolic.Node]bool, len(e.Args()))
	for _, t := range e.Args() {
		set[t] = true
	}
	return set
}

// appendCancelling appends e·v to terms, where e·v is split into the
// products t·v of the terms t of e that are in cancel (each used once) and
// the product of v with the sum of the other terms.
func appendCancelling(b *symbolic.Builder, terms []*symbolic.Node, e, v *symbolic.Node, cancel map[*symbolic.Node]bool) []*symbolic.Node {
	if e.Kind() != symbolic.KAdd {
		return append(terms, b.Mul(e, v))
	}
	var rest []*symbolic.Node
	if c := e.Coef(); c != 0 {
		rest = append(rest, b.Num(c))
	}
	split := false
	for _, t := range e.Args() {
		if p := b.Mul(t, v); cancel[p] {
			delete(cancel, p)
			terms = append(terms, p)
			split = true
		} else {
			rest = append(rest, t)
		}
	}
	if !split {
		return append(terms, b.Mul(e, v))
	}
	return append(terms, b.Mul(b.Add(rest...), v))
}

// TimeDerivative returns the total time derivative of e: Σ ∂e/∂q_i v_i + ∂e/∂t. If e depends on a velocity it returns an error-free
// indicator: (nil, false) so the caller can report an acceleration.
//
// Symbols other than Q and T (parameters, inputs, targets) are treated as
// constant in time. A nil T means no explicit time dependence.
func TimeDerivative(s *System, e *symbolic.Node) (*symbolic.Node, bool) {
	b := s.B
	for _, v := range s.V {
		if b.DependsOn(e, v) {
			return nil, false
		}
	}
	terms := make([]*symbolic.Node, 0, len(s.Q)+1)
	for i, q := range s.Q {
		if b.DependsOn(e, q) {
			terms = append(terms, b.Mul(b.Diff(e, q), s.V[i]))
		}
	}
	if s.T != nil && b.DependsOn(e, s.T) {
		terms = append(terms, b.Diff(e, s.T))
	}
	return b.Add(terms...), true
}

// Outputs returns every derived expression of d in a fixed order, with a
// parallel slice of labels such as "Lqq[0,1]" — convenient for compiling one
// [symbolic.Program] for everything.
func (d *Derivation) Outputs() (exprs []*symbolic.Node, labels []string) {
	n := len(d.Sys.Q)
	add1 := func(name string, xs []*symbolic.Node) {
		for i, x := range xs {
			exprs = append(exprs, x)
			labels = append(labels, fmt.Sprintf("%s[%d]", name, i))
		}
	}
	add2 := func(name string, xs []*symbolic.Node) {
		for k, x := range xs {
			exprs = append(exprs, x)
			labels = append(labels, fmt.Sprintf("%s[%d,%d]", name, k/n, k%n))
		}
	}
	exprs = append(exprs, d.Sys.L)
	labels = append(labels, "L")
	add1("Lq", d.Lq)
	add1("Lv", d.Lv)
	add2("Lqq", d.Lqq)
	add2("Lqv", d.Lqv)
	add2("Lvv", d.Lvv)
	add1("Lvt", d.Lvt)
	add1("Lth", d.Lth)
	add2("Lthq", d.Lthq)
	add2("Lthv", d.Lthv)
	exprs = append(exprs, d.C)
	labels = append(labels, "C")
	add1("Cq", d.Cq)
	add1("Cv", d.Cv)
	add2("Cqq", d.Cqq)
	add2("Cqv", d.Cqv)
	add2("Cvv", d.Cvv)
	add1("Cth", d.Cth)
	add1("EL", d.EL)
	return exprs, labels
}
