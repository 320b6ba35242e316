package compiler

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/lagc/lagc/dsl"
	"github.com/lagc/lagc/symbolic"
)

// An Equation is the Euler–Lagrange equation of one coordinate family for
// a generic element, for example x[k] with k = 0..N−1:
//
//	d/dt ∂L/∂dot(x[k]) − ∂L/∂x[k] = Σ_parts [guard] Σ_{sums} expr = 0.
//
// Each term of the Lagrangian contributes one part per occurrence of the
// family in it: the occurrence's index is solved for the term's loop
// variables (x[i+1] in a sum over i gives i = k−1, guarded by the range of
// i), and the loop variables left over stay summed (docs/math.md §9).
type Equation struct {
	Coord string // the generic element, "x[k]" or "W[k1][k2]"
	Range string // "k = 0..19", "" for a scalar
	Parts []Part
}

// Part is one contribution to an Equation.
type Part struct {
	Guard string // "" or a condition on the generic index, "k >= 1"
	Sums  string // "" or the loops left over, "Σ_{j=0..19}"
	Expr  *symbolic.Node
	// Hidden is set when the occurrence's index could not be solved
	// (a coefficient other than ±1); Expr is nil then.
	Hidden bool
}

var internalVar = regexp.MustCompile(`#[0-9]+`)

// Show prints an expression with loop variables under their source names.
func Show(e *symbolic.Node) string { return internalVar.ReplaceAllString(symbolic.Infix(e), "") }

// String formats the equation on several lines.
func (q *Equation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", q.Coord)
	if q.Range != "" {
		fmt.Fprintf(&b, ", %s", q.Range)
	}
	b.WriteString(":\n")
	for i, p := range q.Parts {
		op := "+ "
		if i == 0 {
			op = "  "
		}
		b.WriteString("  " + op)
		if p.Guard != "" {
			b.WriteString("[" + p.Guard + "] ")
		}
		if p.Sums != "" {
			b.WriteString(p.Sums + " ")
		}
		if p.Hidden {
			b.WriteString("(a term whose index is not solvable for k; see the generated code)")
		} else {
			s := Show(p.Expr)
			if p.Guard != "" || p.Sums != "" {
				s = "(" + s + ")"
			}
			b.WriteString(s)
		}
		b.WriteString("\n")
	}
	b.WriteString("  = 0\n")
	return b.String()
}

// genericIndex returns the name of the generic index of the equations:
// "k", unless the source's sums use k (or k1, k2, ...) as a loop
// variable, whose Σ would then read as if it summed over the generic
// element; then the first of "n", "m", "k_" (and so on) that they do not.
func genericIndex(m *dsl.Model) string {
	used := map[string]bool{}
	for _, ts := range [][]dsl.Term{m.LTerms, m.CTerms} {
		for _, t := range ts {
			for _, l := range t.Loops {
				used[dsl.DisplayVar(l.Var)] = true
			}
		}
	}
	clash := func(k string) bool {
		if used[k] {
			return true
		}
		for v := range used {
			if strings.HasPrefix(v, k) && strings.Trim(v[len(k):], "0123456789") == "" {
				return true
			}
		}
		return false
	}
	for _, k := range []string{"k", "n", "m"} {
		if !clash(k) {
			return k
		}
	}
	k := "k_"
	for clash(k) {
		k += "_"
	}
	return k
}

