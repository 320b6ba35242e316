package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSolveDissipation runs the example of issue 8: the driven damped
// oscillator q” + 0.3 q' + 2 q = cos 2t, periodic over one period of the
// drive. With the friction in a dissipation statement the steady state
// has the physical amplitude 1/|2 − 4 + 0.6i| = 0.4789 and the output
// shows the one physical coordinate with zero separation; with the
// Caldirola–Kanai factor exp(gamma*t) instead, lagc refuses the
// periodic problem and points to dissipation.
func TestSolveDissipation(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "dd.lag")
	bad := filepath.Join(dir, "ck.lag")
	head := "system DrivenDamped\nparam m = 1.0, k = 2.0, gamma = 0.3\ncoord q\ninput u\n"
	for path, lag := range map[string]string{
		good: "lagrangian = 0.5*m*dot(q)^2 - 0.5*k*q^2 + u*q\ndissipation = 0.5*gamma*dot(q)^2\n",
		bad:  "lagrangian = exp(gamma*t)*(0.5*m*dot(q)^2 - 0.5*k*q^2 + u*q)\n",
	} {
		if err := os.WriteFile(path, []byte(head+lag), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"--bc=periodic", "--T=3.141592653589793", "--steps=400", "--input=u=cos(2*t)"}
	stdout, stderr, code := lagc(t, append([]string{"solve", good}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Coords     []string    `json:"coords"`
		Q          [][]float64 `json:"q"`
		P          [][]float64 `json:"p"`
		Separation *float64    `json:"separation"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Coords) != 1 || res.Separation == nil || *res.Separation > 1e-12 || len(res.Q[0]) != 1 || len(res.P[0]) != 1 {
		t.Fatalf("coords %v, separation %v, row lengths %d, %d: want one coordinate and zero separation",
			res.Coords, res.Separation, len(res.Q[0]), len(res.P[0]))
	}
	amp := 0.0
	for _, row := range res.Q {
		amp = max(amp, math.Abs(row[0]))
	}
	want := 1 / math.Hypot(2-4, 0.3*2)
	if math.Abs(amp-want) > 1e-4 {
		t.Errorf("amplitude %.6f, want %.6f", amp, want)
	}
	_, stderr, code = lagc(t, append([]string{"solve", bad}, args...)...)
	if code == 0 || !strings.Contains(stderr, "dissipation") {
		t.Errorf("exp(gamma*t) with periodic conditions: exit %d, stderr %q; want an error pointing to dissipation", code, stderr)
	}
	for _, m := range []string{"centered", "ep", "adjoint", "fd"} {
		if _, stderr, code := lagc(t, "grad", "../../testdata/damped_chain.lag", "--bc=periodic", "--T=3.141592653589793",
			"--steps=64", "--input=u=0.3*cos(2*t)", "--target=y=0.1*sin(2*t)", "--method="+m); code != 0 {
			t.Errorf("grad --method=%s: exit %d: %s", m, code, stderr)
		}
	}
}
