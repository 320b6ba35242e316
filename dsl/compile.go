package dsl

import (
	"fmt"
	"go/token"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/lagc/lagc/parser"
	"github.com/lagc/lagc/symbolic"
)

// Limits that keep hostile input from exhausting memory or time.
const (
	// MaxArrayLen is the largest number of elements of one array.
	MaxArrayLen = 1 << 16
	// MaxUnroll is the largest total number of sum iterations in a file.
	MaxUnroll = 100000
)

// Compile parses and checks src and lowers it to symbolic form. On failure
// it returns a nil model and a parser.ErrorList, sorted by position: the
// syntax error, or all semantic errors (at most parser.MaxErrors, then
// "too many errors"). Compile never panics; an unexpected panic becomes an
// "internal error".
func Compile(filename string, src []byte) (*Model, error) {
	f, err := parser.Parse(filename, src)
	if err != nil {
		return nil, err
	}
	return Check(f)
}

// Check checks a parsed file and lowers it to symbolic form; see Compile.
func Check(f *parser.File) (m *Model, err error) { return CheckWith(f, Options{}) }

// Options adjust the lowering.
type Options struct {
	// UnrollLimit is the longest sum that is unrolled into scalar terms;
	// longer sums stay loops. 0 means DefaultUnrollLimit; a negative
	// value keeps every sum outside nonlinear functions a loop.
	UnrollLimit int
	// Consts overrides the values of declared constants by name, as
	// "lagc gen -D NAME=VALUE" does: one source then describes a family
	// of models (array sizes included). Naming a constant that the
	// source does not declare is an error.
	Consts map[string]float64
	// System, if not empty, replaces the name of the system statement
	// (the generated type's name), so that several variants of one
	// source can live in one Go package. It must be an identifier.
	System string
}

// DefaultUnrollLimit is the default Options.UnrollLimit. Sums this short
// are unrolled: the code is then straight-line and common subexpressions
// are shared across their terms. Measured on a driven chain of Duffing
// oscillators (generated code, Level2 Eval): unrolled is about 10% faster
// at 4 sites, even at 8, and 15% and 30% slower than the loop at 16 and
// 32 sites.
const DefaultUnrollLimit = 8

// CompileWith is Compile with options.
func CompileWith(filename string, src []byte, opt Options) (*Model, error) {
	f, err := parser.Parse(filename, src)
	if err != nil {
		return nil, err
	}
	return CheckWith(f, opt)
}

// CheckWith is Check with options.
func CheckWith(f *parser.File, opt Options) (m *Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			m = nil
			err = parser.ErrorList{{Pos: parser.Pos{Filename: f.Filename, Line: 1, Col: 1},
				Msg: fmt.Sprintf("internal error: %v", r)}}
		}
	}()
	c := newChecker(f.Filename, symbolic.NewBuilder(), nil, opt)
	c.m.Filename, c.m.AST = f.Filename, f
	c.check(f)
	c.checkOverrides()
	if len(c.errs) > 0 {
		c.errs.Sort()
		return nil, c.errs.Limit(parser.MaxErrors)
	}
	return c.m, nil
}

type entKind uint8

const (
	eConst entKind = iota
	eParam
	eCoord
	eInput
	eTarget
	eLet
	eIndex // sum index
)

var entKindNames = [...]string{"const", "param", "coord", "input", "target", "let", "sum index"}

func (k entKind) String() string { return entKindNames[k] }

// entity is a declared name.
type entity struct {
	kind   entKind
	name   string
	pos    parser.Pos
	dims   []int
	value  float64          // const, sum index
	syms   []*symbolic.Node // param, coord, input, target: flat elements, made on first use
	offset int              // param, coord, input, target: index of the first element in its vector
	loop   string           // sum index kept as a loop: its variable
	lo, hi Affine           // sum index kept as a loop: its range
	ready  bool             // const: value known; let: lowered

	// let only
	decl     *parser.LetStmt
	node     *symbolic.Node // nil if lowering failed
	lowering bool
	target   string // first target the let uses, "" if none
}

