package lagrt

import (
	"math/rand/v2"
	"testing"
)

func TestGMRES(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	M := 50
	A := make([]float64, M*M)
	for i := range M {
		for j := range M {
			A[i*M+j] = 0.1 * (rng.Float64() - 0.5)
		}
		A[i*M+i] += float64(i%7) - 3.5
	}
	mul := func(dst, src []float64) {
		for i := range M {
			s := 0.0
			for j := range M {
				s += A[i*M+j] * src[j]
			}
			dst[i] = s
		}
	}
	b := make([]float64, M)
	for i := range b {
		b[i] = rng.Float64()
	}
	x := append([]float64(nil), b...)
	var g gmres
	g.m = 60
	its, ok := g.solve(x, mul, func([]float64) {}, 1e-11, 200)
	r := make([]float64, M)
	mul(r, x)
	for i := range r {
		r[i] -= b[i]
	}
	if !ok || norm2(r) > 1e-10*norm2(b) {
		t.Errorf("GMRES: %d iterations, ok %v, residual %.3g", its, ok, norm2(r)/norm2(b))
	}
}
