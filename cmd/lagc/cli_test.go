package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/lagc/lagc/lagrt"
)

// TestEveryCommandHelps: every command of the table prints its help on
// standard output for -h, --help and lagc help NAME, with exit status 0,
// and appears in the command list.
func TestEveryCommandHelps(t *testing.T) {
	list, _, _ := lagc(t, "help")
	for _, cmd := range commands {
		if !regexp.MustCompile(`(?m)^\s+lagc ` + cmd.name + `\s+` + regexp.QuoteMeta(cmd.summary) + `$`).MatchString(list) {
			t.Errorf("lagc help does not list %s", cmd.name)
		}
		want := "usage: lagc " + cmd.usage + "\n"
		for _, args := range [][]string{{cmd.name, "-h"}, {cmd.name, "--help"}, {"help", cmd.name}} {
			stdout, stderr, code := lagc(t, args...)
			if code != 0 || stderr != "" || !strings.HasPrefix(stdout, want) {
				t.Errorf("lagc %s: exit %d, stderr %q, stdout %.60q", strings.Join(args, " "), code, stderr, stdout)
			}
		}
	}
}

// TestHelpNumbersFromCode: the numbers lagc help train quotes are those
// the demo uses.
func TestHelpNumbersFromCode(t *testing.T) {
	u, m, err := loadDemo()
	if err != nil {
		t.Fatal(err)
	}
	d, err := demoData(u, m, 1)
	if err != nil {
		t.Fatal(err)
	}
	help, _, _ := lagc(t, "help", "train")
	for _, re := range []string{
		fmt.Sprintf(`on %d\s+random drives`, len(d.Samples)),
		fmt.Sprintf(`for %d epochs`, demoEpochs),
		fmt.Sprintf(`\(default %d; demo %d\)`, defaultEpochs, demoEpochs),
		fmt.Sprintf(`default %g for adam, %g for sgd`, adamLR, sgdLR),
		`nudging strength β of EP, positive \(default: chosen from the problem.s scale`,
	} {
		if !regexp.MustCompile(re).MatchString(help) {
			t.Errorf("lagc help train does not match %q", re)
		}
	}
	// The demo really runs demoEpochs epochs without --epochs.
	// (A cancelled context stops it before the first epoch, after the
	// header.)
	var stderr bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	runContext(ctx, []string{"train"}, new(bytes.Buffer), &stderr)
	if want := fmt.Sprintf("%d samples, centered gradients, adam(lr=%g,", len(d.Samples), adamLR); !strings.Contains(stderr.String(), want) ||
		!strings.Contains(stderr.String(), fmt.Sprintf(", %d epochs\n", demoEpochs)) {
		t.Errorf("demo header %q", strings.SplitN(stderr.String(), "\n", 2)[0])
	}
}

// TestTrainFailureMessages: a failure before any step says nothing was
// saved and does not suggest --lr; after steps it says the last good
// parameters were saved and suggests --lr.
func TestTrainFailureMessages(t *testing.T) {
	sampleErr := &lagrt.SampleError{Epoch: 1, Sample: 0, Err: fmt.Errorf("%w: bad", lagrt.ErrNoConvergence)}
	nanErr := fmt.Errorf("%w: m: the adam step of epoch 1 made the parameters NaN or Inf (gradient norm 1e+300); "+
		"try a smaller learning rate or set ClipNorm", lagrt.ErrNaN)
	for _, c := range []struct {
		steps      int
		saved      bool
		err        error
		want, not  []string
		stderrWant string
	}{
		{0, false, sampleErr,
			[]string{"before any step", "--init"}, []string{"--lr"},
			"no step was taken, so p.json was not written"},
		{3, true, &lagrt.SampleError{Epoch: 4, Sample: 2, Err: errors.New("lagrt: bad")},
			[]string{"after 3 steps: try a smaller --lr (here 0.05)"}, nil,
			"the last good parameters (after 3 steps) were saved to p.json"},
		{0, false, nanErr,
			[]string{"try a smaller --lr or --clip"}, []string{"ClipNorm", "learning rate"},
			"no step was taken"},
	} {
		var stderr bytes.Buffer
		o := &trainOpts{out: "p.json", lr: 0.05}
		err := trainFailure(&cli{stderr: &stderr}, o, &lagrt.TrainResult{Steps: c.steps}, c.saved, c.err)
		msg := err.Error()
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("steps %d: %q lacks %q", c.steps, msg, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(msg, w) {
				t.Errorf("steps %d: %q has %q", c.steps, msg, w)
			}
		}
		if !strings.Contains(stderr.String(), c.stderrWant) || (!c.saved && strings.Contains(stderr.String(), "saved")) {
			t.Errorf("steps %d: stderr %q, want %q", c.steps, stderr.String(), c.stderrWant)
		}
		if !errors.Is(err, errors.Unwrap(c.err)) && !errors.Is(err, c.err) {
			t.Errorf("steps %d: %v does not wrap %v", c.steps, err, c.err)
		}
	}
}

func TestLossChange(t *testing.T) {
	for _, c := range []struct {
		first, last float64
		want        string
	}{
		{1, 0.1, " (10x lower)"},
		{1, 0, " (to exactly zero)"},
		{0, 0, " (unchanged)"},
		{0.5, 0.5, " (unchanged)"},
		{0, 1, " (up from exactly zero)"},
		{1, 4, " (4x higher)"},
		{math.NaN(), 1, ""},
	} {
		if got := lossChange(c.first, c.last); got != c.want {
			t.Errorf("lossChange(%g, %g) = %q, want %q", c.first, c.last, got, c.want)
		}
	}
}

// TestErrorPrefix: messages get the lagc: prefix unless they start with a
// FILE:LINE:COL: position.
func TestErrorPrefix(t *testing.T) {
	for msg, want := range map[string]string{
		"cannot determine the Go package name for .: use -pkg": "lagc: cannot determine the Go package name for .: use -pkg\n",
		"x.lag:3:7: m redeclared\nx.lag:4:1: other":            "x.lag:3:7: m redeclared\nx.lag:4:1: other\n",
		"lagrt: epoch 2: sample 0: bad\ntry a smaller --lr":    "lagc: lagrt: epoch 2: sample 0: bad\ntry a smaller --lr\n",
		"--target=y:1:1: q is a model variable":                "--target=y:1:1: q is a model variable\n",
		"d.json: no samples":                                   "lagc: d.json: no samples\n",
	} {
		var b bytes.Buffer
		printError(&b, errors.New(msg))
		if b.String() != want {
			t.Errorf("printError(%q) = %q, want %q", msg, b.String(), want)
		}
	}
}

// TestSolveHintsNameFlags: the runtime's hint to set Problem.Guess reads
// --guess on the command line.
func TestSolveHintsNameFlags(t *testing.T) {
	_, stderr, code := lagc(t, "solve", "../../testdata/kepler.lag", "--bc=periodic", "--T=6")
	if code != 1 || !strings.Contains(stderr, "give an initial guess (--guess)") || strings.Contains(stderr, "Problem.") ||
		strings.Contains(stderr, "Options.") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if !errors.Is(cliHints(fmt.Errorf("%w: give Problem.Guess", lagrt.ErrNaN), solveHints), lagrt.ErrNaN) {
		t.Errorf("translated error no longer wraps the runtime's")
	}
}
