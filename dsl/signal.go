package dsl

import (
	"fmt"

	"github.com/lagc/lagc/parser"
	"github.com/lagc/lagc/symbolic"
)

// Signal compiles an expression of time, such as "0.5*cos(2*t)", given for
// one of the model's inputs or targets (on the command line or in a data
// file). It may use numbers, t, the model's constants and the built-in
// functions (not dot, sums are allowed); anything else is an error with its
// position in src, reported under filename. The result is a node of m.B in
// the symbol m.T only. Signal is not safe for concurrent use with other
// uses of m.B.
func (m *Model) Signal(filename, src string) (n *symbolic.Node, err error) {
	e, err := parser.ParseExpr(filename, src)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			n = nil
			err = parser.ErrorList{{Pos: parser.Pos{Filename: filename, Line: 1, Col: 1},
				Msg: fmt.Sprintf("internal error: %v", r)}}
		}
	}()
	c := newChecker(filename, m.B, m, Options{})
	for _, k := range m.Consts {
		c.names[k.Name] = &entity{kind: eConst, name: k.Name, pos: k.Pos, value: k.Value, ready: true}
	}
	// Other declared names are known but not allowed in a signal.
	for _, group := range []struct {
		decls []Decl
		kind  string
	}{{m.Params, "param"}, {m.Coords, "coord"}, {m.Inputs, "input"}, {m.Targets, "target"}} {
		for _, d := range group.decls {
			c.later[d.Name] = d.Pos
		}
	}
	parser.Inspect(e, func(x parser.Expr) {
		var id *parser.Ident
		switch x := x.(type) {
		case *parser.Ident:
			id = x
		case *parser.Index:
			id = x.Name
		case *parser.Call:
			if x.Name.Name == "dot" {
				c.errorf(x.Name.NamePos, "dot is not allowed in a signal: give the signal as an expression of t")
			}
		}
		if id == nil {
			return
		}
		if _, ok := c.later[id.Name]; ok {
			c.errorf(id.NamePos, "%s is a model variable: a signal may use only numbers, t and constants", id.Name)
		}
	})
	if len(c.errs) == 0 {
		n = c.lower(e, &ctx{what: "signal", noTarget: true, unroll: true})
	}
	if len(c.errs) > 0 {
		c.errs.Sort()
		return nil, c.errs.Limit(parser.MaxErrors)
	}
	return n, nil
}