// Equations returns the Euler–Lagrange equation of every coordinate
// declaration for a generic element.
func (u *Unit) Equations() []Equation {
	m := u.Model
	b := m.B
	var eqs []Equation
	base := genericIndex(m)
	for _, d := range m.Coords {
		eq := Equation{Coord: d.Name}
		var kvars []string
		var kidx []dsl.Affine
		if len(d.Dims) > 0 {
			var rs []string
			for j, n := range d.Dims {
				k := base
				if len(d.Dims) > 1 {
					k = fmt.Sprintf("%s%d", base, j+1)
				}
				kvars = append(kvars, k)
				kidx = append(kidx, dsl.VarAffine(k))
				rs = append(rs, fmt.Sprintf("%s = 0..%d", k, n-1))
			}
			eq.Coord = d.Name + "[" + strings.Join(kvars, "][") + "]"
			eq.Range = strings.Join(rs, ", ")
		}
		xk := m.Q[d.Offset]
		if len(d.Dims) > 0 {
			xk = m.Ref(d.Name, kidx)
		} else if xk == nil {
			continue
		}
		for _, t := range m.LTerms {
			for _, s := range freeSyms(t.Body) {
				sl := m.Slots[s]
				if sl == nil || (sl.Kind != dsl.SlotCoord && sl.Kind != dsl.SlotVel) {
					continue
				}
				array, idx, ok := m.Indices(s)
				if !ok || array != d.Name {
					continue
				}
				// Solve the occurrence's indices for the loops.
				env, rest, guards, ok := solveIndex(d, t.Loops, idx, kvars)
				if !ok {
					eq.Parts = append(eq.Parts, Part{Hidden: true})
					continue
				}
				if sl.Kind == dsl.SlotVel && hasCoordSlot(m, t.Body, s) {
					continue // counted with the coordinate occurrence
				}
				// The element the occurrence becomes: x[k], or x[0][k2]
				// where an index is constant.
				tidx := make([]dsl.Affine, len(idx))
				for j, a := range idx {
					if a.IsConst() {
						tidx[j] = a
					} else {
						tidx[j] = dsl.VarAffine(kvars[j])
					}
				}
				x := xk
				if len(idx) > 0 {
					x = m.Ref(d.Name, tidx)
				}
				v := m.VelocityOf(x)
				f := m.Subst(t.Body, env)
				e := b.Sub(timeDerivative(m, b.Diff(f, v)), b.Diff(f, x))
				if e.IsNum(0) {
					continue
				}
				p := Part{Expr: e, Guard: strings.Join(guards, " && ")}
				var sums []string
				for _, l := range rest {
					sums = append(sums, fmt.Sprintf("Σ_{%s=%s..%s}", dsl.DisplayVar(l.Var), l.Lo.Subst(env), l.Hi.Subst(env)))
				}
				p.Sums = strings.Join(sums, " ")
				eq.Parts = mergePart(b, eq.Parts, p)
			}
		}
		eqs = append(eqs, eq)
	}
	return eqs
}

// mergePart adds p to parts, summing it into a part with the same guard
// and sums.
func mergePart(b *symbolic.Builder, parts []Part, p Part) []Part {
	for i := range parts {
		if !parts[i].Hidden && parts[i].Guard == p.Guard && parts[i].Sums == p.Sums {
			parts[i].Expr = b.Add(parts[i].Expr, p.Expr)
			return parts
		}
	}
	return append(parts, p)
}

// hasCoordSlot reports whether body also has the coordinate slot whose
// velocity is v (then the pair is handled once, at the coordinate).
func hasCoordSlot(m *dsl.Model, body, v *symbolic.Node) bool {
	for _, s := range freeSyms(body) {
		if m.VelocityOf(s) == v {
			return true
		}
	}
	return false
}

