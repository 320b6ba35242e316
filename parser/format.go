package parser

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// LineWidth is the column limit beyond which Format breaks the expression
// of a let, lagrangian or cost statement before a top-level '+' or '-'.
const LineWidth = 80

// Format returns the canonical text of f (what "lagc fmt" prints):
//
//   - one statement per line; declarations list their items separated by
//     ", " (param m1 = 1.0, m2 = 0.7);
//   - single spaces around '=' and around binary '+' and '-'; no spaces
//     around '*', '/' and '^', after a unary sign, or inside brackets and
//     sum bounds, where '+' and '-' are also written tight (x[i-1],
//     sum(i in 0..N-1, e)); ", " between call arguments;
//   - number literals and parentheses exactly as written (redundant
//     parentheses are kept; parentheses missing from a hand-built tree are
//     added by precedence);
//   - comments kept: those above a statement stay above it, a comment
//     after a statement stays on its line (at least two spaces before the
//     marker; the trailing comments of consecutive lines are aligned, as
//     gofmt does),
//     a comment inside a multi-line let/lagrangian/cost stays after the
//     top-level term it follows, and one inside any other statement moves
//     above it;
//   - runs of blank lines between statements or comments collapse to one;
//     blank lines are never added;
//   - a let, lagrangian or cost is broken before a top-level '+'/'-' term
//     that starts a new line in the source, or where the line would
//     exceed LineWidth columns, each continuation line indented so that
//     the terms line up after "= " and starting with the operator;
//   - the file ends with a single newline.
//
// Format is idempotent on parsed files and preserves meaning: parsing its
// output gives the same AST up to positions.
func Format(f *File) []byte {
	w := &fmtWriter{}
	for _, s := range f.Stmts {
		w.stmt(s)
	}
	for _, c := range f.Trailing {
		w.blankBefore(c.Pos.Line)
		w.line(c.Text)
		w.prev = c.Pos.Line
	}
	return alignComments(w.sb.String())
}

// alignComments aligns the trailing comments of each run of consecutive
// lines that have code followed by a comment, one column past the longest
// code (plus a space). In .lag source '#' and "//" can only start a
// comment.
func alignComments(text string) []byte {
	lines := strings.Split(text, "\n")
	split := func(l string) (code, comment string, ok bool) {
		i := strings.Index(l, "#")
		if j := strings.Index(l, "//"); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i <= 0 || strings.TrimSpace(l[:i]) == "" {
			return "", "", false
		}
		return strings.TrimRight(l[:i], " "), l[i:], true
	}
	for i := 0; i < len(lines); {
		j, col := i, 0
		for ; j < len(lines); j++ {
			code, _, ok := split(lines[j])
			if !ok {
				break
			}
			col = max(col, utf8.RuneCountInString(code))
		}
		for k := i; k < j; k++ {
			code, comment, _ := split(lines[k])
			lines[k] = code + strings.Repeat(" ", col+2-utf8.RuneCountInString(code)) + comment
		}
		i = max(j, i+1)
	}
	return []byte(strings.Join(lines, "\n"))
}

// FormatExpr returns the canonical one-line text of e.
func FormatExpr(e Expr) string {
	var sb strings.Builder
	writeExpr(&sb, e, false)
	return sb.String()
}

type fmtWriter struct {
	sb   strings.Builder
	prev int // source line where the previous item ended; 0 if none
}

func (w *fmtWriter) line(s string) {
	w.sb.WriteString(s)
	w.sb.WriteByte('\n')
}

// blankBefore writes a blank line if the source had one before line.
func (w *fmtWriter) blankBefore(line int) {
	if w.prev > 0 && line > w.prev+1 {
		w.sb.WriteByte('\n')
	}
}

func (w *fmtWriter) stmt(s Stmt) {
	b := s.Base()
	for _, c := range b.Doc {
		w.blankBefore(c.Pos.Line)
		w.line(c.Text)
		w.prev = c.Pos.Line
	}
	w.blankBefore(b.Pos.Line)
	var (
		head  string
		value Expr
	)
	switch s := s.(type) {
	case *SystemStmt:
		head = "system " + s.Name.Name
	case *DeclStmt:
		var sb strings.Builder
		sb.WriteString(s.Kind.String())
		for i, it := range s.Items {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte(' ')
			sb.WriteString(it.Name.Name)
			for _, d := range it.Dims {
				sb.WriteByte('[')
				writeExpr(&sb, d, true)
				sb.WriteByte(']')
			}
			if it.Value != nil {
				sb.WriteString(" = ")
				writeExpr(&sb, it.Value, false)
			}
		}
		head = sb.String()
	case *LetStmt:
		head, value = "let "+s.Name.Name+" = ", s.Value
	case *LagrangianStmt:
		head, value = "lagrangian = ", s.Value
	case *CostStmt:
		head, value = "cost = ", s.Value
	case *DissipationStmt:
		head, value = "dissipation = ", s.Value
	}
	if value == nil {
		// Comments inside a one-line statement move above it.
		for _, c := range b.Inner {
			w.line(c.Text)
		}
		if b.Line != nil {
			head += "  " + b.Line.Text
		}
		w.line(head)
	} else {
		w.equation(b, head, value)
	}
	w.prev = b.End.Line
}

type term struct {
	op       Op // 0 for the first term
	x        Expr
	comments []*Comment
	newLine  bool // the term starts a new line in the source
}

