package parser

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a source position. Line and Col are 1-based; Col counts Unicode
// code points (runes), not bytes, so a tab or a 'φ' each count as one
// column. The zero Pos is invalid and means "no position".
type Pos struct {
	Filename string
	Line     int
	Col      int
}

// IsValid reports whether p carries a line number.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats p as "file:line:col", omitting the file name when it is
// empty and returning just the file name (or "-") when p is invalid.
func (p Pos) String() string {
	if !p.IsValid() {
		if p.Filename != "" {
			return p.Filename
		}
		return "-"
	}
	if p.Filename == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Col)
}

// Before reports whether p comes before q in the same file (by line, then column).
func (p Pos) Before(q Pos) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Col < q.Col
}

// Error is a positioned compile error. It prints as "file:line:col: msg".
type Error struct {
	Pos Pos
	Msg string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is a list of errors. The parser returns at most one syntax
// error; the dsl package collects all semantic errors of a run in one list.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, msg string) { *l = append(*l, &Error{Pos: pos, Msg: msg}) }

// Addf appends an error at pos with a formatted message.
func (l *ErrorList) Addf(pos Pos, format string, args ...any) {
	l.Add(pos, fmt.Sprintf(format, args...))
}

// Len returns the number of errors.
func (l ErrorList) Len() int { return len(l) }

// Sort sorts the list by file name, line, column and message. It is stable,
// so errors at the same position with the same message keep their order.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.Filename != b.Pos.Filename {
			return a.Pos.Filename < b.Pos.Filename
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Msg < b.Msg
	})
}

// MaxErrors is the number of errors Limit keeps by default in the dsl package.
const MaxErrors = 10

// Limit returns the first n errors of l followed, if l had more, by a
// "too many errors" entry at the position of the first dropped error.
func (l ErrorList) Limit(n int) ErrorList {
	if len(l) <= n {
		return l
	}
	out := append(ErrorList(nil), l[:n]...)
	return append(out, &Error{Pos: l[n].Pos, Msg: "too many errors"})
}

// Err returns l as an error, or nil if l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error returns all errors, one per line.
func (l ErrorList) Error() string {
	var sb strings.Builder
	for i, e := range l {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(e.Error())
	}
	return sb.String()
}
