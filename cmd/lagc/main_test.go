package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the lagc command inside scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"lagc": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command-line scripts in testdata/script. Each is a
// txtar archive: commands with expected exit status, output patterns, and
// the files they work on.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") != "",
		Setup: func(env *testscript.Env) error {
			env.Setenv("GOPACKAGE", "")
			// $REPO is the repository, for scripts that use its testdata.
			repo, err := filepath.Abs("../..")
			env.Setenv("REPO", repo)
			return err
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"gradclose": gradClose},
	})
}

// gradClose is the script command "gradclose A.json B.json TOL": the
// "grad" objects of two lagc grad outputs have the same parameters and
// agree to TOL relative to the largest |B| entry.
func gradClose(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: gradclose A.json B.json TOL")
	}
	tol, err := strconv.ParseFloat(args[2], 64)
	ts.Check(err)
	var g [2]struct {
		Grad map[string]float64 `json:"grad"`
	}
	for i := range 2 {
		ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[i])), &g[i]))
		if len(g[i].Grad) == 0 {
			ts.Fatalf("%s has no gradient", args[i])
		}
	}
	if len(g[0].Grad) != len(g[1].Grad) {
		ts.Fatalf("%d and %d parameters", len(g[0].Grad), len(g[1].Grad))
	}
	scale, diff := 0.0, 0.0
	for name, b := range g[1].Grad {
		a, ok := g[0].Grad[name]
		if !ok {
			ts.Fatalf("%s has no parameter %q", args[0], name)
		}
		scale = max(scale, math.Abs(b))
		diff = max(diff, math.Abs(a-b))
	}
	rel := diff / scale
	ts.Logf("relative difference %.3g (tolerance %g)", rel, tol)
	if close := rel <= tol; close == neg {
		ts.Fatalf("relative difference %.3g, tolerance %g (negated: %v)", rel, tol, neg)
	}
}
