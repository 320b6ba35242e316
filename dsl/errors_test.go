package dsl

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lagc/lagc/parser"
)

var update = flag.Bool("update", false, "rewrite the expected errors in testdata/errors/errors.lag")

// TestErrors runs the chunks of testdata/errors/errors.lag: each chunk is
// compiled on its own and must report exactly the errors its
// "# ERROR: LINE:COL: message" lines list, in order. The ERROR lines go at
// the end of a chunk so that -update, which rewrites them from the actual
// errors, does not move the code.
func TestErrors(t *testing.T) {
	const path = "../testdata/errors/errors.lag"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	var (
		chunk []string
		out   strings.Builder
	)
	startLine := 1
	run := func() {
		src := strings.Join(chunk, "")
		var want []string
		for _, l := range chunk {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "# ERROR: "); ok {
				want = append(want, "errors.lag:"+rest)
			} else {
				out.WriteString(l)
			}
		}
		_, err := Compile("errors.lag", []byte(src))
		var got []string
		if err != nil {
			var list parser.ErrorList
			if !errors.As(err, &list) {
				t.Errorf("chunk at line %d: error is %T, not parser.ErrorList", startLine, err)
			}
			got = strings.Split(err.Error(), "\n")
		}
		for _, g := range got {
			out.WriteString("# ERROR: " + strings.TrimPrefix(g, "errors.lag:") + "\n")
		}
		if *update {
			return
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("chunk at line %d:\n%s\ngot errors:\n\t%s\nwant:\n\t%s", startLine, src,
				strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
		if len(want) == 0 {
			t.Errorf("chunk at line %d lists no errors", startLine)
		}
	}
	for i, l := range lines {
		if strings.TrimRight(l, "\r\n") == "---" {
			run()
			out.WriteString(l)
			chunk, startLine = nil, i+2
			continue
		}
		chunk = append(chunk, l)
	}
	run()
	if *update {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNonUTF8(t *testing.T) {
	_, err := Compile("bad.lag", []byte("system A\ncoord q # caf\xe9\n"))
	if got, want := fmt.Sprint(err), "bad.lag:2:14: invalid UTF-8 encoding"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTooManyErrors(t *testing.T) {
	var src bytes.Buffer
	src.WriteString("system A\ncoord q\nlagrangian = dot(q)^2")
	for i := 0; i < 15; i++ {
		fmt.Fprintf(&src, "\n + u%d", i)
	}
	_, err := Compile("many.lag", src.Bytes())
	var list parser.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v, want an ErrorList", err)
	}
	if len(list) != 11 || list[10].Msg != "too many errors" || list[10].Pos.Line != 14 {
		t.Errorf("got %d errors:\n%v", len(list), err)
	}
	if list[0].Error() != "many.lag:4:4: undefined: u0" {
		t.Errorf("first error %q", list[0])
	}
}

// TestDeepNesting checks that pathological nesting fails fast with an
// error instead of overflowing the stack. "Fast" is measured as work, not
// time: the error must be reported at the token that exceeds
// parser.MaxDepth, so the scan stopped there (at most 4 bytes a level,
// for "sin(") instead of going on through the 100000 levels.
func TestDeepNesting(t *testing.T) {
	const n = 100000
	const prefix = "system A coord q lagrangian = "
	cases := map[string]string{
		"parens": prefix + strings.Repeat("(", n) + "q" + strings.Repeat(")", n),
		"minus":  prefix + strings.Repeat("-", n) + "q",
		"pow":    prefix + "q" + strings.Repeat("^q", n),
		"index":  prefix + "q" + strings.Repeat("[", n),
		"calls":  prefix + strings.Repeat("sin(", n) + "q" + strings.Repeat(")", n),
	}
	for name, src := range cases {
		_, err := Compile("deep.lag", []byte(src))
		var list parser.ErrorList
		if !errors.As(err, &list) || len(list) != 1 || !strings.Contains(list[0].Msg, "nested too deeply") {
			t.Errorf("%s: got %v", name, err)
			continue
		}
		if col, max := list[0].Pos.Col, len(prefix)+4*(parser.MaxDepth+1); col > max {
			t.Errorf("%s: error at column %d, want at most %d (the scan went past the depth limit)", name, col, max)
		}
	}
	// Long flat expressions are fine.
	src := "system A coord q lagrangian = dot(q)^2" + strings.Repeat(" + q^2*-q", 2000)
	if _, err := Compile("flat.lag", []byte(src)); err != nil {
		t.Errorf("flat: %v", err)
	}
}
