package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"time"

	"github.com/lagc/lagc/lagrt"
)

func main() {
	epochs := flag.Int("epochs", 300, "training epochs")
	checks := flag.Int("checks", 8, "how many times to compare the echo gradient with BPTT during training")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("rhel: ")
	start := time.Now()

	model := Chain{}

	// The teacher: the masses and springs to be found.
	var teacher ChainParams
	teacher.M = [6]float64{1.0, 1.4, 0.8, 1.2, 0.7, 1.1}
	teacher.K = [7]float64{1.5, 0.8, 1.2, 0.9, 1.4, 0.7, 1.1}

	// Trajectories of the teacher from given initial conditions: the
	// masses displaced from rest and kicked (an impulse sets the momentum
	// p = m v, so the data fix the scale of m and k, which velocities
	// alone would not). Horizon 8 is about two periods of the slowest
	// normal mode and seven of the fastest; h = 0.04.
	const T, N = 8.0, 200
	data := &lagrt.Dataset{T: T, N: N, BC: lagrt.Initial}
	for s := range 4 {
		q0, p0 := make([]float64, 6), make([]float64, 6)
		for i := range 6 {
			q0[i] = 0.5 * math.Sin(float64((s+1)*(i+1))*1.3)
			p0[i] = 0.4 * math.Cos(float64((s+2)*(i+1))*0.7)
		}
		sol, err := lagrt.Solve(&lagrt.Problem{Model: model, T: T, N: N, BC: lagrt.Initial,
			Q0: q0, P0: p0, Theta: teacher.Vector()}, nil)
		if err != nil {
			log.Fatal(err)
		}
		data.Samples = append(data.Samples, lagrt.Sample{Q0: q0, P0: p0, Target: lagrt.Signal{Samples: sol.Q}})
	}

	// Learn from the defaults of chain.lag (every mass and spring 1) with
	// the centered Hamiltonian echo: per sample one forward run and two
	// echoes nudged by ±β, no stored trajectory. RHEL's own check runs
	// alongside: the cosine similarity of the echo gradient and the BPTT
	// (adjoint) gradient at the same parameters.
	bptt := &lagrt.Evaluator{Model: model, Data: data, Method: lagrt.Adjoint}
	every := max(1, *epochs/max(1, *checks))
	minCos := 1.0
	fmt.Println("epoch        loss   1 − cos(echo, BPTT)   |echo − BPTT|/|BPTT|")
	progress := func(st *lagrt.EpochStats) error {
		if st.Epoch != 1 && st.Epoch%every != 0 && st.Epoch != *epochs {
			return nil
		}
		ref, err := bptt.LossGrad(context.Background(), st.Theta)
		if err != nil {
			return err
		}
		c, rel := cosine(st.Grad, ref.Grad), relDiff(st.Grad, ref.Grad)
		minCos = min(minCos, c)
		fmt.Printf("%5d  %10.4g   %9.2g             %9.2g\n", st.Epoch, st.Loss, 1-c, rel)
		return nil
	}
	initial := DefaultChainParams()
	res, err := lagrt.Train(context.Background(), model, data, initial.Vector(), &lagrt.TrainOptions{
		Method:    lagrt.Echo,
		Optimizer: lagrt.NewAdam(0.05),
		Epochs:    *epochs,
		Progress:  progress,
	})
	if err != nil {
		log.Fatal(err)
	}

	var learned ChainParams
	learned.SetVector(res.Theta)
	first := res.History[0].Loss
	fmt.Printf("loss %.3g -> %.3g (%.3gx lower) in %d epochs, %s\n", first, res.Loss, first/res.Loss, res.Steps,
		time.Since(start).Round(time.Millisecond))
	fmt.Println("           learned   teacher")
	worst := 0.0
	for i := range 6 {
		fmt.Printf("  m[%d]    %7.4f   %7.4f\n", i, learned.M[i], teacher.M[i])
		worst = max(worst, math.Abs(learned.M[i]/teacher.M[i]-1))
	}
	for i := range 7 {
		fmt.Printf("  k[%d]    %7.4f   %7.4f\n", i, learned.K[i], teacher.K[i])
		worst = max(worst, math.Abs(learned.K[i]/teacher.K[i]-1))
	}
	fmt.Printf("largest relative error %.2g; cosine similarity of echo and BPTT gradients ≥ 1 − %.2g\n", worst, 1-minCos)
	// Near the optimum the gradient vanishes and the echo's contrast is
	// rounding-limited (1 − cos grows to about 1e-9 at loss 1e-10 with
	// the default β = 1e-5), so the check allows 1e-8.
	if !(minCos > 1-1e-8) {
		log.Fatal("the echo gradient does not agree with BPTT")
	}
	if !(res.Loss < first/10) {
		log.Fatal("training did not reduce the loss tenfold")
	}
}

func cosine(a, b []float64) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += a[i] * b[i]
		aa += a[i] * a[i]
		bb += b[i] * b[i]
	}
	return ab / math.Sqrt(aa*bb)
}

// relDiff is ‖a − b‖₂ / ‖b‖₂.
func relDiff(a, b []float64) float64 {
	var d, n float64
	for i := range a {
		d += (a[i] - b[i]) * (a[i] - b[i])
		n += b[i] * b[i]
	}
	return math.Sqrt(d / n)
}
