package parser

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"golang.org/x/text/unicode/norm"
)

// MaxDepth is the deepest expression nesting Parse accepts. Nesting is
// counted before the real parse, over tokens: each open parenthesis or
// bracket, and each unary sign or '^' in an unbroken chain (-x^-y^-z
// counts 5), adds one level.
const MaxDepth = 256

// Keywords are the reserved words of the language. They cannot be used as
// names. The name t (time), the built-in function names and dot are
// predeclared rather than reserved; the dsl package rejects declarations
// that would shadow them.
var Keywords = []string{
	"system", "const", "param", "coord", "input", "target",
	"let", "lagrangian", "cost", "dissipation", "sum", "in",
}

var keywordSet = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range Keywords {
		m[k] = true
	}
	return m
}()

// IsKeyword reports whether name is reserved.
func IsKeyword(name string) bool { return keywordSet[name] }

// Parse parses a .lag file. On failure it returns a nil *File and an
// ErrorList: a single error for a lexical or syntax error (participle stops
// at the first), or all errors found while building the AST (keywords used
// as names, malformed declarations, out-of-range numbers). Parse never
// panics: an unexpected panic becomes an "internal error".
func Parse(filename string, src []byte) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f = nil
			err = ErrorList{{Pos: Pos{Filename: filename, Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error: %v", r)}}
		}
	}()
	p := &parseState{filename: filename}
	f = p.parse(src)
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	return f, nil
}

type parseState struct {
	filename string
	errs     ErrorList
}

func (p *parseState) errorf(pos Pos, format string, args ...any) {
	p.errs.Addf(pos, format, args...)
}

func (p *parseState) pos(lp lexer.Position) Pos {
	return Pos{Filename: p.filename, Line: lp.Line, Col: lp.Column}
}

var (
	symComment = lagLexer.Symbols()["Comment"]
	symWS      = lagLexer.Symbols()["Whitespace"]
	symNumber  = lagLexer.Symbols()["Number"]
	symIdent   = lagLexer.Symbols()["Ident"]
)

func (p *parseState) parse(src []byte) *File {
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		src = src[3:] // byte order mark
	}
	if !utf8.Valid(src) {
		p.errorf(p.invalidUTF8(src), "invalid UTF-8 encoding")
		return nil
	}
	text := string(src)
	comments, ok := p.prescan(text)
	if !ok {
		return nil
	}
	g, err := lagParser.ParseString(p.filename, text)
	if err != nil {
		p.syntaxError(err)
		return nil
	}
	f := p.lowerFile(g)
	if len(p.errs) > 0 {
		return nil
	}
	if len(f.Stmts) == 0 {
		p.errorf(Pos{Filename: p.filename, Line: 1, Col: 1}, "empty file: expected a system statement")
		return nil
	}
	attachComments(f, comments)
	return f
}

// invalidUTF8 returns the position of the first invalid byte.
func (p *parseState) invalidUTF8(src []byte) Pos {
	pos := Pos{Filename: p.filename, Line: 1, Col: 1}
	for len(src) > 0 {
		r, n := utf8.DecodeRune(src)
		if r == utf8.RuneError && n <= 1 {
			return pos
		}
		if r == '\n' {
			pos.Line++
			pos.Col = 1
		} else {
			pos.Col++
		}
		src = src[n:]
	}
	return pos
}

// prescan lexes text once, collecting comments and checking lexical
// errors and nesting depth before participle's recursive descent runs, so
// that pathological input fails fast instead of exhausting the stack.
func (p *parseState) prescan(text string) ([]*Comment, bool) {
	lx, err := lagLexer.LexString(p.filename, text)
	if err != nil {
		p.errorf(Pos{Filename: p.filename, Line: 1, Col: 1}, "%v", err)
		return nil, false
	}
	var (
		comments []*Comment
		chains   = []int{0} // per open bracket level: length of the current sign/'^' chain
		depth    = 0        // open brackets + sum of chains
		operand  = false    // previous token ends an operand
		opens    []lexer.Token
		prev     lexer.Token // previous token other than white space and comments
	)
	resetChain := func() {
		depth -= chains[len(chains)-1]
		chains[len(chains)-1] = 0
	}
	for {
		tok, err := lx.Next()
		if err != nil {
			p.lexError(text, err)
			return nil, false
		}
		if tok.EOF() {
			if len(opens) > 0 {
				o := opens[len(opens)-1]
				p.errorf(p.pos(o.Pos), "syntax error: expected %q to close this %q", closer[o.Value], o.Value)
				return nil, false
			}
			return comments, true
		}
		switch tok.Type {
		case symWS:
			continue
		case symComment:
			comments = append(comments, &Comment{Pos: p.pos(tok.Pos), Text: trimCR(tok.Value)})
			continue
		case symNumber, symIdent:
			operand = true
			prev = tok
			continue
		}
		if tok.Value == "*" && prev.Value == "*" && prev.Pos.Offset+1 == tok.Pos.Offset {
			p.errorf(p.pos(prev.Pos), `syntax error: unexpected "**": use ^ for powers (x^2)`)
			return nil, false
		}
		prev = tok
		switch tok.Value {
		case "(", "[":
			chains = append(chains, 0)
			opens = append(opens, tok)
			depth++
			operand = false
		case ")", "]":
			if len(chains) > 1 {
				if o := opens[len(opens)-1]; closer[o.Value] != tok.Value {
					p.errorf(p.pos(tok.Pos), "syntax error: unexpected %q (expected %q to close the %q at %d:%d)",
						tok.Value, closer[o.Value], o.Value, o.Pos.Line, o.Pos.Column)
					return nil, false
				}
				opens = opens[:len(opens)-1]
				depth -= 1 + chains[len(chains)-1]
				chains = chains[:len(chains)-1]
			}
			operand = true
		case "^":
			chains[len(chains)-1]++
			depth++
			operand = false
		case "-", "+":
			if operand {
				resetChain()
			} else {
				chains[len(chains)-1]++
				depth++
			}
			operand = false
		default: // * / , = ..
			resetChain()
			operand = false
		}
		if depth > MaxDepth {
			p.errorf(p.pos(tok.Pos), "expression nested too deeply (more than %d levels)", MaxDepth)
			return nil, false
		}
	}
}

