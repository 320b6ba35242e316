package lagrt

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// blockLU is the LU factorisation with partial pivoting of a matrix of
// nb×nb blocks of size n×n with block bandwidth bw (1 for the block
// tridiagonal Hessian of fixed ends, 2 for the folded periodic one), done
// block column by block column with BLAS-3 kernels in the manner of
// LAPACK's blocked dgbtrf: at block column k the panel of block rows
// k..k+bw is factored by Getrf (pivoting across the bw+1 blocks, so that
// a singular leading block does no harm, as in the scalar band LU), the
// pivots are applied to the row window, U12 = L11⁻¹·A12 by Trsm and the
// trailing window is updated by one Gemm. Fill stays within block columns
// k..k+2bw. Flops per block column: (bw+1)n³ − n³/3 (Getrf),
// 2bw·n³ (Trsm) and 4bw²·n³ (Gemm): 7.67n³ for bw = 1, 22.7n³ for bw = 2.
//
// Only the window of (bw+1)n rows is dense scratch; the factors are
// written, never accumulated, so nothing is zeroed per factorisation.
type blockLU struct {
	n, nb, bw int
	u         []float64 // nb blocks of n × (2bw+1)n: U11 (with L11 below its diagonal), U12
	l         []float64 // nb blocks of bw·n × n: L21
	ipiv      []int     // nb·n, indices within the panel
	win       []float64 // (bw+1)n × (2bw+1)n
	blk       []float64 // n×n scratch
	flops     float64   // flops of the last factorisation
	ok        bool      // holds a factorisation
	gv        gemvJob   // the split products of solve
}

func (f *blockLU) resize(n, nb, bw int) {
	f.n, f.nb, f.bw = n, nb, bw
	c := (2*bw + 1) * n
	f.u = grow(f.u, nb*n*c)
	f.l = grow(f.l, nb*bw*n*n)
	if cap(f.ipiv) < nb*n {
		f.ipiv = make([]int, nb*n)
	}
	f.ipiv = f.ipiv[:nb*n]
	f.win = grow(f.win, (bw+1)*n*c)
	f.blk = grow(f.blk, n*n)
	f.ok = false
}

// gemmSplit computes C −= A·B with the columns of C split in two halves,
// the second half on another goroutine when it is large enough to pay
// for it. The split does not depend on GOMAXPROCS, so neither do the
// results.
func gemmSplit(a, b, c blas64.General) {
	if c.Cols < 128 || c.Rows*c.Cols*a.Cols < 1<<21 {
		blas64.Gemm(blas.NoTrans, blas.NoTrans, -1, a, b, 1, c)
		return
	}
	h := c.Cols / 2
	sub := func(g blas64.General, j0, j1 int) blas64.General {
		return blas64.General{Rows: g.Rows, Cols: j1 - j0, Stride: g.Stride, Data: g.Data[j0:]}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		blas64.Gemm(blas.NoTrans, blas.NoTrans, -1, a, sub(b, h, b.Cols), 1, sub(c, h, c.Cols))
		wg.Done()
	}()
	blas64.Gemm(blas.NoTrans, blas.NoTrans, -1, a, sub(b, 0, h), 1, sub(c, 0, h))
	wg.Wait()
}

