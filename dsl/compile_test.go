package dsl

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lagc/lagc/parser"
	"github.com/lagc/lagc/symbolic"
)

func compileFile(t *testing.T, name string) *Model {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("../testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(name, src)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTestdataCompiles(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/*.lag")
	if len(paths) < 8 {
		t.Fatalf("only %d testdata files", len(paths))
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Compile(p, src)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if len(m.LTerms) == 0 || len(m.Q) == 0 || len(m.Q) != len(m.V) || len(m.Theta) != len(m.Defaults) || (m.Scalar && m.L == nil) {
			t.Errorf("%s: incomplete model", p)
		}
		for _, d := range m.Defaults {
			if d == 0 {
				t.Errorf("%s: zero default", p)
			}
		}
	}
}

func TestChainModel(t *testing.T) {
	m := compileFile(t, "chain.lag")
	if m.Name != "Chain" || m.Pos.String() != "chain.lag:3:8" {
		t.Errorf("name %s at %s", m.Name, m.Pos)
	}
	if want := []string{"x[0]", "x[1]", "x[2]", "x[3]"}; !reflect.DeepEqual(m.CoordNames, want) {
		t.Errorf("coords %v", m.CoordNames)
	}
	if want := []string{"m", "k[0]", "k[1]", "k[2]", "k[3]", "c"}; !reflect.DeepEqual(m.ParamNames, want) {
		t.Errorf("params %v", m.ParamNames)
	}
	if m.Params[1].Name != "k" || m.Params[1].Offset != 1 || !reflect.DeepEqual(m.Params[1].Dims, []int{4}) ||
		!reflect.DeepEqual(m.Params[1].Default, []float64{1, 1, 1, 1}) {
		t.Errorf("param k: %+v", m.Params[1])
	}
	if m.V[2].Name() != "dot(x[2])" || m.Q[2].Name() != "x[2]" || m.T.Name() != "t" {
		t.Errorf("symbol names %s %s %s", m.V[2].Name(), m.Q[2].Name(), m.T.Name())
	}
	if len(m.Consts) != 1 || m.Consts[0] != (Const{Name: "N", Pos: m.Consts[0].Pos, Value: 4}) {
		t.Errorf("consts %+v", m.Consts)
	}
	if !strings.HasPrefix(m.LagrangianSrc, "sum(i in 0..N-1, 0.5*m*dot(x[i])^2") || m.CostSrc != "0.5*(x[N-1] - y)^2" {
		t.Errorf("src %q / %q", m.LagrangianSrc, m.CostSrc)
	}
	if m.C == nil || !m.B.DependsOn(m.C, m.Y[0]) || !m.B.DependsOn(m.C, m.Q[3]) {
		t.Errorf("cost %v", m.C)
	}
}

func TestArrays2D(t *testing.T) {
	m, err := Compile("w.lag", []byte(`system W
const N = 2
param W[N][N+1] = 0.5
coord x[N]
input u[2]
lagrangian = sum(i in 0..N-1, dot(x[i])^2) + W[1][2]*x[0] + u[1]`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"W[0][0]", "W[0][1]", "W[0][2]", "W[1][0]", "W[1][1]", "W[1][2]"}; !reflect.DeepEqual(m.ParamNames, want) {
		t.Errorf("params %v", m.ParamNames)
	}
	if !m.B.DependsOn(m.L, m.Theta[5]) || m.B.DependsOn(m.L, m.Theta[4]) || !m.B.DependsOn(m.L, m.U[1]) {
		t.Errorf("L = %v", m.L)
	}
}

// TestDot checks dot() against the chain rule numerically: for the double
// pendulum, x1 = l1 sin th1, so dot(x1) = l1 cos(th1) dot(th1).
func TestDot(t *testing.T) {
	m, err := Compile("d.lag", []byte(`system D
param l = 2
coord th, r
let x = l*r*sin(th) + t^2
lagrangian = dot(x) + dot(th)^2 + dot(r)^2`))
	if err != nil {
		t.Fatal(err)
	}
	env := map[*symbolic.Node]float64{m.T: 0.3, m.Q[0]: 0.7, m.Q[1]: 1.5, m.V[0]: -0.4, m.V[1]: 0.9, m.Theta[0]: 2}
	th, r, vth, vr, l, tt := 0.7, 1.5, -0.4, 0.9, 2.0, 0.3
	want := l*vr*math.Sin(th) + l*r*math.Cos(th)*vth + 2*tt + vth*vth + vr*vr
	if got := symbolic.Eval(m.L, env); math.Abs(got-want) > 1e-12 {
		t.Errorf("L = %v, want %v", got, want)
	}
	if len(m.Lets) != 1 || m.Lets[0].Name != "x" {
		t.Errorf("lets %+v", m.Lets)
	}
}

func TestConstFolding(t *testing.T) {
	m, err := Compile("c.lag", []byte(`system C
const a = 2, b = a^3 - 1, h = sqrt(b + 2) / 3, n = sum(i in 1..3, i)
param p[n - 4] = pow(a, 2)
coord q
lagrangian = h*dot(q)^2 + b*q`))
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2, 7, 1, 6}
	for i, c := range m.Consts {
		if c.Value != want[i] {
			t.Errorf("%s = %v, want %v", c.Name, c.Value, want[i])
		}
	}
	if !reflect.DeepEqual(m.Defaults, []float64{4, 4}) {
		t.Errorf("defaults %v", m.Defaults)
	}
}

func TestCompileNeverPanics(t *testing.T) {
	// Check never sees a nil file from Compile; make sure internal errors are
	// reported, not raised.
	_, err := Check(&parser.File{Filename: "x.lag"})
	var list parser.ErrorList
	if !errors.As(err, &list) || !strings.Contains(err.Error(), "internal error") {
		t.Errorf("got %v", err)
	}
}

func FuzzCompile(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/*.lag")
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("system A coord x[2] lagrangian = sum(i in 0..1, dot(x[i])^2) - x[2]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := Compile("fuzz.lag", src)
		if err == nil {
			if m == nil || len(m.LTerms) == 0 {
				t.Fatal("nil model without error")
			}
			return
		}
		var list parser.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
		}
		for _, e := range list {
			if e.Pos.Filename != "fuzz.lag" || e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Fatalf("error without position: %v", e)
			}
			if strings.Contains(e.Msg, "internal error") {
				t.Fatalf("%q: %v", src, e)
			}
		}
	})
}

// TestNFCNames checks that a composed and a decomposed é name the same
// coordinate (issue 11 item 18).
func TestNFCNames(t *testing.T) {
	_, err := Compile("n.lag", []byte("system A\ncoord caf\u00e9, cafe\u0301\nlagrangian = dot(caf\u00e9)^2\n"))
	if got, want := fmt.Sprint(err), "n.lag:2:13: café redeclared (previous declaration at 2:7)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	m, err := Compile("n.lag", []byte("system A\ncoord caf\u00e9\nlagrangian = dot(cafe\u0301)^2\n"))
	if err != nil || m.CoordNames[0] != "caf\u00e9" {
		t.Errorf("got %v, %v", m, err)
	}
}