// terms flattens the top-level '+'/'-' chain of e.
func terms(e Expr) []term {
	var ts []term
	for {
		bin, ok := e.(*Binary)
		if !ok || bin.Op != Add && bin.Op != Sub {
			break
		}
		ts = append(ts, term{op: bin.Op, x: bin.Y})
		e = bin.X
	}
	ts = append(ts, term{x: e})
	for i, j := 0, len(ts)-1; i < j; i, j = i+1, j-1 {
		ts[i], ts[j] = ts[j], ts[i]
	}
	for i := 1; i < len(ts); i++ {
		_, prevEnd := ts[i-1].x.Span()
		start, _ := ts[i].x.Span()
		ts[i].newLine = prevEnd.IsValid() && start.IsValid() && start.Line > prevEnd.Line
	}
	return ts
}

// equation writes "head value", breaking before top-level terms when the
// line gets too long or a comment ends it.
func (w *fmtWriter) equation(b *StmtBase, head string, value Expr) {
	ts := terms(value)
	var headComments []*Comment
	for _, c := range b.Inner {
		k := -1 // last term ending at or before the comment
		for i := range ts {
			if _, end := ts[i].x.Span(); !c.Pos.Before(end) {
				k = i
			}
		}
		if k < 0 {
			headComments = append(headComments, c)
		} else {
			ts[k].comments = append(ts[k].comments, c)
		}
	}
	if b.Line != nil {
		last := &ts[len(ts)-1]
		last.comments = append(last.comments, b.Line)
	}
	width := utf8.RuneCountInString(head)
	termIndent := strings.Repeat(" ", width)
	opIndent := strings.Repeat(" ", max(width-2, 0))

	var cur strings.Builder
	curLen := 0
	flush := func() {
		w.line(strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curLen = 0
	}
	put := func(s string) {
		cur.WriteString(s)
		curLen += utf8.RuneCountInString(s)
	}
	put(head)
	forceBreak := false
	for i, c := range headComments {
		if i == 0 {
			put(c.Text)
		} else {
			put(termIndent + c.Text)
		}
		flush()
		forceBreak = true
	}
	for i, t := range ts {
		text := FormatExpr(t.x)
		textLen := utf8.RuneCountInString(text)
		switch {
		case i == 0 && forceBreak:
			put(termIndent + text)
		case i == 0:
			put(text)
		case forceBreak || curLen+3+textLen > LineWidth || t.newLine:
			flush()
			put(opIndent + t.op.String() + " " + text)
		default:
			put(" " + t.op.String() + " " + text)
		}
		forceBreak = false
		for j, c := range t.comments {
			if j == 0 {
				put("  " + c.Text)
			} else {
				flush()
				put(termIndent + c.Text)
			}
			forceBreak = true
		}
	}
	flush()
}

// Precedence levels for printing.
const (
	precAdd = 1 + iota
	precMul
	precUnary
	precPow
	precPrimary
)

func precedence(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		switch e.Op {
		case Add, Sub:
			return precAdd
		case Mul, Div:
			return precMul
		}
		return precPow
	case *Unary:
		return precUnary
	case *Num:
		if numText(e)[0] == '-' {
			return precUnary
		}
	}
	return precPrimary
}

func numText(n *Num) string {
	if n.Lit != "" {
		return n.Lit
	}
	return strconv.FormatFloat(n.Value, 'g', -1, 64)
}

// writeExpr prints e. In compact mode (indices, dimensions, sum bounds)
// binary '+' and '-' get no surrounding spaces.
func writeExpr(sb *strings.Builder, e Expr, compact bool) {
	wrap := func(x Expr, paren bool) {
		if paren {
			sb.WriteByte('(')
		}
		writeExpr(sb, x, compact)
		if paren {
			sb.WriteByte(')')
		}
	}
	switch e := e.(type) {
	case *Num:
		sb.WriteString(numText(e))
	case *Ident:
		sb.WriteString(e.Name)
	case *Index:
		sb.WriteString(e.Name.Name)
		for _, x := range e.Indices {
			sb.WriteByte('[')
			writeExpr(sb, x, true)
			sb.WriteByte(']')
		}
	case *Unary:
		sb.WriteString(e.Op.String())
		wrap(e.X, precedence(e.X) < precUnary)
	case *Binary:
		p := precedence(e)
		if e.Op == Pow {
			wrap(e.X, precedence(e.X) <= precPow)
			sb.WriteByte('^')
			wrap(e.Y, precedence(e.Y) < precUnary)
			return
		}
		wrap(e.X, precedence(e.X) < p)
		if p == precAdd && !compact {
			sb.WriteString(" " + e.Op.String() + " ")
		} else {
			sb.WriteString(e.Op.String())
		}
		wrap(e.Y, precedence(e.Y) <= p)
	case *Call:
		sb.WriteString(e.Name.Name)
		sb.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeExpr(sb, a, false)
		}
		sb.WriteByte(')')
	case *Sum:
		sb.WriteString("sum(" + e.Var.Name + " in ")
		writeExpr(sb, e.Lo, true)
		sb.WriteString("..")
		writeExpr(sb, e.Hi, true)
		sb.WriteString(", ")
		writeExpr(sb, e.Body, false)
		sb.WriteByte(')')
	case *Paren:
		sb.WriteByte('(')
		writeExpr(sb, e.X, compact)
		sb.WriteByte(')')
	}
}
