package lagrt_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/lagc/lagc/lagrt"
	"github.com/lagc/lagc/lagrt/lagrttest"
)

// teacherData returns samples of a harmonic oscillator with fixed ends whose
// targets are the trajectories of a teacher with stiffness k = 2.
func teacherData() *lagrt.Dataset {
	teacher := lagrttest.NewOscillator(1, 2) // θ = (m, k)
	data := &lagrt.Dataset{T: 1.5, N: 50, BC: lagrt.Fixed}
	for i, ends := range [][2]float64{{0.5, 0.2}, {-0.3, 0.6}, {0.1, -0.4}} {
		data.Samples = append(data.Samples, lagrt.Sample{Q0: []float64{ends[0]}, QT: []float64{ends[1]}})
		sol, err := lagrt.Solve(data.Problem(teacher, i, nil), nil)
		if err != nil {
			log.Fatal(err)
		}
		data.Samples[i].Target.Samples = sol.Q // y(t_k) = teacher's q_k
	}
	return data
}

// Train a model's stiffness to reproduce a teacher's trajectories. With a
// generated model, replace lagrttest.NewOscillator(1, 1) by the
// generated constructor.
func ExampleTrain() {
	data := teacherData()
	student := lagrttest.NewOscillator(1, 1) // starts at k = 1
	res, err := lagrt.Train(context.Background(), student, data, nil, &lagrt.TrainOptions{
		Method:    lagrt.EPCentered,
		Optimizer: lagrt.NewAdam(0.05),
		Epochs:    200,
		Frozen:    []string{"m"}, // the trajectories depend on k/m only
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("loss fell 100×:", res.Loss < res.History[0].Loss/100)
	fmt.Printf("m = %.3f, k = %.3f\n", res.Theta[0], res.Theta[1])
	// Output:
	// loss fell 100×: true
	// m = 1.000, k = 2.000
}

// Report progress, stop on Ctrl-C and keep the parameters trained so far.
func ExampleTrain_progress() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := lagrt.Train(ctx, lagrttest.NewOscillator(1, 1), teacherData(), nil, &lagrt.TrainOptions{
		Optimizer: lagrt.NewSGD(20, 0.5),
		Epochs:    20,
		Frozen:    []string{"m"},
		Progress: func(st *lagrt.EpochStats) error {
			if st.Epoch == 1 || st.Epoch%5 == 0 {
				fmt.Printf("epoch %d: loss %.1e, k = %.2f\n", st.Epoch, st.Loss, st.Theta[1])
			}
			return nil
		},
	})
	if errors.Is(err, lagrt.ErrStopped) {
		fmt.Println("interrupted; saving", res.Theta)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("final: loss %.1e, k = %.3f\n", res.Loss, res.Theta[1])
	// Output:
	// epoch 1: loss 1.0e-02, k = 1.00
	// epoch 5: loss 9.2e-04, k = 2.20
	// epoch 10: loss 7.0e-06, k = 2.02
	// epoch 15: loss 1.5e-07, k = 2.00
	// epoch 20: loss 2.6e-08, k = 2.00
	// final: loss 1.7e-09, k = 2.000
}

// Evaluate the loss and its gradient once, as a CLI's "grad" command would.
func ExampleLossGrad() {
	loss, grad, err := lagrt.LossGrad(context.Background(), lagrttest.NewOscillator(1, 1), teacherData(),
		nil, lagrt.Adjoint, nil, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("loss %.4f, dL/dm %.4f, dL/dk %.4f\n", loss, grad[0], grad[1])
	// Output:
	// loss 0.0100, dL/dm 0.0142, dL/dk -0.0142
}