type checker struct {
	filename string
	errs     parser.ErrorList
	seen     map[parser.Error]bool
	later    map[string]parser.Pos // every declared name, for "used before its declaration"
	coords   bool                  // a coord statement was seen
	b        *symbolic.Builder
	m        *Model
	names    map[string]*entity
	locals   []*entity // sum indices in scope, innermost last
	unrolled int
	symsMemo map[*symbolic.Node][]*symbolic.Node
	opt      Options

	// Families (family.go).
	nvars, nsums int
	sums         map[*symbolic.Node]*sumSym
	slotByKey    map[string]*symbolic.Node
	slotRef      map[*symbolic.Node]*elemRef
	velOf        map[*symbolic.Node]*symbolic.Node
	dotSum       map[*symbolic.Node]*symbolic.Node
}

// newChecker returns a checker that lowers into b for model m (a new
// model if nil).
// checkOverrides reports Options.Consts entries that name no declared
// constant and an Options.System that is not an identifier.
func (c *checker) checkOverrides() {
	start := parser.Pos{Filename: c.filename, Line: 1, Col: 1}
	var names []string
	for name := range c.opt.Consts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if e := c.names[name]; e == nil || e.kind != eConst {
			var have []string
			for _, k := range c.m.Consts {
				have = append(have, k.Name)
			}
			c.errorf(start, "cannot set const %s: the source declares no such constant (it has: %s)", name, strings.Join(have, ", "))
		}
	}
	if sys := c.opt.System; sys != "" && !token.IsIdentifier(sys) {
		c.errorf(start, "cannot name the system %q: not an identifier", sys)
	}
}

func newChecker(filename string, b *symbolic.Builder, m *Model, opt Options) *checker {
	if opt.UnrollLimit == 0 {
		opt.UnrollLimit = DefaultUnrollLimit
	}
	if m == nil {
		m = &Model{B: b, Slots: map[*symbolic.Node]*Slot{}, display: map[*symbolic.Node]string{}}
	}
	c := &checker{
		filename:  filename,
		seen:      map[parser.Error]bool{},
		later:     map[string]parser.Pos{},
		symsMemo:  map[*symbolic.Node][]*symbolic.Node{},
		b:         b,
		m:         m,
		names:     map[string]*entity{},
		opt:       opt,
		sums:      map[*symbolic.Node]*sumSym{},
		slotByKey: map[string]*symbolic.Node{},
		slotRef:   map[*symbolic.Node]*elemRef{},
		velOf:     map[*symbolic.Node]*symbolic.Node{},
		dotSum:    map[*symbolic.Node]*symbolic.Node{},
	}
	if m.c == nil {
		m.c = c
	}
	return c
}

// errorf records an error, dropping exact duplicates.
func (c *checker) errorf(pos parser.Pos, format string, args ...any) {
	e := &parser.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
	if c.seen[*e] {
		return
	}
	c.seen[*e] = true
	c.errs = append(c.errs, e)
}

