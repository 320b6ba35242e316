package lagrt

import "math"

// gmres is restarted GMRES(m) with right preconditioning, modified
// Gram–Schmidt and Givens rotations (Saad, Iterative Methods for Sparse
// Linear Systems, §9.3.2). The Hessian is symmetric but indefinite and the
// preconditioners used here (a factorisation of a nearby Hessian, or the
// per-coordinate time problems) are indefinite too, so MINRES, which needs
// a positive definite preconditioner, does not apply. Its work vectors
// grow to fit and are reused; it is deterministic.
type gmres struct {
	m          int
	v          []float64 // (m+1)·M basis
	hh         []float64 // (m+1)·m Hessenberg matrix
	cs, sn, g  []float64
	y, r, z, w []float64
}

// solve overwrites b with an approximate A⁻¹b, starting from x = 0, and
// reports the iterations spent and whether ‖b − Ax‖₂ ≤ tol·‖b‖₂ was
// reached within maxIt iterations (or 10⁴·tol where the residual
// stagnates at round-off). mul sets dst = A·src and prec
// overwrites x with P⁻¹x.
func (gm *gmres) solve(b []float64, mul func(dst, src []float64), prec func(x []float64), tol float64, maxIt int) (int, bool) {
	M := len(b)
	m := min(gm.m, maxIt)
	if m <= 0 {
		m = min(30, maxIt)
	}
	gm.v = grow(gm.v, (m+1)*M)
	gm.hh = grow(gm.hh, (m+1)*m)
	gm.cs, gm.sn, gm.g, gm.y = grow(gm.cs, m), grow(gm.sn, m), grow(gm.g, m+1), grow(gm.y, m)
	gm.r, gm.z, gm.w = grow(gm.r, M), grow(gm.z, M), grow(gm.w, M)
	x := gm.w
	clear(x)
	bn := norm2(b)
	if bn == 0 {
		return 0, true
	}
	copy(gm.r, b)
	its := 0
	// A restart cycle that does not halve the residual has reached the
	// accuracy that rounding errors in the preconditioner allow; that is
	// accepted when within stall of ‖b‖.
	prev, stall := math.Inf(1), 1e4*tol
	for its < maxIt {
		beta := norm2(gm.r)
		if beta <= tol*bn || (beta > prev/2 && beta <= stall*bn) {
			break
		}
		prev = beta
		v0 := gm.v[:M]
		for i, x := range gm.r {
			v0[i] = x / beta
		}
		clear(gm.g)
		gm.g[0] = beta
		j := 0
		for ; j < m && its < maxIt; j++ {
			its++
			vj, vn := gm.v[j*M:(j+1)*M], gm.v[(j+1)*M:(j+2)*M]
			copy(gm.z, vj)
			prec(gm.z)
			mul(vn, gm.z)
			h := gm.hh[j*(m+1):]
			for i := 0; i <= j; i++ {
				vi := gm.v[i*M : (i+1)*M]
				d := dot(vi, vn)
				h[i] = d
				axpy(-d, vi, vn)
			}
			hn := norm2(vn)
			h[j+1] = hn
			if hn != 0 {
				for i := range vn {
					vn[i] /= hn
				}
			}
			for i := 0; i < j; i++ {
				a, c := h[i], h[i+1]
				h[i] = gm.cs[i]*a + gm.sn[i]*c
				h[i+1] = -gm.sn[i]*a + gm.cs[i]*c
			}
			d := math.Hypot(h[j], h[j+1])
			if d == 0 {
				gm.cs[j], gm.sn[j] = 1, 0
			} else {
				gm.cs[j], gm.sn[j] = h[j]/d, h[j+1]/d
			}
			h[j] = d
			h[j+1] = 0
			gm.g[j+1] = -gm.sn[j] * gm.g[j]
			gm.g[j] *= gm.cs[j]
			if math.Abs(gm.g[j+1]) <= tol*bn/8 || hn == 0 { // aim below tol: the true residual lags the estimate
				j++
				break
			}
		}
		// x += P⁻¹ V y with H y = g.
		for i := j - 1; i >= 0; i-- {
			s := gm.g[i]
			for l := i + 1; l < j; l++ {
				s -= gm.hh[l*(m+1)+i] * gm.y[l]
			}
			gm.y[i] = s / gm.hh[i*(m+1)+i]
		}
		clear(gm.z)
		for i := range j {
			axpy(gm.y[i], gm.v[i*M:(i+1)*M], gm.z)
		}
		prec(gm.z)
		axpy(1, gm.z, x)
		// True residual.
		mul(gm.r, x)
		for i := range gm.r {
			gm.r[i] = b[i] - gm.r[i]
		}
	}
	ok := norm2(gm.r) <= stall*bn
	copy(b, x)
	return its, ok
}

func norm2(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

func dot(a, b []float64) float64 {
	s := 0.0
	b = b[:len(a)]
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}
