package parser

import (
	"fmt"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
)

// gExprOnly is the grammar of a lone expression, for ParseExpr.
type gExprOnly struct {
	X *gExpr `parser:"@@"`
}

var exprParser = participle.MustBuild[gExprOnly](
	participle.Lexer(lagLexer),
	participle.Elide("Comment", "Whitespace"),
	participle.UseLookahead(2),
)

// ParseExpr parses a single expression in the .lag syntax, such as a
// signal "0.5*cos(2*t)" given on the command line. Positions are relative
// to src, reported under filename. Like Parse it never panics and returns
// an ErrorList on failure.
func ParseExpr(filename, src string) (e Expr, err error) {
	defer func() {
		if r := recover(); r != nil {
			e = nil
			err = ErrorList{{Pos: Pos{Filename: filename, Line: 1, Col: 1}, Msg: fmt.Sprintf("internal error: %v", r)}}
		}
	}()
	p := &parseState{filename: filename}
	if !utf8.ValidString(src) {
		p.errorf(p.invalidUTF8([]byte(src)), "invalid UTF-8 encoding")
		return nil, p.errs
	}
	if _, ok := p.prescan(src); !ok {
		p.errs.Sort()
		return nil, p.errs
	}
	g, perr := exprParser.ParseString(filename, src)
	if perr != nil {
		p.syntaxError(perr)
		return nil, p.errs
	}
	e = p.expr(g.X)
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	return e, nil
}
