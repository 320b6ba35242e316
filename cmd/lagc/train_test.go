package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lagc/lagc/lagrt"
)

// TestDemoTrains runs the embedded demo as a user would and checks the
// contract: the loss falls at least tenfold.
func TestDemoTrains(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a few seconds")
	}
	stdout, stderr, code := lagc(t, "train", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m := regexp.MustCompile(`loss (\S+) -> (\S+) `).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no loss line in %q", stdout)
	}
	first, _ := strconv.ParseFloat(m[1], 64)
	last, _ := strconv.ParseFloat(m[2], 64)
	if !(last < first/10) {
		t.Errorf("loss %g -> %g: less than tenfold", first, last)
	}
	t.Logf("demo: loss %g -> %g (%.3gx)", first, last, first/last)
}

func TestTrainOutputs(t *testing.T) {
	dir := t.TempDir()
	out, hist, pics := filepath.Join(dir, "p.json"), filepath.Join(dir, "h.csv"), filepath.Join(dir, "pics")
	_, stderr, code := lagc(t, "train", "--epochs=4", "--out="+out, "--history="+hist, "--plot="+pics, "--workers=2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "epoch 4/4  loss ") {
		t.Errorf("no progress lines in %q", stderr)
	}
	var params map[string]float64
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &params); err != nil || len(params) != 5 {
		t.Fatalf("params %s: %v", raw, err)
	}
	h, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(h)), "\n")
	if !strings.HasPrefix(lines[0], "epoch,loss,") || len(lines) != 5 {
		t.Errorf("history:\n%s", h)
	}
	for _, f := range []string{"loss.png", "sample0.png", "sample1.png", "sample2.png"} {
		b, err := os.ReadFile(filepath.Join(pics, f))
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s: not a PNG (%v)", f, err)
		}
	}
	// Resuming from --out starts where the first run ended.
	stdout, stderr, code := lagc(t, "train", "--epochs=1", "--init="+out, "--quiet")
	if code != 0 {
		t.Fatal(stderr)
	}
	want := strconv.FormatFloat(params["k[0]"], 'g', 5, 64)
	if !regexp.MustCompile(`k\[0\]\s+` + regexp.QuoteMeta(want) + ` ->`).MatchString(stdout) {
		t.Errorf("resume did not start from k[0] = %s:\n%s", want, stdout)
	}
}

// TestTrainInterrupt cancels training (as Ctrl-C does) and checks that the
// parameters are saved and the exit status is 130.
func TestTrainInterrupt(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "p.json")
	ctx, cancel := context.WithCancel(context.Background())
	trainHook = func(epoch int) {
		if epoch == 3 {
			cancel()
		}
	}
	defer func() { trainHook = nil }()
	var stdout, stderr bytes.Buffer
	code := runContext(ctx, []string{"train", "--epochs=1000", "--out=" + out, "--quiet"}, &stdout, &stderr)
	if code != 130 || !strings.Contains(stderr.String(), "parameters saved to "+out) {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
}

func TestTrainData(t *testing.T) {
	stdout, stderr, code := lagc(t, "train", "../../testdata/duffing.lag", "--data=../../testdata/train/duffing.json",
		"--epochs=50", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "alpha") {
		t.Errorf("stdout %q", stdout)
	}
	dir := t.TempDir()
	for _, c := range []struct{ data, want string }{
		{`{"samples": []}`, "no samples"},
		{`{"T": 1, "steps": 10, "samples": [{"q0": [0]}]}`, "sample 0: fixed boundary conditions need q0 and qT with 1 value each (q)"},
		{`{"T": 1, "steps": 10, "bc": "periodic", "samples": [{"target": {"z": "t"}}]}`, `sample 0: unknown target "z"`},
		{`{"T": 1, "steps": 10, "bc": "periodic", "samples": [{"target": {"y": [1, 2]}}]}`, `has 2 samples, want steps+1 = 11`},
		{`{"T": 1, "steps": 10, "bc": "periodic", "samples": [{"input": {"u": "t"}}]}`, `every target needs a signal (y)`},
		{`{"T": 1, "steps": 10, "bc": "periodic", "samples": [{"target": {"y": "2*"}}]}`, `target y:1:3: syntax error`},
		{`{"T": 1, "steps": 10, "bc": "circle", "samples": [{}]}`, `bc "circle"`},
		{`{"T": 1, "steps": 10, "color": 1, "samples": [{}]}`, `unknown field "color"`},
	} {
		path := filepath.Join(dir, "d.json")
		os.WriteFile(path, []byte(c.data), 0o644)
		_, stderr, code := lagc(t, "train", "../../testdata/duffing.lag", "--data="+path)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want %q", c.data, code, stderr, c.want)
		}
	}
	_, stderr, code = lagc(t, "train", "../../testdata/duffing.lag")
	if code != 2 || !strings.Contains(stderr, "--data=DATA.json is required") {
		t.Errorf("missing --data: exit %d, %q", code, stderr)
	}
}

