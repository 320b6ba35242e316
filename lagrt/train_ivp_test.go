package lagrt_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// MethodFor keeps the centered or one-sided choice and swaps EP and the
// echo by boundary conditions.
func TestMethodFor(t *testing.T) {
	for _, c := range []struct {
		m    lagrt.Method
		bc   lagrt.BC
		want lagrt.Method
	}{
		{lagrt.EPCentered, lagrt.Initial, lagrt.Echo},
		{lagrt.EPOneSided, lagrt.Initial, lagrt.EchoOneSided},
		{lagrt.Echo, lagrt.Initial, lagrt.Echo},
		{lagrt.EchoOneSided, lagrt.Initial, lagrt.EchoOneSided},
		{lagrt.Adjoint, lagrt.Initial, lagrt.Adjoint},
		{lagrt.FiniteDiff, lagrt.Initial, lagrt.FiniteDiff},
		{lagrt.EPCentered, lagrt.Fixed, lagrt.EPCentered},
		{lagrt.Echo, lagrt.Fixed, lagrt.EPCentered},
		{lagrt.Echo, lagrt.Periodic, lagrt.EPCentered},
		{lagrt.EchoOneSided, lagrt.Periodic, lagrt.EPOneSided},
		{lagrt.Adjoint, lagrt.Periodic, lagrt.Adjoint},
	} {
		if got := lagrt.MethodFor(c.m, c.bc); got != c.want {
			t.Errorf("MethodFor(%v, %v) = %v, want %v", c.m, c.bc, got, c.want)
		}
	}
}

// ivpOscData returns initial-value samples of the oscillator whose targets
// are the trajectories of a teacher with stiffness kTeacher, started from
// the samples' own q0 and v0 (or p0).
func ivpOscData(t testing.TB, kTeacher float64) *lagrt.Dataset {
	teacher := lagrttest.NewOscillator(1, kTeacher)
	data := &lagrt.Dataset{T: 6, N: 120, BC: lagrt.Initial}
	for i := range 3 {
		s := lagrt.Sample{Q0: []float64{0.5 - 0.4*float64(i)}}
		if i == 1 {
			s.P0 = []float64{0.3}
		} else {
			s.V0 = []float64{0.2 * float64(i+1)}
		}
		data.Samples = append(data.Samples, s)
		sol, err := lagrt.Solve(data.Problem(teacher, i, nil), nil)
		if err != nil {
			t.Fatal(err)
		}
		data.Samples[i].Target.Samples = sol.Q
	}
	return data
}

