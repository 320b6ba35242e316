package symbolic

import (
	"slices"
	"strconv"
	"strings"
)

// Operator precedences of the infix printers.
const (
	precAdd  = 1 // a + b, a - b
	precMul  = 2 // a*b, a/b, unary minus
	precPow  = 3 // a^b
	precAtom = 4 // symbols, calls, non-negative numbers, parenthesised
)

// Infix returns n as readable math with minimal parentheses, for example
// 0.5*m1*v^2 - k*q. Symbols print by Name(). Precedence is the usual one,
// with unary minus binding looser than ^ (-x^2 means -(x^2)) and a/b*c
// never printed (a denominator with several factors is parenthesised).
// Factors with negative numeric exponents are printed as a division, x^0.5
// as sqrt(x). Shared subexpressions are printed in full each time.
func Infix(n *Node) string {
	p := printer{}
	s, _ := p.expr(n)
	return s
}

// LaTeX returns n as a LaTeX math-mode string such as
// 0.5 m v^{2} - k q or \frac{x}{k v}; it uses the same term and factor order
// as [Infix], \frac for negative powers, \sqrt for x^0.5 and
// \left( \right) for grouping. name maps a symbol to its LaTeX form; nil
// means use Name().
func LaTeX(n *Node, name func(*Node) string) string {
	if name == nil {
		name = (*Node).Name
	}
	p := printer{latex: true, name: name}
	s, _ := p.expr(n)
	return s
}

type printer struct {
	latex bool
	name  func(*Node) string
	temps map[*Node]string // subexpressions printed by name (PrintShared)
	root  *Node            // the expression being printed, never replaced by its temporary
}

