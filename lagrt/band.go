package lagrt

import "math"

// band is a square matrix of nb×nb blocks of size n×n whose nonzero blocks
// lie within bw block diagonals of the main one (block bandwidth bw), with
// an LU factorisation with partial (row) pivoting in the manner of LAPACK's
// dgbtf2/dgbtrs, adapted to row-major storage.
//
// Pivoting only moves rows within bw blocks, so after elimination row r of
// block b has nonzeros only in block columns b−bw..b+2bw. Row r therefore
// stores the window of columns [(b−bw)n, (b+2bw+1)n), of width (3bw+1)n:
// memory is O(nb·n²·bw) and factoring costs O(nb·n³·bw²).
type band struct {
	n, nb, bw int
	m         int       // order, nb·n
	w         int       // row window width, (3bw+1)n
	a         []float64 // m rows of w
	ipiv      []int     // row interchanges, LAPACK style
	roff      []int     // roff[r] = r·w − first stored column of row r
	lrow      []int     // last row reached by elimination in column k
	lcol      []int     // last column of row k of U
	norm1     float64   // 1-norm of the matrix before factoring
	work      []float64 // 2m scratch for the condition estimate
}

func (b *band) resize(n, nb, bw int) {
	if b.n == n && b.nb == nb && b.bw == bw && len(b.roff) == n*nb {
		return
	}
	b.n, b.nb, b.bw = n, nb, bw
	b.m = n * nb
	b.w = (3*bw + 1) * n
	b.a = grow(b.a, b.m*b.w)
	if cap(b.ipiv) < b.m {
		b.ipiv = make([]int, b.m)
	}
	b.ipiv = b.ipiv[:b.m]
	b.work = grow(b.work, 2*b.m)
	b.roff = growInt(b.roff, b.m)
	b.lrow = growInt(b.lrow, b.m)
	b.lcol = growInt(b.lcol, b.m)
	for r := range b.m {
		blk := r / n
		b.roff[r] = r*b.w - (blk-bw)*n
		b.lrow[r] = min((blk+bw+1)*n, b.m) - 1
		b.lcol[r] = min((blk+2*bw+1)*n, b.m) - 1
	}
}