// Training on initial-value samples (q0 with v0 or p0) with the default
// method, which means the centered echo for them, recovers the teacher's
// stiffness.
func TestTrainInitialRecoversTeacher(t *testing.T) {
	const kTeacher = 2.5
	data := ivpOscData(t, kTeacher)
	m := lagrttest.NewOscillator(1, 1.5)
	res, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{
		Optimizer: lagrt.NewAdam(0.05), Epochs: 150, Frozen: []string{"m"}, Workers: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	if k := res.Theta[1]; math.Abs(k-kTeacher) > 1e-3 {
		t.Errorf("k = %.6g after training, want the teacher's %g (loss %.3g -> %.3g)", k, kTeacher, res.History[0].Loss, res.Loss)
	}
	if res.Theta[0] != 1 {
		t.Errorf("frozen m moved to %g", res.Theta[0])
	}
	// Each epoch costs one forward run and two echoes per sample.
	if s := res.History[0].Solves; s != 3*len(data.Samples) {
		t.Errorf("epoch 1 took %d runs, want 3 per sample (%d)", s, 3*len(data.Samples))
	}
}

// A mixed dataset (fixed, periodic and initial-value samples) evaluates
// with one method: centered EP or the echo per sample, both asked as
// EPCentered or as Echo, and agrees with the adjoint.
func TestEvaluatorMixedDataset(t *testing.T) {
	m := lagrttest.NewDriven(1.3, 0.4, 1.7)
	y := lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0.2 * math.Sin(1.1*t) }}
	periodic, initial := lagrt.Periodic, lagrt.Initial
	data := &lagrt.Dataset{T: 2, N: 80, BC: lagrt.Fixed, Samples: []lagrt.Sample{
		{Q0: []float64{0.1}, QT: []float64{-0.2}, Target: y},
		{BC: &initial, T: 12, N: 600, Q0: []float64{0.3}, V0: []float64{-0.1}, Target: y},
		{BC: &periodic, T: 2 * math.Pi / 1.7, N: 60, Target: y},
		{BC: &initial, T: 8, N: 400, Q0: []float64{-0.2}, P0: []float64{0.4}, Target: y},
	}}
	ctx := context.Background()
	eval := func(meth lagrt.Method) *lagrt.Evaluation {
		t.Helper()
		ev := &lagrt.Evaluator{Model: m, Data: data, Method: meth, Workers: 2}
		r, err := ev.LossGrad(ctx, nil)
		if err != nil {
			t.Fatalf("%v: %v", meth, err)
		}
		return r
	}
	adj := eval(lagrt.Adjoint)
	cen := eval(lagrt.EPCentered)
	echo := eval(lagrt.Echo)
	if !bitsEqual(cen.Grad, echo.Grad) {
		t.Errorf("Method EPCentered gives %v, Echo %v; want the same per-sample choice", cen.Grad, echo.Grad)
	}
	if e := lagrttest.RelErr(cen.Grad, adj.Grad); e > 1e-6 {
		t.Errorf("centered gradient %v vs adjoint %v: relative error %.2g", cen.Grad, adj.Grad, e)
	}
	// Per sample, the same as Gradient with the translated method.
	want := make([]float64, 2)
	for i := range data.Samples {
		pr := data.Problem(m, i, nil)
		g, err := lagrt.ComputeGradient(pr, lagrt.MethodFor(lagrt.EPCentered, pr.BC), nil)
		if err != nil {
			t.Fatal(err)
		}
		for a := range want {
			want[a] += g.Grad[a] / float64(len(data.Samples))
		}
	}
	if e := lagrttest.RelErr(cen.Grad, want); e > 1e-12 {
		t.Errorf("mixed gradient %v, per-sample methods give %v", cen.Grad, want)
	}
	// 1 + 2 solves or runs per sample.
	if cen.Solves != 3*len(data.Samples) {
		t.Errorf("%d solves, want %d", cen.Solves, 3*len(data.Samples))
	}
	// The loss alone works on the mixed set too.
	ev := &lagrt.Evaluator{Model: m, Data: data}
	l, err := ev.Loss(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l.Loss-cen.Loss) > 1e-12*math.Abs(cen.Loss) {
		t.Errorf("Loss %g, LossGrad %g", l.Loss, cen.Loss)
	}
}

// An initial-value sample in training reports its failures as a
// SampleError wrapping the runtime's StepError.
func TestTrainInitialStepError(t *testing.T) {
	m := lagrttest.NewOscillator(1, 1)
	data := &lagrt.Dataset{T: 4, N: 20, BC: lagrt.Initial, Samples: []lagrt.Sample{
		{Q0: []float64{0.1}, V0: []float64{0}, Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0 }}},
		{Q0: []float64{0.1}, V0: []float64{0}, Target: lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = math.NaN() }}},
	}}
	_, err := lagrt.Train(context.Background(), m, data, nil, &lagrt.TrainOptions{Epochs: 1})
	var se *lagrt.SampleError
	if !errors.As(err, &se) || se.Sample != 1 || !errors.Is(err, lagrt.ErrNaN) {
		t.Fatalf("err = %v, want a SampleError of sample 1 wrapping ErrNaN", err)
	}
}

// Both V0 and P0, or neither, is refused per sample.
func TestTrainInitialNeedsV0OrP0(t *testing.T) {
	m := lagrttest.NewOscillator(1, 1)
	y := lagrt.Signal{Func: func(t float64, dst []float64) { dst[0] = 0 }}
	for _, s := range []lagrt.Sample{
		{Q0: []float64{0.1}, Target: y},
		{Q0: []float64{0.1}, V0: []float64{0}, P0: []float64{0}, Target: y},
	} {
		data := &lagrt.Dataset{T: 4, N: 20, BC: lagrt.Initial, Samples: []lagrt.Sample{s}}
		_, _, err := lagrt.LossGrad(context.Background(), m, data, nil, lagrt.Echo, nil, 1)
		if !errors.Is(err, lagrt.ErrProblem) {
			t.Errorf("V0 %v, P0 %v: err = %v, want ErrProblem", s.V0, s.P0, err)
		}
	}
}