// functions maps the names of the functions source may call to their
// arity: the built-in functions of package symbolic (its table is the one
// place they are described) and the two the language adds, pow(x, y) = x^y
// and dot(e), the total time derivative. functionList lists them for
// messages.
var functions, functionList = func() (map[string]int, string) {
	m := map[string]int{}
	var names []string
	for _, f := range symbolic.SourceFuncs() {
		m[f.String()] = f.Arity()
		names = append(names, f.String())
	}
	m["pow"], m["dot"] = 2, 1
	return m, strings.Join(append(names, "pow", "dot"), " ")
}()

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func (c *checker) check(f *parser.File) {
	var (
		lag, cost  parser.Stmt
		diss       parser.Stmt
		lets       []*entity
		systemSeen parser.Stmt
	)
	for _, s := range f.Stmts {
		switch s := s.(type) {
		case *parser.DeclStmt:
			for _, it := range s.Items {
				if _, ok := c.later[it.Name.Name]; !ok {
					c.later[it.Name.Name] = it.Name.NamePos
				}
			}
			c.coords = c.coords || s.Kind == parser.Coord
		case *parser.LetStmt:
			if _, ok := c.later[s.Name.Name]; !ok {
				c.later[s.Name.Name] = s.Name.NamePos
			}
		}
	}
	first := f.Stmts[0]
	if _, ok := first.(*parser.SystemStmt); !ok {
		c.errorf(first.Base().Pos, "file must start with a system statement (system Name)")
	}
	for _, s := range f.Stmts {
		switch s := s.(type) {
		case *parser.SystemStmt:
			if systemSeen != nil {
				c.errorf(s.Pos, "duplicate system statement (first at %s)", lineCol(systemSeen.Base().Pos))
				continue
			}
			systemSeen = s
			c.m.Name, c.m.Pos = s.Name.Name, s.Name.NamePos
			if c.opt.System != "" {
				c.m.Name = c.opt.System
			}
		case *parser.DeclStmt:
			for _, it := range s.Items {
				c.declare(s.Kind, it)
			}
		case *parser.LetStmt:
			if e := c.define(eLet, s.Name); e != nil {
				e.decl = s
				lets = append(lets, e)
			}
		case *parser.LagrangianStmt:
			if lag != nil {
				c.errorf(s.Pos, "duplicate lagrangian (first at %s)", lineCol(lag.Base().Pos))
				continue
			}
			lag = s
		case *parser.DissipationStmt:
			if diss != nil {
				c.errorf(s.Pos, "duplicate dissipation (first at %s)", lineCol(diss.Base().Pos))
				continue
			}
			diss = s
		case *parser.CostStmt:
			if cost != nil {
				c.errorf(s.Pos, "duplicate cost (first at %s)", lineCol(cost.Base().Pos))
				continue
			}
			cost = s
		}
	}
	if !c.coords {
		c.errorf(first.Base().Pos, "no coordinates declared (coord q)")
	}
	c.allocElements()
	c.m.T = c.b.Sym("t")
	c.m.Slots[c.m.T] = &Slot{Kind: SlotTime}
	for _, e := range lets {
		e.lowering = true
		var target string
		e.node = c.lower(e.decl.Value, &ctx{what: "let " + e.name, target: &target})
		e.lowering, e.ready, e.target = false, true, target
		if e.node != nil {
			c.m.Lets = append(c.m.Lets, Let{Name: e.name, Pos: e.pos, Value: e.node})
		}
	}
	if lag == nil {
		c.errorf(first.Base().Pos, "missing lagrangian statement (lagrangian = ...)")
	} else {
		v := lag.(*parser.LagrangianStmt).Value
		c.m.LagrangianSrc = parser.FormatExpr(v)
		c.m.LagrangianPos = lag.Base().Pos
		if e := c.lower(v, &ctx{what: "lagrangian", noTarget: true}); e != nil {
			if c.m.LTerms = c.terms(e, lag.Base().Pos); c.m.LTerms != nil {
				c.checkVelocities(lag)
			}
		}
	}
	if cost != nil {
		v := cost.(*parser.CostStmt).Value
		c.m.CostSrc = parser.FormatExpr(v)
		c.m.CostPos = cost.Base().Pos
		if e := c.lower(v, &ctx{what: "cost"}); e != nil {
			c.m.CTerms = c.terms(e, cost.Base().Pos)
			c.m.HasCost = true
		}
	}
	if diss != nil && len(c.errs) == 0 {
		v := diss.(*parser.DissipationStmt).Value
		c.m.DissipationSrc = parser.FormatExpr(v)
		c.m.DissipationPos = diss.Base().Pos
		if e := c.lower(v, &ctx{what: "dissipation", noTarget: true}); e != nil {
			if ts := c.terms(e, diss.Base().Pos); ts != nil {
				c.m.RTerms = ts
				c.double()
			}
		}
	}
	c.scalar()
}

