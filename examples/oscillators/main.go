package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"

	"github.com/lagc/lagc/lagrt"
)

func main() {
	epochs := flag.Int("epochs", 300, "training epochs")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("oscillators: ")

	model := Pendulums{}

	// A teacher with a stiffer coupling produces the targets: the periodic response to four drives of period 2π/2.2.
	teacher := DefaultPendulumsParams()
	teacher.Kappa = 1.2
	const T, N = 2 * math.Pi / 2.2, 96
	data := &lagrt.Dataset{T: T, N: N, BC: lagrt.Periodic}
	for _, a := range []float64{0.5, 1, 1.5, 2} {
		input := lagrt.Signal{Func: func(t float64, u []float64) { u[0] = a * math.Cos(2.2*t) }}
		sol, err := lagrt.Solve(&lagrt.Problem{Model: model, T: T, N: N, BC: lagrt.Periodic,
			Theta: teacher.Vector(), Input: input}, nil)
		if err != nil {
			log.Fatal(err)
		}
		data.Samples = append(data.Samples, lagrt.Sample{Input: input, Target: lagrt.Signal{Samples: sol.Q}})
	}

	// Train the coupling from the defaults declared in network.lag. The
	// masses stay frozen: the angles alone determine only κ/m[1], not κ
	// and m[1] separately.
	start := DefaultPendulumsParams()
	res, err := lagrt.Train(context.Background(), model, data, start.Vector(), &lagrt.TrainOptions{
		Method:    lagrt.EPCentered,
		Optimizer: lagrt.NewAdam(0.05),
		Epochs:    *epochs,
		Frozen:    []string{"m"},
	})
	if err != nil {
		log.Fatal(err)
	}
	var learned PendulumsParams
	learned.SetVector(res.Theta)
	first := res.History[0].Loss
	fmt.Printf("loss %.3g -> %.3g (%.0fx lower) in %d epochs\n", first, res.Loss, first/res.Loss, res.Steps)
	fmt.Printf("kappa %.4f (teacher %.4f); masses %v (frozen)\n", learned.Kappa, teacher.Kappa, learned.M)
	if !(res.Loss < first/10) {
		log.Fatal("training did not reduce the loss tenfold")
	}
}