// closer maps an opening bracket to its closing one.
var closer = map[string]string{"(": ")", "[": "]"}

func trimCR(s string) string {
	for len(s) > 0 && s[len(s)-1] == '\r' {
		s = s[:len(s)-1]
	}
	return s
}

func (p *parseState) lexError(text string, err error) {
	var le participle.Error
	if !errors.As(err, &le) {
		p.errorf(Pos{Filename: p.filename, Line: 1, Col: 1}, "%v", err)
		return
	}
	lp := le.Position()
	if lp.Offset >= 0 && lp.Offset < len(text) {
		r, _ := utf8.DecodeRuneInString(text[lp.Offset:])
		if unicode.IsPrint(r) {
			p.errorf(p.pos(lp), "invalid character %q", r)
		} else {
			p.errorf(p.pos(lp), "invalid character %U", r)
		}
		return
	}
	p.errorf(p.pos(lp), "%s", le.Message())
}

// syntaxError converts participle's (single) error.
func (p *parseState) syntaxError(err error) {
	var pe participle.Error
	if errors.As(err, &pe) {
		msg := pe.Message()
		var ut *participle.UnexpectedTokenError
		if errors.As(err, &ut) && ut.Unexpected.EOF() {
			msg = "unexpected end of file"
			if ut.Expect != "" {
				msg += " (expected " + ut.Expect + ")"
			}
		}
		p.errorf(p.pos(pe.Position()), "syntax error: %s", humanize(msg))
		return
	}
	p.errorf(Pos{Filename: p.filename, Line: 1, Col: 1}, "syntax error: %v", err)
}

var (
	grammarExpr  = regexp.MustCompile(`\bG(Expr|Term|Unary|Power|Primary)\b`)
	grammarNames = strings.NewReplacer("GRparen", `")"`, "GRbrack", `"]"`, "GIdent", "name", "GItem", "name",
		"GNum", "number", "GIndex", `"["`, "GArgs", `"("`)
	grammarOther = regexp.MustCompile(`\bG([A-Z]\w*)`)
)

// humanize replaces grammar struct names in participle's "expected ..."
// lists with words.
func humanize(msg string) string {
	msg = grammarExpr.ReplaceAllString(msg, "expression")
	msg = grammarNames.Replace(msg)
	return grammarOther.ReplaceAllStringFunc(msg, func(s string) string { return strings.ToLower(s[1:]) })
}

// Lowering from the participle tree to the AST.

func (p *parseState) lowerFile(g *gFile) *File {
	f := &File{Filename: p.filename}
	for _, s := range g.Stmts {
		if st := p.lowerStmt(s); st != nil {
			f.Stmts = append(f.Stmts, st)
		}
	}
	return f
}

func (p *parseState) lowerStmt(g *gStmt) Stmt {
	switch {
	case g.System != nil:
		s := &SystemStmt{Name: p.ident(g.System.Name)}
		s.Pos = p.pos(g.Pos)
		_, s.End = s.Name.Span()
		return s
	case g.Decl != nil:
		s := &DeclStmt{}
		for i, k := range declKeywords {
			if k == g.Decl.Kind {
				s.Kind = DeclKind(i)
			}
		}
		s.Pos = p.pos(g.Pos)
		for _, it := range g.Decl.Items {
			item := &DeclItem{Name: p.ident(it.Name)}
			for _, d := range it.Dims {
				item.Dims = append(item.Dims, p.expr(d.X))
				item.Rbrack = p.pos(d.Close.Pos)
			}
			if it.Value != nil {
				item.Value = p.expr(it.Value)
			}
			switch {
			case (s.Kind == Const || s.Kind == Param) && item.Value == nil:
				p.errorf(item.Name.NamePos, "%s %s needs a value (%s %s = ...)", s.Kind, item.Name.Name, s.Kind, item.Name.Name)
			case s.Kind != Const && s.Kind != Param && item.Value != nil:
				start, _ := item.Value.Span()
				p.errorf(start, "%s %s cannot have a value", s.Kind, item.Name.Name)
			case s.Kind == Const && len(item.Dims) > 0:
				p.errorf(item.Name.NamePos, "const %s cannot be an array", item.Name.Name)
			}
			s.Items = append(s.Items, item)
		}
		_, s.End = s.Items[len(s.Items)-1].Span()
		return s
	case g.Let != nil:
		s := &LetStmt{Name: p.ident(g.Let.Name), Value: p.expr(g.Let.Value)}
		s.Pos = p.pos(g.Pos)
		_, s.End = s.Value.Span()
		return s
	case g.Eq != nil:
		v := p.expr(g.Eq.Value)
		_, end := v.Span()
		base := StmtBase{Pos: p.pos(g.Pos), End: end}
		switch g.Eq.Kind {
		case "cost":
			return &CostStmt{StmtBase: base, Value: v}
		case "dissipation":
			return &DissipationStmt{StmtBase: base, Value: v}
		}
		return &LagrangianStmt{StmtBase: base, Value: v}
	}
	panic("empty statement")
}