func (p *printer) num(v float64) (string, int) {
	prec := precAtom
	if v < 0 || (v == 0 && 1/v < 0) {
		prec = precMul
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if p.latex {
		if i := strings.IndexByte(s, 'e'); i >= 0 {
			exp := strings.TrimPrefix(s[i+1:], "+")
			s = s[:i] + ` \times 10^{` + exp + `}`
		}
		switch s {
		case "+Inf":
			s = `\infty`
		case "-Inf":
			s = `-\infty`
		case "NaN":
			s = `\mathrm{NaN}`
		}
	}
	return s, prec
}

func (p *printer) paren(s string) string {
	if p.latex {
		return `\left(` + s + `\right)`
	}
	return "(" + s + ")"
}

// wrap prints n, parenthesised if its precedence is below min.
func (p *printer) wrap(n *Node, min int) string {
	s, prec := p.expr(n)
	if prec < min {
		return p.paren(s)
	}
	return s
}

func (p *printer) expr(n *Node) (string, int) {
	if name, ok := p.temps[n]; ok && n != p.root {
		return name, precAtom
	}
	switch n.kind {
	case KNum:
		return p.num(n.val)
	case KSym:
		if p.latex {
			return p.name(n), precAtom
		}
		return n.name, precAtom
	case KAdd:
		return p.add(n)
	case KMul:
		return p.mul(n, n.val)
	case KPow:
		if e := n.args[1]; e.kind == KNum && e.val < 0 {
			den, prec := p.pow(n.args[0], n.args[1], -e.val)
			return p.div("1", []string{den}, prec), precMul
		}
		return p.pow(n.args[0], n.args[1], 0)
	case KCall:
		return p.call(n), precAtom
	}
	return "?", precAtom
}

func (p *printer) add(n *Node) (string, int) {
	var sb strings.Builder
	// Display order: canonical, except that the first term without a
	// negative coefficient is moved to the front (x - y rather than -y + x).
	terms := n.args
	for i, t := range terms {
		if !p.negTerm(t) {
			if i > 0 {
				terms = append(append([]*Node{t}, terms[:i]...), terms[i+1:]...)
			}
			break
		}
	}
	for i, t := range terms {
		if i > 0 {
			if p.negTerm(t) {
				s, _ := p.mul(t, -t.val)
				sb.WriteString(" - ")
				sb.WriteString(s)
				continue
			}
			sb.WriteString(" + ")
		}
		sb.WriteString(p.wrap(t, precMul))
	}
	if c := n.val; c != 0 {
		if c < 0 {
			sb.WriteString(" - ")
			c = -c
		} else {
			sb.WriteString(" + ")
		}
		s, _ := p.num(c)
		sb.WriteString(s)
	}
	return sb.String(), precAdd
}

// negTerm reports whether the term t of a sum prints with a minus sign.
func (p *printer) negTerm(t *Node) bool {
	if _, ok := p.temps[t]; ok {
		return false
	}
	return t.kind == KMul && t.val < 0
}

// mul prints the product n with coefficient c in place of n.Coef().
func (p *printer) mul(n *Node, c float64) (string, int) {
	neg := c < 0
	if neg {
		c = -c
	}
	var num, den []string
	denPrec := precAtom
	if c != 1 {
		s, _ := p.num(c)
		num = append(num, s)
	}
	var nf, df []dispFactor
	for _, f := range n.args {
		_, temp := p.temps[f]
		if !temp && f.kind == KPow && f.args[1].kind == KNum && f.args[1].val < 0 {
			s, prec := p.pow(f.args[0], f.args[1], -f.args[1].val)
			df = append(df, dispFactor{s, factorClass(f.args[0])})
			denPrec = min(denPrec, prec)
			continue
		}
		nf = append(nf, dispFactor{p.wrap(f, precPow), factorClass(f)})
	}
	num = appendSorted(num, nf)
	den = appendSorted(den, df)
	numStr := "1"
	if len(num) > 0 {
		numStr = p.joinFactors(num)
	}
	s := numStr
	if len(den) > 0 {
		if len(den) > 1 {
			denPrec = precMul
		}
		s = p.div(numStr, den, denPrec)
	}
	if neg {
		s = "-" + s
	}
	return s, precMul
}

func (p *printer) joinFactors(fs []string) string {
	if !p.latex {
		return strings.Join(fs, "*")
	}
	var sb strings.Builder
	for i, f := range fs {
		if i > 0 {
			if f != "" && (f[0] >= '0' && f[0] <= '9' || f[0] == '.') {
				sb.WriteString(` \cdot `)
			} else {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(f)
	}
	return sb.String()
}

func (p *printer) div(num string, den []string, denPrec int) string {
	d := p.joinFactors(den)
	if p.latex {
		return `\frac{` + num + `}{` + d + `}`
	}
	if denPrec < precPow {
		d = "(" + d + ")"
	}
	return num + "/" + d
}

// pow prints base^exp; if e > 0 it is used as the (numeric) exponent instead of exp.
func (p *printer) pow(base, exp *Node, e float64) (string, int) {
	if e == 0 && exp.kind == KNum {
		e = exp.val
	}
	if e != 0 {
		switch e {
		case 1:
			s, prec := p.expr(base)
			return s, prec
		case 0.5:
			s, _ := p.expr(base)
			if p.latex {
				return `\sqrt{` + s + `}`, precAtom
			}
			return "sqrt(" + s + ")", precAtom
		}
		es, _ := p.num(e)
		if e < 0 && !p.latex {
			es = "(" + es + ")"
		}
		if p.latex {
			return p.wrap(base, precAtom) + "^{" + es + "}", precPow
		}
		return p.wrap(base, precAtom) + "^" + es, precPow
	}
	if p.latex {
		s, _ := p.expr(exp)
		return p.wrap(base, precAtom) + "^{" + s + "}", precPow
	}
	return p.wrap(base, precAtom) + "^" + p.wrap(exp, precAtom), precPow
}

func (p *printer) call(n *Node) string {
	args := make([]string, len(n.args))
	for i, a := range n.args {
		args[i], _ = p.expr(a)
	}
	joined := strings.Join(args, ", ")
	if !p.latex {
		return n.fn.String() + "(" + joined + ")"
	}
	switch n.fn {
	case Abs:
		return `\left|` + joined + `\right|`
	case Sqrt:
		return `\sqrt{` + joined + `}`
	}
	return n.fn.LaTeXName() + `\left(` + joined + `\right)`
}

type dispFactor struct {
	s     string
	class int
}

// factorClass orders factors for display: symbols and their powers, then
// calls, then other powers, then sums.
func factorClass(f *Node) int {
	if f.kind == KPow {
		f = f.args[0]
		if f.kind == KSym {
			return 0
		}
		return 2
	}
	switch f.kind {
	case KSym:
		return 0
	case KCall:
		return 1
	case KAdd:
		return 3
	}
	return 2
}

// appendSorted appends the factors' strings to dst ordered by class, then
// by string, so that products print as 0.5*m*v^2 whatever the creation order.
func appendSorted(dst []string, fs []dispFactor) []string {
	slices.SortStableFunc(fs, func(a, b dispFactor) int {
		if a.class != b.class {
			return a.class - b.class
		}
		return strings.Compare(a.s, b.s)
	})
	for _, f := range fs {
		dst = append(dst, f.s)
	}
	return dst
}
