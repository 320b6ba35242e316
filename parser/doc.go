// Package parser reads .lag files: it owns the grammar, the compact AST
// with positions, positioned errors and the canonical formatter.
//
// # Pipeline
//
// [Parse] checks that the input is UTF-8, lexes it once (collecting
// comments and measuring expression nesting, which is capped at [MaxDepth]
// so that 100,000 open parentheses fail fast instead of exhausting the
// stack), runs the participle parser and immediately lowers participle's
// concrete tree to the AST defined in ast.go. Nothing outside this package
// sees participle types, and only this package imports participle. The
// grammar is printed by [EBNF] and kept as a golden file
// (testdata/grammar.ebnf.golden) so that grammar changes show in review.
//
// # AST
//
// [Stmt] and [Expr] are sealed interfaces. Statements are *SystemStmt,
// *DeclStmt (const, param, coord, input, target), *LetStmt,
// *LagrangianStmt and *CostStmt; each embeds [StmtBase], which holds its
// span and the comments attached to it by line. Expressions are *Num,
// *Ident, *Index, *Unary, *Binary, *Call (including dot), *Sum and *Paren
// (kept so the formatter reproduces the author's parentheses). Every node
// has a Span. [Dump] prints a compact S-expression such as
// (+ a (* b (^ c d))).
//
// # Positions and errors
//
// A [Pos] is 1-based; columns count runes (Unicode code points), so 'φ' or
// a tab is one column. A leading byte order mark is skipped. Errors are
// [Error] values printed "file:line:col: message" and returned as an
// [ErrorList]. Parse reports the first lexical or syntax error (participle
// stops at one) or all errors found while building the AST. Package dsl
// reuses these types for semantic errors.
//
// # Formatting
//
// [Format] prints the canonical layout used by "lagc fmt"; its doc comment
// lists the conventions. It is idempotent and preserves the AST up to
// positions, which the tests and FuzzFormat check.
package parser
