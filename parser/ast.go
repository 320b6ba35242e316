package parser

import "unicode/utf8"

// Node is any AST node. Span returns the position of the node's first
// rune and the position just after its last rune.
type Node interface {
	Span() (start, end Pos)
}

// Stmt is a statement. Implementations: *SystemStmt, *DeclStmt, *LetStmt,
// *LagrangianStmt, *CostStmt, *DissipationStmt.
type Stmt interface {
	Node
	// Base returns the fields shared by all statements.
	Base() *StmtBase
	stmtNode()
}

// Expr is an expression. Implementations: *Num, *Ident, *Index, *Unary,
// *Binary, *Call, *Sum, *Paren.
type Expr interface {
	Node
	exprNode()
}

// File is a parsed .lag file.
type File struct {
	Filename string
	Stmts    []Stmt
	// Comments after the last statement.
	Trailing []*Comment
}

// Comment is a "#" or "//" comment. Text includes the marker and excludes
// the newline.
type Comment struct {
	Pos  Pos
	Text string
}

// StmtBase holds what every statement has: its span and the comments
// attached to it by line.
type StmtBase struct {
	Pos, End Pos // first rune of the keyword; just after the last token
	// Doc holds the comments between the previous statement and this one.
	Doc []*Comment
	// Inner holds the comments inside the statement (between its first and
	// last token), e.g. after a term of a multi-line lagrangian.
	Inner []*Comment
	// Line is the comment following the last token on the same line.
	Line *Comment
}

// Base returns b.
func (b *StmtBase) Base() *StmtBase { return b }

// Span returns the statement's span.
func (b *StmtBase) Span() (Pos, Pos) { return b.Pos, b.End }

// SystemStmt is "system Name".
type SystemStmt struct {
	StmtBase
	Name *Ident
}

// DeclKind is the keyword of a declaration.
type DeclKind uint8

// Declaration kinds.
const (
	Const DeclKind = iota
	Param
	Coord
	Input
	Target
)

var declKeywords = [...]string{"const", "param", "coord", "input", "target"}

// String returns the keyword.
func (k DeclKind) String() string {
	if int(k) < len(declKeywords) {
		return declKeywords[k]
	}
	return "DeclKind(?)"
}

// DeclStmt is "const/param/coord/input/target item, item, ...".
type DeclStmt struct {
	StmtBase
	Kind  DeclKind
	Items []*DeclItem
}

// DeclItem is one declared name with optional array dimensions and, for
// const and param, a value (Value is nil for coord, input and target).
type DeclItem struct {
	Name   *Ident
	Dims   []Expr
	Rbrack Pos // the last ']' of Dims, if any
	Value  Expr
}

// Span returns the item's span.
func (d *DeclItem) Span() (Pos, Pos) {
	start, end := d.Name.Span()
	if d.Value != nil {
		_, end = d.Value.Span()
	} else if len(d.Dims) > 0 {
		end = after(d.Rbrack, "]")
	}
	return start, end
}

// LetStmt is "let name = value".
type LetStmt struct {
	StmtBase
	Name  *Ident
	Value Expr
}

// LagrangianStmt is "lagrangian = value".
type LagrangianStmt struct {
	StmtBase
	Value Expr
}

// CostStmt is "cost = value".
type CostStmt struct {
	StmtBase
	Value Expr
}

// DissipationStmt is "dissipation = value": a Rayleigh dissipation
// function.
type DissipationStmt struct {
	StmtBase
	Value Expr
}

func (*DissipationStmt) stmtNode() {}
func (*SystemStmt) stmtNode()      {}
func (*DeclStmt) stmtNode()        {}
func (*LetStmt) stmtNode()         {}
func (*LagrangianStmt) stmtNode()  {}
func (*CostStmt) stmtNode()        {}

// Op is an arithmetic operator.
type Op byte

// Operators. Add and Sub double as unary plus and minus.
const (
	Add Op = '+'
	Sub Op = '-'
	Mul Op = '*'
	Div Op = '/'
	Pow Op = '^'
)

// String returns the operator's symbol.
func (o Op) String() string { return string(rune(o)) }

// Num is a number literal. Lit is the text as written; Value is its value.
type Num struct {
	ValuePos Pos
	Lit      string
	Value    float64
}

// Ident is a name: a reference, a declared name or a function name.
type Ident struct {
	NamePos Pos
	Name    string
}

// Index is an indexed array element, Name[Indices[0]][Indices[1]]...
type Index struct {
	Name    *Ident
	Indices []Expr
	Rbrack  Pos // the last ']'
}

// Unary is Op X, with Op Sub (negation) or Add.
type Unary struct {
	OpPos Pos
	Op    Op
	X     Expr
}

// Binary is X Op Y.
type Binary struct {
	X     Expr
	OpPos Pos
	Op    Op
	Y     Expr
}

// Call is Name(Args...), including dot(e).
type Call struct {
	Name   *Ident
	Lparen Pos
	Args   []Expr
	Rparen Pos
}

// Sum is sum(Var in Lo..Hi, Body) with inclusive bounds.
type Sum struct {
	SumPos Pos
	Var    *Ident
	Lo, Hi Expr
	Body   Expr
	Rparen Pos
}

// Paren is a parenthesised expression, kept so the formatter reproduces
// the parentheses the author wrote.
type Paren struct {
	Lparen Pos
	X      Expr
	Rparen Pos
}

func (*Num) exprNode()    {}
func (*Ident) exprNode()  {}
func (*Index) exprNode()  {}
func (*Unary) exprNode()  {}
func (*Binary) exprNode() {}
func (*Call) exprNode()   {}
func (*Sum) exprNode()    {}
func (*Paren) exprNode()  {}

func after(p Pos, text string) Pos {
	if p.IsValid() {
		p.Col += utf8.RuneCountInString(text)
	}
	return p
}

// Span returns the literal's span.
func (x *Num) Span() (Pos, Pos) { return x.ValuePos, after(x.ValuePos, x.Lit) }

// Span returns the name's span.
func (x *Ident) Span() (Pos, Pos) { return x.NamePos, after(x.NamePos, x.Name) }

// Span returns the element reference's span.
func (x *Index) Span() (Pos, Pos) { return x.Name.NamePos, after(x.Rbrack, "]") }

// Span returns the unary expression's span.
func (x *Unary) Span() (Pos, Pos) {
	_, end := x.X.Span()
	return x.OpPos, end
}

// Span returns the binary expression's span.
func (x *Binary) Span() (Pos, Pos) {
	start, _ := x.X.Span()
	_, end := x.Y.Span()
	return start, end
}

// Span returns the call's span.
func (x *Call) Span() (Pos, Pos) { return x.Name.NamePos, after(x.Rparen, ")") }

// Span returns the sum's span.
func (x *Sum) Span() (Pos, Pos) { return x.SumPos, after(x.Rparen, ")") }

// Span returns the parenthesised expression's span.
func (x *Paren) Span() (Pos, Pos) { return x.Lparen, after(x.Rparen, ")") }

// Span returns the span from the first statement to the last.
func (f *File) Span() (Pos, Pos) {
	if len(f.Stmts) == 0 {
		return Pos{}, Pos{}
	}
	start, _ := f.Stmts[0].Span()
	_, end := f.Stmts[len(f.Stmts)-1].Span()
	return start, end
}