// TestProgress checks both progress styles: in place with carriage returns
// on a terminal, throttled plain lines otherwise.
func TestProgress(t *testing.T) {
	stats := func(e int) *lagrt.EpochStats {
		return &lagrt.EpochStats{Epoch: e, Loss: 1 / float64(e), GradNorm: 0.5, Elapsed: time.Duration(e) * time.Second}
	}
	var tty bytes.Buffer
	p := &progress{w: &tty, tty: true, epochs: 3, every: 1}
	for e := 1; e <= 3; e++ {
		p.update(stats(e))
	}
	p.done()
	if got := tty.String(); strings.Count(got, "\r") != 3 || strings.Count(got, "\n") != 1 ||
		!strings.Contains(got, "\repoch 3/3  loss 3.3333e-01  |grad| 5.000e-01  elapsed 3s  left 0s") {
		t.Errorf("terminal progress %q", got)
	}
	var plain bytes.Buffer
	p = newProgress(&plain, 600, false)
	for e := 1; e <= 600; e++ {
		p.update(stats(e))
	}
	lines := strings.Split(strings.TrimSpace(plain.String()), "\n")
	if len(lines) != 61 || !strings.HasPrefix(lines[0], "epoch   1/600  loss 1.0000e+00") ||
		!strings.Contains(lines[1], "epoch  10/600") || !strings.Contains(lines[60], "left 0s") {
		t.Errorf("plain progress: %d lines, first %q, second %q, last %q", len(lines), lines[0], lines[1], lines[len(lines)-1])
	}
}

// TestTrainInterruptMinibatch: interrupted between epochs of minibatch
// training, lagc saves the parameters after the last step and, having no
// loss at them, reports the last epoch's mean loss.
func TestTrainInterruptMinibatch(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "p.json")
	ctx, cancel := context.WithCancel(context.Background())
	trainHook = func(epoch int) {
		if epoch == 2 {
			cancel()
		}
	}
	defer func() { trainHook = nil }()
	var stdout, stderr bytes.Buffer
	code := runContext(ctx, []string{"train", "--epochs=1000", "--batch=5", "--out=" + out, "--quiet"}, &stdout, &stderr)
	if code != 130 || !regexp.MustCompile(`training interrupted after 8 steps; mean loss 0\.\d+ in epoch 2; parameters saved to `).MatchString(stderr.String()) {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
}

// TestProgressBatches: on a terminal, minibatches update the line in
// place; plain output stays one line per epoch.
func TestProgressBatches(t *testing.T) {
	var tty bytes.Buffer
	p := &progress{w: &tty, tty: true, epochs: 10, every: 1}
	p.batch(&lagrt.BatchStats{Epoch: 2, Batch: 3, Batches: 4, Steps: 7, Loss: 0.25, GradNorm: 0.5, Elapsed: 7 * time.Second})
	p.done()
	if got := tty.String(); got != "\repoch  2/10  batch 3/4  batch loss 2.5000e-01  |grad| 5.000e-01  elapsed 7s  left 33s\n" {
		t.Errorf("terminal progress %q", got)
	}
	var plain bytes.Buffer
	p = newProgress(&plain, 10, false)
	p.batch(&lagrt.BatchStats{Epoch: 1, Batch: 1, Batches: 4, Steps: 1, Elapsed: time.Second})
	if plain.Len() != 0 {
		t.Errorf("plain progress per batch: %q", plain.String())
	}
}
