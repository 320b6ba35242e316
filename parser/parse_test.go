package parser

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func parseExpr(t testing.TB, src string) (Expr, error) {
	t.Helper()
	f, err := Parse("x.lag", []byte("system A lagrangian = "+src))
	if err != nil {
		return nil, err
	}
	return f.Stmts[1].(*LagrangianStmt).Value, nil
}

func TestExprParseTrees(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"1", "1"},
		{"2.5e-3", "2.5e-3"},
		{"x", "x"},
		{"θ1_b", "θ1_b"},
		{"-x^2", "(- (^ x 2))"},
		{"a^b^c", "(^ a (^ b c))"},
		{"2^-1", "(^ 2 (- 1))"},
		{"-2^-x^2", "(- (^ 2 (- (^ x 2))))"},
		{"a - b - c", "(- (- a b) c)"},
		{"a / b * c", "(* (/ a b) c)"},
		{"a + b*c^d", "(+ a (* b (^ c d)))"},
		{"(a + b)*c", "(* (paren (+ a b)) c)"},
		{"- -a", "(- (- a))"},
		{"+a", "(+ a)"},
		{"a*-b", "(* a (- b))"},
		{"x[i-1]", "(index x (- i 1))"},
		{"W[i][j]", "(index W i j)"},
		{"atan2(y, x)", "(atan2 y x)"},
		{"dot(x[0])^2", "(^ (dot (index x 0)) 2)"},
		{"f()", "(f)"},
		{"sum(i in 0..N-1, x[i])", "(sum i 0 (- N 1) (index x i))"},
		{"sum(i in 0..2, sum(j in i..2, W[i][j]))", "(sum i 0 2 (sum j i 2 (index W i j)))"},
		{"a\n  - b # comment\n  + c", "(+ (- a b) c)"},
	} {
		e, err := parseExpr(t, tc.src)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if got := Dump(e); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.src, got, tc.want)
		}
	}
}

func TestStmtParseTrees(t *testing.T) {
	src := `system S
const g = 9.81, N = 3
param m = 1, k[N] = 0.5, W[N][N] = 0
coord q, x[N]
input u[2]
target y
let e = q - y
lagrangian = dot(q)^2
cost = e^2
`
	want := `(system S)
(const (g 9.81) (N 3))
(param (m 1) (k [N] 0.5) (W [N N] 0))
(coord q (x [N]))
(input (u [2]))
(target y)
(let e (- q y))
(lagrangian (^ (dot q) 2))
(cost (^ e 2))`
	f, err := Parse("s.lag", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := Dump(f); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestPositions(t *testing.T) {
	f, err := Parse("p.lag", []byte("system A\n\tcoord φ, x[3] # c\nlagrangian = dot(φ)^2 +\n  x[2]*φ"))
	if err != nil {
		t.Fatal(err)
	}
	d := f.Stmts[1].(*DeclStmt)
	if got := d.Items[1].Name.NamePos.String(); got != "p.lag:2:11" {
		t.Errorf("x at %s (columns count runes)", got)
	}
	if d.Line == nil || d.Line.Text != "# c" {
		t.Errorf("line comment %v", d.Line)
	}
	l := f.Stmts[2].(*LagrangianStmt)
	start, end := l.Span()
	if start.String() != "p.lag:3:1" || end.String() != "p.lag:4:9" {
		t.Errorf("lagrangian span %s..%s", start, end)
	}
	b := l.Value.(*Binary)
	if b.OpPos.String() != "p.lag:3:23" {
		t.Errorf("op at %s", b.OpPos)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "e.lag:1:1: empty file: expected a system statement"},
		{"# nothing\n", "e.lag:1:1: empty file: expected a system statement"},
		{"system A lagrangian = a +* b", `e.lag:1:26: syntax error: unexpected token "*" (expected expression)`},
		{"system A\nlagrangian = (1))", `e.lag:2:17: syntax error: unexpected token ")"`},
		{"system A\nlagrangian = 1 @", `e.lag:2:16: invalid character '@'`},
		{"system A\nlagrangian = 1 \x01", `e.lag:2:16: invalid character U+0001`},
		{"system A\nlagrangian = sum(i in 1..2 x)", `e.lag:2:28: syntax error: unexpected token "x" (expected "," expression ")")`},
		// unclosed brackets are reported at the bracket (issue 11 item 16)
		{"system A\nlagrangian = (dot(x)^2 + x\n", `e.lag:2:14: syntax error: expected ")" to close this "("`},
		{"system A\nlagrangian = (1 + sin(2)\ncost = 1", `e.lag:2:14: syntax error: expected ")" to close this "("`},
		{"system A\nlagrangian = (1 + sin(2\n", `e.lag:2:22: syntax error: expected ")" to close this "("`},
		{"system A\nlagrangian = x[x[", `e.lag:2:17: syntax error: expected "]" to close this "["`},
		{"system A\nlagrangian = (x]", `e.lag:2:16: syntax error: unexpected "]" (expected ")" to close the "(" at 2:14)`},
		{"system A\nlagrangian = x[(1])", `e.lag:2:18: syntax error: unexpected "]" (expected ")" to close the "(" at 2:16)`},
		// ** (issue 11 item 24)
		{"system A\nlagrangian = dot(x)**2", `e.lag:2:20: syntax error: unexpected "**": use ^ for powers (x^2)`},
		{"system A\nlagrangian = x * * 2", `e.lag:2:18: syntax error: unexpected token "*" (expected expression)`},
		{"system \xff", "e.lag:1:8: invalid UTF-8 encoding"},
		{"system in", "e.lag:1:8: cannot use keyword in as a name"},
		{"system A let sum = 1", "e.lag:1:14: cannot use keyword sum as a name"},
		{"system A\nconst x = 1e400", "e.lag:2:11: number 1e400 out of range"},
		{"system A\nlagrangian = " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300),
			"e.lag:2:270: expression nested too deeply (more than 256 levels)"},
	} {
		_, err := Parse("e.lag", []byte(tc.src))
		var list ErrorList
		if !errors.As(err, &list) || len(list) != 1 {
			t.Errorf("%q: got %v, want one error", tc.src, err)
			continue
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("%q:\ngot  %s\nwant %s", tc.src, got, tc.want)
		}
	}
}