// factor factors the matrix whose block (i, j) get writes densely into
// dst (reporting false for a zero block). It returns the smallest and
// largest pivot magnitudes; pmin = 0 means exactly singular.
func (f *blockLU) factor(get func(i, j int, dst []float64) bool) (pmin, pmax float64) {
	n, nb, bw := f.n, f.nb, f.bw
	C := (2*bw + 1) * n
	W := f.win
	f.ok, f.flops = false, 0
	pmin = math.Inf(1)
	// putRow writes block row r's entries at block columns c0..c0+2bw
	// into window block row wr.
	putRow := func(wr, r, c0 int) {
		for jb := range 2*bw + 1 {
			c := c0 + jb
			dst := W[wr*n*C+jb*n:]
			if c >= nb || c < r-bw || c > r+bw || !get(r, c, f.blk) {
				for i := range n {
					clear(dst[i*C : i*C+n])
				}
				continue
			}
			for i := range n {
				copy(dst[i*C:i*C+n], f.blk[i*n:i*n+n])
			}
		}
	}
	for wr := 0; wr <= bw && wr < nb; wr++ {
		putRow(wr, wr, 0)
	}
	nf := float64(n)
	for k := range nb {
		rk := min(bw, nb-1-k) // block rows below the diagonal block
		ck := min(2*bw, nb-1-k)
		m := (1 + rk) * n
		panel := blas64.General{Rows: m, Cols: n, Stride: C, Data: W}
		ip := f.ipiv[k*n : (k+1)*n]
		lapack64.Getrf(panel, ip)
		f.flops += float64(m)*nf*nf - nf*nf*nf/3
		for i := range n {
			d := math.Abs(W[i*C+i])
			pmin, pmax = min(pmin, d), max(pmax, d)
		}
		if pmin == 0 || math.IsNaN(pmin) {
			return pmin, pmax
		}
		if ck > 0 {
			w := ck * n
			for i, p := range ip {
				if p != i {
					a, b := W[i*C+n:i*C+n+w], W[p*C+n:p*C+n+w]
					for j := range a {
						a[j], b[j] = b[j], a[j]
					}
				}
			}
			u12 := blas64.General{Rows: n, Cols: w, Stride: C, Data: W[n:]}
			blas64.Trsm(blas.Left, blas.NoTrans, 1,
				blas64.Triangular{Uplo: blas.Lower, Diag: blas.Unit, N: n, Stride: C, Data: W}, u12)
			f.flops += nf * nf * float64(w)
			if rk > 0 {
				l21 := blas64.General{Rows: rk * n, Cols: n, Stride: C, Data: W[n*C:]}
				a22 := blas64.General{Rows: rk * n, Cols: w, Stride: C, Data: W[n*C+n:]}
				gemmSplit(l21, u12, a22)
				f.flops += 2 * float64(rk*n) * nf * float64(w)
			}
		}
		// Save the factors of block column k.
		uk := f.u[k*n*C : (k+1)*n*C]
		copy(uk, W[:n*C])
		lk := f.l[k*bw*n*n:]
		for i := range rk * n {
			copy(lk[i*n:i*n+n], W[(n+i)*C:(n+i)*C+n])
		}
		// Shift the window up one block row and left one block column,
		// and bring in block row k+bw+1.
		for i := range rk * n {
			src := W[(n+i)*C+n : (n+i)*C+C]
			dst := W[i*C : i*C+C]
			copy(dst, src)
			clear(dst[C-n:])
		}
		if r := k + 1 + bw; r < nb {
			putRow(bw, r, k+1)
		}
	}
	f.ok = true
	return pmin, pmax
}

// solve overwrites x (nb·n) with A⁻¹x. The products with the off-diagonal
// factors, most of the work, are split in two halves of rows (see
// splitter).
func (f *blockLU) solve(x []float64) {
	n, nb, bw := f.n, f.nb, f.bw
	C := (2*bw + 1) * n
	gv := &f.gv
	for k := range nb {
		rk := min(bw, nb-1-k)
		seg := x[k*n : (k+1+rk)*n]
		for i, p := range f.ipiv[k*n : (k+1)*n] {
			if p != i {
				seg[i], seg[p] = seg[p], seg[i]
			}
		}
		uk := f.u[k*n*C:]
		blas64.Trsv(blas.NoTrans, blas64.Triangular{Uplo: blas.Lower, Diag: blas.Unit, N: n, Stride: C, Data: uk},
			blas64.Vector{N: n, Inc: 1, Data: seg})
		if rk > 0 {
			gv.run(blas64.General{Rows: rk * n, Cols: n, Stride: n, Data: f.l[k*bw*n*n:]}, seg[:n], seg[n:])
		}
	}
	for k := nb - 1; k >= 0; k-- {
		ck := min(2*bw, nb-1-k)
		uk := f.u[k*n*C:]
		xk := x[k*n : (k+1)*n]
		if ck > 0 {
			gv.run(blas64.General{Rows: n, Cols: ck * n, Stride: C, Data: uk[n:]}, x[(k+1)*n:(k+1+ck)*n], xk)
		}
		blas64.Trsv(blas.NoTrans, blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: n, Stride: C, Data: uk},
			blas64.Vector{N: n, Inc: 1, Data: xk})
	}
}

// gemvJob computes y −= A·x, split in two halves of the rows of A when A
// is large enough to pay for the hand-over.
type gemvJob struct {
	sp   splitter
	a    blas64.General
	x, y []float64
}

func (j *gemvJob) run(a blas64.General, x, y []float64) {
	j.a, j.x, j.y = a, x, y
	if a.Rows < 64 || a.Rows*a.Cols < 1<<15 {
		j.rows(0, a.Rows)
		return
	}
	j.sp.run(j)
}

func (j *gemvJob) half(h int) {
	m := j.a.Rows / 2
	if h == 0 {
		j.rows(0, m)
	} else {
		j.rows(m, j.a.Rows)
	}
}

func (j *gemvJob) rows(r0, r1 int) {
	if r1 <= r0 {
		return
	}
	a := blas64.General{Rows: r1 - r0, Cols: j.a.Cols, Stride: j.a.Stride, Data: j.a.Data[r0*j.a.Stride:]}
	blas64.Gemv(blas.NoTrans, -1, a, blas64.Vector{N: len(j.x), Inc: 1, Data: j.x}, 1,
		blas64.Vector{N: r1 - r0, Inc: 1, Data: j.y[r0:r1]})
}