func growInt(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// zero clears the matrix.
func (b *band) zero() { clear(b.a) }

// addBlock adds the n×n row-major block blk (transposed if tr) at block
// position (bi, bj).
func (b *band) addBlock(bi, bj int, blk []float64, tr bool) {
	n := b.n
	for i := range n {
		r := bi*n + i
		row := b.a[b.roff[r]+bj*n:]
		row = row[:n]
		if tr {
			for j := range row {
				row[j] += blk[j*n+i]
			}
		} else {
			for j, x := range blk[i*n : i*n+n] {
				row[j] += x
			}
		}
	}
}

// addSparse adds the Hessian block vals (in the pattern order of hs,
// transposed if tr) at block position (bi, bj).
func (b *band) addSparse(bi, bj int, hs *hessian, vals []float64, tr bool) {
	n := b.n
	for i := range n {
		for p := hs.rowPtr[i]; p < hs.rowPtr[i+1]; p++ {
			r, c := bi*n+i, bj*n+int(hs.col[p])
			if tr {
				r, c = bi*n+int(hs.col[p]), bj*n+i
			}
			b.a[b.roff[r]+c] += vals[p]
		}
	}
}

// factor computes the LU factorisation in place. It returns the smallest
// and largest pivot magnitudes; a zero smallest pivot means the matrix is
// exactly singular (the factorisation is then unusable).
func (b *band) factor() (pmin, pmax float64) {
	// 1-norm = max absolute row sum (the matrices are symmetric).
	b.norm1 = 0
	for r := 0; r < b.m; r++ {
		s := 0.0
		for _, x := range b.a[r*b.w : (r+1)*b.w] {
			s += math.Abs(x)
		}
		b.norm1 = max(b.norm1, s)
	}
	pmin = math.Inf(1)
	a, roff := b.a, b.roff
	for k := 0; k < b.m; k++ {
		lr, lc := b.lrow[k], b.lcol[k]
		p, big := k, math.Abs(a[roff[k]+k])
		for r := k + 1; r <= lr; r++ {
			if v := math.Abs(a[roff[r]+k]); v > big {
				p, big = r, v
			}
		}
		b.ipiv[k] = p
		pmin = min(pmin, big)
		pmax = max(pmax, big)
		if big == 0 {
			return 0, pmax
		}
		rk := a[roff[k]+k : roff[k]+lc+1]
		if p != k {
			rp := a[roff[p]+k : roff[p]+lc+1]
			for j := range rk {
				rk[j], rp[j] = rp[j], rk[j]
			}
		}
		inv := 1 / rk[0]
		rk = rk[1:]
		for r := k + 1; r <= lr; r++ {
			rr := a[roff[r]+k : roff[r]+lc+1]
			if rr[0] == 0 {
				continue
			}
			l := rr[0] * inv
			rr[0] = l
			rr = rr[1:]
			rr = rr[:len(rk)]
			for j, x := range rk {
				rr[j] -= l * x
			}
		}
	}
	return pmin, pmax
}

// solve overwrites x with A⁻¹x using the factorisation.
func (b *band) solve(x []float64) {
	a, roff := b.a, b.roff
	x = x[:b.m]
	for k := 0; k < b.m; k++ {
		if p := b.ipiv[k]; p != k {
			x[k], x[p] = x[p], x[k]
		}
		xk := x[k]
		if xk == 0 {
			continue
		}
		for r, lr := k+1, b.lrow[k]; r <= lr; r++ {
			x[r] -= a[roff[r]+k] * xk
		}
	}
	for k := b.m - 1; k >= 0; k-- {
		lc := b.lcol[k]
		off := roff[k]
		row := a[off+k+1 : off+lc+1]
		xs := x[k+1 : lc+1]
		s := x[k]
		for j, u := range row {
			s -= u * xs[j]
		}
		x[k] = s / a[off+k]
	}
}

// rcond estimates the reciprocal 1-norm condition number 1/(‖A‖₁‖A⁻¹‖₁)
// of the factored symmetric matrix with Hager's method as refined by
// Higham (LAPACK dlacn2): usually four to six solves.
func (b *band) rcond() float64 {
	m := b.m
	if b.norm1 == 0 {
		return 0
	}
	v, z := b.work[:m], b.work[m:2*m]
	for i := range v {
		v[i] = 1 / float64(m)
	}
	b.solve(v)
	est := asum(v)
	jx := -1 // x = e_jx, or x = (1/m)·1 when jx < 0
	for iter := 0; iter < 5; iter++ {
		for i, x := range v {
			z[i] = math.Copysign(1, x)
		}
		b.solve(z) // A symmetric: A⁻ᵀ = A⁻¹
		ztx := 0.0 // zᵀx
		if jx < 0 {
			for _, x := range z {
				ztx += x
			}
			ztx /= float64(m)
		} else {
			ztx = z[jx]
		}
		j, zmax := 0, -1.0
		for i, x := range z {
			if math.Abs(x) > zmax {
				j, zmax = i, math.Abs(x)
			}
		}
		if iter > 0 && zmax <= ztx {
			break
		}
		jx = j
		clear(v)
		v[j] = 1
		b.solve(v)
		e := asum(v)
		if !(e > est) {
			break
		}
		est = e
	}
	// Higham's extra test vector guards against underestimates.
	for i := range v {
		s := 1.0
		if i%2 == 1 {
			s = -1
		}
		v[i] = s * (1 + float64(i)/float64(max(m-1, 1)))
	}
	b.solve(v)
	est = max(est, 2*asum(v)/float64(3*m))
	if math.IsNaN(est) || math.IsInf(est, 0) || est == 0 {
		return 0
	}
	return 1 / (b.norm1 * est)
}

func asum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += math.Abs(v)
	}
	return s
}