func TestErrorList(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Error("empty list is not nil")
	}
	l.Add(Pos{"b", 1, 1}, "z")
	l.Addf(Pos{"a", 2, 1}, "y%d", 1)
	l.Add(Pos{"a", 1, 5}, "x")
	l.Sort()
	if got := l.Err().Error(); got != "a:1:5: x\na:2:1: y1\nb:1:1: z" {
		t.Errorf("got %q", got)
	}
	if got := l.Limit(1).Error(); got != "a:1:5: x\na:2:1: too many errors" {
		t.Errorf("got %q", got)
	}
	if (Pos{}).String() != "-" || (Pos{Line: 2, Col: 3}).String() != "2:3" {
		t.Error("Pos.String")
	}
}

// TestEBNF keeps the grammar in review: a grammar change shows as a diff
// of testdata/grammar.ebnf.golden (rewrite with -update).
func TestEBNF(t *testing.T) {
	golden(t, "testdata/grammar.ebnf.golden", EBNF()+"\n")
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test -update and review the diff):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile("../testdata/double_pendulum.lag")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse("double_pendulum.lag", src); err != nil {
			b.Fatal(err)
		}
	}
}

// TestIdentNFC checks that names are NFC-normalised: a composed and a
// decomposed é are one name (issue 11 item 18).
func TestIdentNFC(t *testing.T) {
	f, err := Parse("n.lag", []byte("system A\ncoord caf\u00e9, cafe\u0301\n"))
	if err != nil {
		t.Fatal(err)
	}
	items := f.Stmts[1].(*DeclStmt).Items
	if a, b := items[0].Name.Name, items[1].Name.Name; a != "caf\u00e9" || b != a {
		t.Errorf("names %q and %q, want both %q", a, b, "caf\u00e9")
	}
	// Columns still count the runes of the source.
	if pos := items[1].Name.NamePos; pos.Col != 13 {
		t.Errorf("second name at %v, want column 13", pos)
	}
}