// checkVelocities rejects coordinates whose velocity does not occur in
// the Lagrangian: their equation of motion would not be second order.
func (c *checker) checkVelocities(lag parser.Stmt) {
	covered := map[int]bool{}
	for _, t := range c.m.LTerms {
		for _, s := range c.freeSyms(t.Body) {
			sl := c.m.Slots[s]
			if sl == nil || sl.Kind != SlotVel {
				continue
			}
			if len(t.Loops) == 0 {
				covered[sl.Flat.Const] = true
				continue
			}
			EnumLoops(t.Loops, func(val func(string) int) bool {
				covered[sl.Flat.Eval(val)] = true
				return true
			})
		}
	}
	for _, d := range c.m.Coords {
		for i := d.Offset; i < d.Offset+d.Len(); i++ {
			if !covered[i] {
				c.errorf(d.Pos, "lagrangian does not depend on dot(%s): coordinate %s would have no equation of motion of second order",
					c.m.CoordNames[i], c.m.CoordNames[i])
				break
			}
		}
	}
}

func lineCol(p parser.Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// define checks a new name and enters it in the global scope.
func (c *checker) define(kind entKind, id *parser.Ident) *entity {
	if !c.checkName(id) {
		return nil
	}
	if prev := c.names[id.Name]; prev != nil {
		c.errorf(id.NamePos, "%s redeclared (previous declaration at %s)", id.Name, lineCol(prev.pos))
		return nil
	}
	e := &entity{kind: kind, name: id.Name, pos: id.NamePos}
	c.names[id.Name] = e
	return e
}

// checkName rejects declarations of predeclared names.
func (c *checker) checkName(id *parser.Ident) bool {
	switch {
	case id.Name == "t":
		c.errorf(id.NamePos, "cannot declare t: t is time")
		return false
	case functions[id.Name] > 0:
		c.errorf(id.NamePos, "cannot declare %s: it is a built-in function", id.Name)
		return false
	}
	return true
}

func (c *checker) declare(kind parser.DeclKind, it *parser.DeclItem) {
	ek := map[parser.DeclKind]entKind{parser.Const: eConst, parser.Param: eParam, parser.Coord: eCoord,
		parser.Input: eInput, parser.Target: eTarget}[kind]
	e := c.define(ek, it.Name)
	if e == nil {
		return
	}
	n := 1
	for _, d := range it.Dims {
		k, ok := c.constInt(d, "array size")
		if !ok {
			return
		}
		if k <= 0 {
			start, _ := d.Span()
			c.errorf(start, "array size must be a positive integer, got %d", k)
			return
		}
		if n *= k; n > MaxArrayLen {
			start, _ := d.Span()
			c.errorf(start, "array %s is too large (more than %d elements)", e.name, MaxArrayLen)
			return
		}
		e.dims = append(e.dims, k)
	}
	var value float64
	if it.Value != nil {
		what := "const value"
		if kind == parser.Param {
			what = "param default"
		}
		v, ok := c.constEval(it.Value, what)
		if !ok {
			return
		}
		value = v
	}
	names := flatNames(e.name, e.dims)
	d := Decl{Name: e.name, Dims: e.dims, Pos: e.pos}
	switch ek {
	case eConst:
		if v, ok := c.opt.Consts[e.name]; ok {
			value = v
		}
		e.value, e.ready = value, true
		c.m.Consts = append(c.m.Consts, Const{Name: e.name, Pos: e.pos, Value: value})
		return
	case eParam:
		d.Offset = len(c.m.ParamNames)
		for range names {
			d.Default = append(d.Default, value)
		}
		c.m.Params = append(c.m.Params, d)
		c.m.ParamNames = append(c.m.ParamNames, names...)
		c.m.Defaults = append(c.m.Defaults, d.Default...)
	case eCoord:
		d.Offset = len(c.m.CoordNames)
		c.m.Coords = append(c.m.Coords, d)
		c.m.CoordNames = append(c.m.CoordNames, names...)
	case eInput:
		d.Offset = len(c.m.InputNames)
		c.m.Inputs = append(c.m.Inputs, d)
		c.m.InputNames = append(c.m.InputNames, names...)
	case eTarget:
		d.Offset = len(c.m.TargetNames)
		c.m.Targets = append(c.m.Targets, d)
		c.m.TargetNames = append(c.m.TargetNames, names...)
	}
	e.offset = d.Offset
	e.syms = make([]*symbolic.Node, len(names))
	e.ready = true
}

// flatNames expands an array name row-major: x[0], x[1], ... or W[0][0], ...
func flatNames(name string, dims []int) []string {
	names := []string{name}
	for _, k := range dims {
		next := make([]string, 0, len(names)*k)
		for _, p := range names {
			for i := 0; i < k; i++ {
				next = append(next, p+"["+strconv.Itoa(i)+"]")
			}
		}
		names = next
	}
	return names
}

// binding is what a name refers to: a sum index in scope, a declared
// entity, or time.
type binding struct {
	local *entity
	ent   *entity
	time  bool
}

// resolve looks up a name where a value is expected, for constant folding
// and lowering alike: sum indices in scope first, then declarations, then
// t. It reports names used before their declaration, functions used as
// values and undefined names, and then returns ok == false.
func (c *checker) resolve(id *parser.Ident) (binding, bool) {
	if l := c.lookupLocal(id.Name); l != nil {
		return binding{local: l}, true
	}
	if ent := c.names[id.Name]; ent != nil {
		return binding{ent: ent}, true
	}
	if id.Name == "t" {
		return binding{time: true}, true
	}
	if p, ok := c.later[id.Name]; ok {
		c.errorf(id.NamePos, "%s used before its declaration at %s", id.Name, lineCol(p))
		return binding{}, false
	}
	if functions[id.Name] > 0 {
		c.errorf(id.NamePos, "%s is a function, not a value", id.Name)
		return binding{}, false
	}
	c.errorf(id.NamePos, "undefined: %s", id.Name)
	return binding{}, false
}

// lookupLocal finds a sum index in scope.
func (c *checker) lookupLocal(name string) *entity {
	for i := len(c.locals) - 1; i >= 0; i-- {
		if c.locals[i].name == name {
			return c.locals[i]
		}
	}
	return nil
}

// pushIndex declares a sum index: a constant v (unrolled sums) or, if loop
// is not "", the loop variable loop.
func (c *checker) pushIndex(id *parser.Ident, v float64, loop string) bool {
	if !c.checkName(id) {
		return false
	}
	prev := c.lookupLocal(id.Name)
	if prev == nil {
		prev = c.names[id.Name]
	}
	if prev != nil {
		c.errorf(id.NamePos, "sum index %s redeclared (previous declaration at %s)", id.Name, lineCol(prev.pos))
		return false
	}
	c.locals = append(c.locals, &entity{kind: eIndex, name: id.Name, pos: id.NamePos, value: v, loop: loop, ready: true})
	return true
}

// sumRange evaluates the bounds of a sum.
func (c *checker) sumRange(s *parser.Sum) (lo, hi int, ok bool) {
	lo, ok1 := c.constInt(s.Lo, "sum bound")
	hi, ok2 := c.constInt(s.Hi, "sum bound")
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	if hi >= lo {
		c.unrolled += hi - lo + 1
	}
	if c.unrolled > MaxUnroll {
		c.errorf(s.SumPos, "sums too large: more than %d terms after unrolling", MaxUnroll)
		return 0, 0, false
	}
	return lo, hi, true
}

// constInt evaluates an integer constant expression.
func (c *checker) constInt(e parser.Expr, what string) (int, bool) {
	v, ok := c.constEval(e, what)
	if !ok {
		return 0, false
	}
	if v != math.Trunc(v) || math.Abs(v) > 1<<31 {
		start, _ := e.Span()
		c.errorf(start, "%s must be an integer, got %s", what, fmtNum(v))
		return 0, false
	}
	return int(v), true
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// constEval folds a constant expression: numbers, constants, sum indices,
// arithmetic, the built-in functions (not dot) and sums.
func (c *checker) constEval(e parser.Expr, what string) (float64, bool) {
	v, ok := c.constEval1(e, what)
	if ok && (math.IsInf(v, 0) || math.IsNaN(v)) {
		start, _ := e.Span()
		c.errorf(start, "%s is not a finite number", what)
		return 0, false
	}
	return v, ok
}

func (c *checker) constEval1(e parser.Expr, what string) (float64, bool) {
	notConst := func(pos parser.Pos, desc string) (float64, bool) {
		c.errorf(pos, "%s must be a constant expression: %s", what, desc)
		return 0, false
	}
	switch e := e.(type) {
	case *parser.Num:
		return e.Value, true
	case *parser.Paren:
		return c.constEval1(e.X, what)
	case *parser.Ident:
		r, ok := c.resolve(e)
		switch {
		case !ok:
			return 0, false
		case r.local != nil && r.local.loop != "":
			return notConst(e.NamePos, "sum index "+e.Name+" varies")
		case r.local != nil:
			return r.local.value, true
		case r.time:
			return notConst(e.NamePos, "t is time")
		case r.ent.kind != eConst:
			return notConst(e.NamePos, e.Name+" is a "+r.ent.kind.String())
		case !r.ent.ready:
			c.errorf(e.NamePos, "%s used before its declaration", e.Name)
			return 0, false
		}
		return r.ent.value, true
	case *parser.Index:
		if ent := c.names[e.Name.Name]; ent != nil && ent.kind != eConst && ent.kind != eLet {
			return notConst(e.Name.NamePos, e.Name.Name+" is a "+ent.kind.String())
		}
		if c.lookupLocal(e.Name.Name) == nil && c.names[e.Name.Name] == nil {
			c.errorf(e.Name.NamePos, "undefined: %s", e.Name.Name)
			return 0, false
		}
		c.errorf(e.Name.NamePos, "cannot index %s: not an array", e.Name.Name)
		return 0, false
	case *parser.Unary:
		x, ok := c.constEval1(e.X, what)
		if e.Op == parser.Sub {
			x = -x
		}
		return x, ok
	case *parser.Binary:
		x, ok1 := c.constEval1(e.X, what)
		y, ok2 := c.constEval1(e.Y, what)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch e.Op {
		case parser.Add:
			return x + y, true
		case parser.Sub:
			return x - y, true
		case parser.Mul:
			return x * y, true
		case parser.Div:
			if y == 0 {
				c.errorf(e.OpPos, "division by zero")
				return 0, false
			}
			return x / y, true
		default:
			return math.Pow(x, y), true
		}
	case *parser.Call:
		name := e.Name.Name
		if !c.checkCall(e) {
			return 0, false
		}
		if name == "dot" {
			return notConst(e.Name.NamePos, "dot(...) depends on time")
		}
		args := make([]float64, len(e.Args))
		ok := true
		for i, a := range e.Args {
			var okA bool
			args[i], okA = c.constEval1(a, what)
			ok = ok && okA
		}
		if !ok {
			return 0, false
		}
		if name == "pow" {
			return math.Pow(args[0], args[1]), true
		}
		fn, _ := symbolic.FuncByName(name)
		return fn.Apply(args...), true
	case *parser.Sum:
		lo, hi, ok := c.sumRange(e)
		if !ok {
			return 0, false
		}
		total := 0.0
		for i := lo; i <= hi; i++ {
			if !c.pushIndex(e.Var, float64(i), "") {
				return 0, false
			}
			v, ok := c.constEval1(e.Body, what)
			c.locals = c.locals[:len(c.locals)-1]
			if !ok {
				return 0, false
			}
			total += v
		}
		return total, true
	}
	start, _ := e.Span()
	c.errorf(start, "unexpected expression")
	return 0, false
}

// checkCall checks the function name and arity of a call.
func (c *checker) checkCall(e *parser.Call) bool {
	name := e.Name.Name
	arity, ok := functions[name]
	if !ok {
		if ent := c.names[name]; ent != nil {
			c.errorf(e.Name.NamePos, "cannot call %s: it is a %s, not a function", name, ent.kind)
		} else if l := c.lookupLocal(name); l != nil || name == "t" {
			c.errorf(e.Name.NamePos, "cannot call %s: it is not a function", name)
		} else {
			c.errorf(e.Name.NamePos, "undefined function %s (the functions are %s)", name, functionList)
		}
		return false
	}
	if len(e.Args) != arity {
		c.errorf(e.Name.NamePos, "%s takes %s, got %d", name, plural(arity, "argument"), len(e.Args))
		return false
	}
	return true
}