// solveIndex solves flat(vars) = offset + row-major(k) for the loop
// variables, one dimension at a time, each by a variable with coefficient
// ±1. It returns the substitution, the loops left over and guards.
func solveIndex(d dsl.Decl, loops []dsl.Loop, idx []dsl.Affine, kvars []string) (map[string]dsl.Affine, []dsl.Loop, []string, bool) {
	env := map[string]dsl.Affine{}
	var guards []string
	solved := map[string]bool{}
	for j, a := range idx {
		a = a.Subst(env)
		k := dsl.VarAffine(kvars[j])
		if a.IsConst() {
			guards = append(guards, fmt.Sprintf("%s = %d", kvars[j], a.Const))
			continue
		}
		pick := ""
		for i, v := range a.Vars {
			if (a.Coefs[i] == 1 || a.Coefs[i] == -1) && !solved[v] && isLoopVar(loops, v) {
				pick = v
				break
			}
		}
		if pick == "" {
			return nil, nil, nil, false
		}
		c := a.Coef(pick)
		// c·pick + rest = k  ⇒  pick = c·(k − rest).
		rest := a.Add(dsl.VarAffine(pick), -c)
		sol := k.Add(rest, -1).Scale(c)
		for v := range env {
			env[v] = env[v].Subst(map[string]dsl.Affine{pick: sol})
		}
		env[pick] = sol
		solved[pick] = true
	}
	var rest []dsl.Loop
	for _, l := range loops {
		if !solved[l.Var] {
			rest = append(rest, l)
			continue
		}
		v := env[l.Var]
		lo, hi := l.Lo.Subst(env), l.Hi.Subst(env)
		if g := guard(v, lo, hi, d, kvars); g != "" {
			guards = append(guards, g)
		}
	}
	return env, rest, guards, true
}

func isLoopVar(loops []dsl.Loop, v string) bool {
	for _, l := range loops {
		if l.Var == v {
			return true
		}
	}
	return false
}

// guard returns the condition lo ≤ v ≤ hi on the generic index, or "" if
// it holds for every element.
func guard(v, lo, hi dsl.Affine, d dsl.Decl, kvars []string) string {
	always := true
	lin := []dsl.Affine{v.Add(lo, -1), hi.Add(v, -1)} // both must be ≥ 0
	var conds []string
	for side, a := range lin {
		ok := true
		for _, x := range a.Vars {
			if !contains(kvars, x) {
				ok = false // depends on a summed variable: keep it
			}
		}
		holds := ok && forAllK(a, d, kvars)
		if !holds {
			always = false
			bound, op := lo, ">="
			if side == 1 {
				bound, op = hi, "<="
			}
			conds = append(conds, inequality(v, op, bound))
		}
	}
	if always {
		return ""
	}
	return strings.Join(conds, " && ")
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// forAllK reports whether a ≥ 0 for every generic index in range.
func forAllK(a dsl.Affine, d dsl.Decl, kvars []string) bool {
	min := a.Const
	for i, x := range a.Vars {
		for j, k := range kvars {
			if k == x && a.Coefs[i] < 0 {
				min += a.Coefs[i] * (d.Dims[j] - 1)
			}
		}
	}
	return min >= 0
}

// timeDerivative returns de/dt along the motion: Σ ∂e/∂q·dot(q) +
// Σ ∂e/∂dot(q)·ddot(q) + ∂e/∂t.
func timeDerivative(m *dsl.Model, e *symbolic.Node) *symbolic.Node {
	b := m.B
	terms := []*symbolic.Node{b.Diff(e, m.T)}
	for _, s := range freeSyms(e) {
		sl := m.Slots[s]
		if sl == nil {
			continue
		}
		switch sl.Kind {
		case dsl.SlotCoord:
			terms = append(terms, b.Mul(b.Diff(e, s), m.VelocityOf(s)))
		case dsl.SlotVel:
			terms = append(terms, b.Mul(b.Diff(e, s), b.Sym("d"+s.Name())))
		}
	}
	return b.Add(terms...)
}

// inequality prints v op bound, solved for v's variable when v is ±k + c
// and bound is constant: "k <= 22" rather than "k+1 <= 23".
func inequality(v dsl.Affine, op string, bound dsl.Affine) string {
	if len(v.Vars) == 1 && bound.IsConst() && (v.Coefs[0] == 1 || v.Coefs[0] == -1) {
		c := bound.Const - v.Const
		if v.Coefs[0] == -1 {
			c = -c
			op = map[string]string{">=": "<=", "<=": ">="}[op]
		}
		return fmt.Sprintf("%s %s %d", dsl.DisplayVar(v.Vars[0]), op, c)
	}
	return fmt.Sprintf("%s %s %s", v, op, bound)
}
