package parser

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// formatInputs are the files the formatter tests run over: the language
// examples and the formatter's own inputs.
func formatInputs(t *testing.T) []string {
	a, _ := filepath.Glob("../testdata/*.lag")
	b, _ := filepath.Glob("testdata/fmt/*.lag")
	if len(a) == 0 || len(b) == 0 {
		t.Fatal("no test inputs")
	}
	return append(a, b...)
}

// TestFormatGolden compares Format's output with testdata/fmt/NAME.golden
// (rewrite with -update).
func TestFormatGolden(t *testing.T) {
	for _, path := range formatInputs(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(path, src)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		name := strings.TrimSuffix(filepath.Base(path), ".lag")
		golden(t, filepath.Join("testdata/fmt", name+".golden"), string(Format(f)))
	}
}

// TestFormatStable checks that formatting is idempotent and preserves the
// AST (up to positions) and every comment.
func TestFormatStable(t *testing.T) {
	for _, path := range formatInputs(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkFormat(path, src); err != "" {
			t.Errorf("%s: %s", path, err)
		}
	}
}

func allComments(f *File) []string {
	var cs []string
	for _, s := range f.Stmts {
		b := s.Base()
		for _, c := range append(append(b.Doc, b.Inner...), b.Line) {
			if c != nil {
				cs = append(cs, c.Text)
			}
		}
	}
	for _, c := range f.Trailing {
		cs = append(cs, c.Text)
	}
	sort.Strings(cs)
	return cs
}

// checkFormat returns "" if src formats stably, else a description.
func checkFormat(name string, src []byte) string {
	f1, err := Parse(name, src)
	if err != nil {
		return "" // only files that parse are checked
	}
	out1 := Format(f1)
	f2, err := Parse(name, out1)
	if err != nil {
		return "formatted output does not parse: " + err.Error() + "\n" + string(out1)
	}
	if d1, d2 := Dump(f1), Dump(f2); d1 != d2 {
		return "format changed the AST:\n" + d1 + "\n---\n" + d2 + "\n" + string(out1)
	}
	if c1, c2 := allComments(f1), allComments(f2); strings.Join(c1, "\n") != strings.Join(c2, "\n") {
		return "format changed the comments:\n" + strings.Join(c1, "\n") + "\n---\n" + strings.Join(c2, "\n")
	}
	if out2 := Format(f2); string(out2) != string(out1) {
		return "format is not idempotent:\n" + string(out1) + "\n---\n" + string(out2)
	}
	return ""
}

func TestFormatExpr(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"a+b*c", "a + b*c"},
		{"-x ^ 2", "-x^2"},
		{"a^b^c", "a^b^c"},
		{"2^ -1", "2^-1"},
		{"x[ i - 1 ]*W[i][j+1]", "x[i-1]*W[i][j+1]"},
		{"sum(i in 0..N - 1,x[i] + 1)", "sum(i in 0..N-1, x[i] + 1)"},
		{"atan2( y,x )", "atan2(y, x)"},
		{"((a))", "((a))"},
		{"a - -b", "a - -b"},
		{"1.50e+3", "1.50e+3"},
	} {
		e, err := parseExpr(t, tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatExpr(e); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.want)
		}
	}
}

// TestFormatHandBuilt checks that parentheses missing from a constructed
// tree are added by precedence.
func TestFormatHandBuilt(t *testing.T) {
	id := func(s string) *Ident { return &Ident{Name: s} }
	n := func(v float64) *Num { return &Num{Value: v} }
	for _, tc := range []struct {
		e    Expr
		want string
	}{
		{&Binary{X: &Binary{X: id("a"), Op: Add, Y: id("b")}, Op: Mul, Y: id("c")}, "(a + b)*c"},
		{&Binary{X: id("a"), Op: Sub, Y: &Binary{X: id("b"), Op: Sub, Y: id("c")}}, "a - (b - c)"},
		{&Binary{X: &Binary{X: id("a"), Op: Pow, Y: id("b")}, Op: Pow, Y: id("c")}, "(a^b)^c"},
		{&Binary{X: &Unary{Op: Sub, X: id("a")}, Op: Pow, Y: n(-1)}, "(-a)^-1"},
		{&Unary{Op: Sub, X: &Binary{X: id("a"), Op: Mul, Y: id("b")}}, "-(a*b)"},
		{&Binary{X: n(-2), Op: Pow, Y: n(0.5)}, "(-2)^0.5"},
	} {
		if got := FormatExpr(tc.e); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func FuzzFormat(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/*.lag")
	more, _ := filepath.Glob("testdata/fmt/*.lag")
	for _, p := range append(paths, more...) {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("system A lagrangian = a # c\n + b"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if err := checkFormat("fuzz.lag", src); err != "" {
			t.Errorf("%q: %s", src, err)
		}
	})
}