// ident lowers a name, in Unicode normalisation form NFC: a composed and a
// decomposed é are the same name.
func (p *parseState) ident(g *gIdent) *Ident {
	id := &Ident{NamePos: p.pos(g.Pos), Name: norm.NFC.String(g.Name)}
	if IsKeyword(g.Name) {
		p.errorf(id.NamePos, "cannot use keyword %s as a name", g.Name)
	}
	return id
}

func (p *parseState) expr(g *gExpr) Expr {
	x := p.term(g.Left)
	for _, r := range g.Rest {
		x = &Binary{X: x, OpPos: p.pos(r.Pos), Op: Op(r.Op[0]), Y: p.term(r.Term)}
	}
	return x
}

func (p *parseState) term(g *gTerm) Expr {
	x := p.unary(g.Left)
	for _, r := range g.Rest {
		x = &Binary{X: x, OpPos: p.pos(r.Pos), Op: Op(r.Op[0]), Y: p.unary(r.X)}
	}
	return x
}

func (p *parseState) unary(g *gUnary) Expr {
	if g.Power == nil {
		return &Unary{OpPos: p.pos(g.Pos), Op: Op(g.Op[0]), X: p.unary(g.X)}
	}
	x := p.primary(g.Power.Base)
	if e := g.Power.Exp; e != nil {
		x = &Binary{X: x, OpPos: p.pos(e.Pos), Op: Pow, Y: p.unary(e.X)}
	}
	return x
}

func (p *parseState) primary(g *gPrimary) Expr {
	switch {
	case g.Num != nil:
		n := &Num{ValuePos: p.pos(g.Num.Pos), Lit: g.Num.Lit}
		v, err := strconv.ParseFloat(n.Lit, 64)
		if err != nil || math.IsInf(v, 0) {
			p.errorf(n.ValuePos, "number %s out of range", n.Lit)
		}
		n.Value = v
		return n
	case g.Sum != nil:
		s := g.Sum
		return &Sum{SumPos: p.pos(s.Pos), Var: p.ident(s.Var), Lo: p.expr(s.Lo), Hi: p.expr(s.Hi),
			Body: p.expr(s.Body), Rparen: p.pos(s.Close.Pos)}
	case g.Paren != nil:
		return &Paren{Lparen: p.pos(g.Paren.Pos), X: p.expr(g.Paren.X), Rparen: p.pos(g.Paren.Close.Pos)}
	case g.Ref != nil:
		name := p.ident(g.Ref.Name)
		if a := g.Ref.Args; a != nil {
			c := &Call{Name: name, Lparen: p.pos(a.Pos), Rparen: p.pos(a.Close.Pos)}
			for _, x := range a.Args {
				c.Args = append(c.Args, p.expr(x))
			}
			return c
		}
		if len(g.Ref.Index) > 0 {
			ix := &Index{Name: name}
			for _, d := range g.Ref.Index {
				ix.Indices = append(ix.Indices, p.expr(d.X))
				ix.Rbrack = p.pos(d.Close.Pos)
			}
			return ix
		}
		return name
	}
	panic("empty primary expression")
}

// attachComments assigns each comment to a statement: Inner if it lies
// within a statement, Line if it follows a statement's last token on the
// same line, otherwise Doc of the next statement or, at the end, the file's
// Trailing comments.
func attachComments(f *File, comments []*Comment) {
	j := 0 // first statement that does not end before the comment
	for _, c := range comments {
		for j < len(f.Stmts) && !c.Pos.Before(f.Stmts[j].Base().End) {
			j++
		}
		if j < len(f.Stmts) && f.Stmts[j].Base().Pos.Before(c.Pos) {
			b := f.Stmts[j].Base()
			b.Inner = append(b.Inner, c)
			continue
		}
		if j > 0 {
			prev := f.Stmts[j-1].Base()
			if prev.End.Line == c.Pos.Line && prev.Line == nil {
				prev.Line = c
				continue
			}
		}
		if j < len(f.Stmts) {
			b := f.Stmts[j].Base()
			b.Doc = append(b.Doc, c)
			continue
		}
		f.Trailing = append(f.Trailing, c)
	}
}
