package parser

import (
	"regexp"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// This file is the concrete grammar: participle structs that exist only
// to be lowered (lower.go) into the compact AST. Nothing outside this
// package sees them.

// lagLexer tokenises .lag source. Newlines are ordinary white space.
var lagLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Comment", Pattern: `(?:#|//)[^\n]*`},
	{Name: "Whitespace", Pattern: `[ \t\r\n]+`},
	{Name: "Number", Pattern: `[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`},
	{Name: "Ident", Pattern: `[\p{L}_][\p{L}\p{M}\p{N}_]*`},
	{Name: "Punct", Pattern: `\.\.|[-+*/^()\[\],=]`},
})

type gFile struct {
	Stmts []*gStmt `parser:"@@*"`
}

type gStmt struct {
	Pos    lexer.Position
	System *gSystem `parser:"  @@"`
	Decl   *gDecl   `parser:"| @@"`
	Let    *gLet    `parser:"| @@"`
	Eq     *gEq     `parser:"| @@"`
}

type gSystem struct {
	Pos  lexer.Position
	Name *gIdent `parser:"\"system\" @@"`
}

type gDecl struct {
	Pos   lexer.Position
	Kind  string   `parser:"@(\"const\" | \"param\" | \"coord\" | \"input\" | \"target\")"`
	Items []*gItem `parser:"@@ ( \",\" @@ )*"`
}

type gItem struct {
	Pos   lexer.Position
	Name  *gIdent   `parser:"@@"`
	Dims  []*gIndex `parser:"@@*"`
	Value *gExpr    `parser:"( \"=\" @@ )?"`
}

type gLet struct {
	Pos   lexer.Position
	Name  *gIdent `parser:"\"let\" @@"`
	Value *gExpr  `parser:"\"=\" @@"`
}

type gEq struct {
	Pos   lexer.Position
	Kind  string `parser:"@(\"lagrangian\" | \"cost\" | \"dissipation\")"`
	Value *gExpr `parser:"\"=\" @@"`
}

type gIdent struct {
	Pos  lexer.Position
	Name string `parser:"@Ident"`
}

// gExpr is a sum of terms: Term (("+"|"-") Term)*.
type gExpr struct {
	Left *gTerm    `parser:"@@"`
	Rest []*gAddOp `parser:"@@*"`
}

type gAddOp struct {
	Pos  lexer.Position
	Op   string `parser:"@(\"+\" | \"-\")"`
	Term *gTerm `parser:"@@"`
}

// gTerm is a product: Unary (("*"|"/") Unary)*.
type gTerm struct {
	Left *gUnary   `parser:"@@"`
	Rest []*gMulOp `parser:"@@*"`
}

type gMulOp struct {
	Pos lexer.Position
	Op  string  `parser:"@(\"*\" | \"/\")"`
	X   *gUnary `parser:"@@"`
}

// gUnary is a signed power; "^" binds tighter than unary minus.
type gUnary struct {
	Pos   lexer.Position
	Op    string  `parser:"(  @(\"-\" | \"+\")"`
	X     *gUnary `parser:"   @@ )"`
	Power *gPower `parser:"| @@"`
}

// gPower is Primary ("^" Unary)?: right-associative, and the exponent may
// carry a sign (2^-1).
type gPower struct {
	Base *gPrimary  `parser:"@@"`
	Exp  *gExponent `parser:"@@?"`
}

type gExponent struct {
	Pos lexer.Position
	X   *gUnary `parser:"\"^\" @@"`
}

type gPrimary struct {
	Num   *gNum   `parser:"  @@"`
	Sum   *gSum   `parser:"| @@"`
	Ref   *gRef   `parser:"| @@"`
	Paren *gParen `parser:"| @@"`
}

type gNum struct {
	Pos lexer.Position
	Lit string `parser:"@Number"`
}

type gSum struct {
	Pos   lexer.Position
	Var   *gIdent  `parser:"\"sum\" \"(\" @@ \"in\""`
	Lo    *gExpr   `parser:"@@ \"..\""`
	Hi    *gExpr   `parser:"@@ \",\""`
	Body  *gExpr   `parser:"@@"`
	Close *gRparen `parser:"@@"`
}

// gRef is a name, a call or an indexed element.
type gRef struct {
	Name  *gIdent   `parser:"@@"`
	Args  *gArgs    `parser:"( @@"`
	Index []*gIndex `parser:"| @@+ )?"`
}

type gArgs struct {
	Pos   lexer.Position
	Args  []*gExpr `parser:"\"(\" ( @@ ( \",\" @@ )* )?"`
	Close *gRparen `parser:"@@"`
}

type gIndex struct {
	Pos   lexer.Position
	X     *gExpr   `parser:"\"[\" @@"`
	Close *gRbrack `parser:"@@"`
}

type gParen struct {
	Pos   lexer.Position
	X     *gExpr   `parser:"\"(\" @@"`
	Close *gRparen `parser:"@@"`
}

type gRparen struct {
	Pos lexer.Position
	Tok string `parser:"@\")\""`
}

type gRbrack struct {
	Pos lexer.Position
	Tok string `parser:"@\"]\""`
}

var lagParser = participle.MustBuild[gFile](
	participle.Lexer(lagLexer),
	participle.Elide("Comment", "Whitespace"),
	participle.UseLookahead(2),
)

// EBNF returns the grammar of the language in EBNF, as printed by
// participle. Lexer tokens are lower case: comment, whitespace, number
// (`[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`), ident (a Unicode letter or '_'
// followed by letters, marks, digits and '_') and punct.
func EBNF() string { return ebnfNames.ReplaceAllString(lagParser.String(), "$1") }

// ebnfNames strips the "g" prefix of the grammar struct names.
var ebnfNames = regexp.MustCompile(`\bG([A-Z])`)
