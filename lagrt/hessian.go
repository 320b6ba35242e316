package lagrt

import "slices"

// hessian is the discrete Hessian of S_d + βC_d in the block structure of
// the grid. Every n×n block is stored by value in the order of one
// symmetric pattern, the union of the patterns of the model's Hessian
// quantities (Lqq, Lqv and its transpose, Lvv and the cost's) and of the
// diagonal, in compressed-row form. A sweep writes each step's pattern
// values straight into the blocks (no dense scratch), so that assembling
// the Hessian costs O(N·nnz) for nnz pattern entries per block.
type hessian struct {
	n, nnz int
	rowPtr []int32 // n+1
	col    []int32 // nnz, increasing within each row
	dpos   []int32 // n: position of (i, i)
	full   bool    // the pattern is dense: blocks are row-major n×n matrices
	gen    int     // incremented by setPattern

	// idx[q][e] is the position of entry e of quantity q's pattern, and
	// tidx[q][e] that of its transpose (for Lqv and Cqv).
	idx, tidx [NumQuantities][]int32

	diag []float64 // (N+1)·nnz: ∂²/∂q_k² per grid row
	off  []float64 // N·nnz: ∂²/∂q_k∂q_{k+1} per step
	kin  []float64 // (N+1)·n: Σ Lvv_ii/h over the steps adjacent to grid row k
	kinS []float64 // N·n: Lvv_ii/h of each step

	lvvPat *Pattern
	// phys is Info.Physical: for a doubled model, whose ∂²L/∂v² is
	// [[0, M], [M, 0]] on the physical trajectory, the kinetic
	// "diagonal" of coordinate i is read at its partner's column.
	phys int
}

// setPattern builds the union pattern of the matrix quantities of info
// from pats and the scatter maps. It is called when the model changes.
// partner returns the column of coordinate i's kinetic entry: i, or the
// other half of a doubled model.
func (hs *hessian) partner(i int32) int32 {
	switch p := int32(hs.phys); {
	case p == 0:
		return i
	case i < p:
		return i + p
	default:
		return i - p
	}
}

func (hs *hessian) setPattern(n int, pats *[NumQuantities]*Pattern) {
	hs.n = n
	hs.gen++
	hs.lvvPat = pats[QLvv]
	rows := make([][]int32, n)
	add := func(i, j int32) { rows[i] = append(rows[i], j) }
	for i := range int32(n) {
		add(i, i)
	}
	for _, q := range hessQuantities {
		p := pats[q]
		for e := range p.Rows {
			i, j := p.Rows[e], p.Cols[e]
			add(i, j)
			add(j, i)
		}
	}
	hs.rowPtr = make([]int32, n+1)
	hs.col = hs.col[:0]
	for i, r := range rows {
		slices.Sort(r)
		r = slices.Compact(r)
		hs.col = append(hs.col, r...)
		hs.rowPtr[i+1] = int32(len(hs.col))
	}
	hs.nnz = len(hs.col)
	hs.full = hs.nnz == n*n
	find := func(i, j int32) int32 {
		lo, hi := hs.rowPtr[i], hs.rowPtr[i+1]
		k, _ := slices.BinarySearch(hs.col[lo:hi], j)
		return lo + int32(k)
	}
	hs.dpos = make([]int32, n)
	for i := range int32(n) {
		hs.dpos[i] = find(i, i)
	}
	for _, q := range hessQuantities {
		p := pats[q]
		hs.idx[q] = make([]int32, p.Len())
		hs.tidx[q] = make([]int32, p.Len())
		for e := range p.Rows {
			hs.idx[q][e] = find(p.Rows[e], p.Cols[e])
			hs.tidx[q][e] = find(p.Cols[e], p.Rows[e])
		}
	}
}

// density is nnz/n², the fraction of a dense block the pattern fills.
func (hs *hessian) density() float64 { return float64(hs.nnz) / float64(hs.n*hs.n) }

// resize sizes the block storage for N steps.
func (hs *hessian) resize(N int) {
	hs.diag = grow(hs.diag, (N+1)*hs.nnz)
	hs.off = grow(hs.off, N*hs.nnz)
	hs.kin = grow(hs.kin, (N+1)*hs.n)
	hs.kinS = grow(hs.kinS, N*hs.n)
}

// addStep adds the Hessian of one step's discrete Lagrangian h·(L+βc) at
// step k (between grid rows k and k1) from the model output o.
func (hs *hessian) addStep(k, k1 int, h, beta float64, o *Out) {
	nnz := hs.nnz
	da, db := hs.diag[k*nnz:(k+1)*nnz], hs.diag[k1*nnz:(k1+1)*nnz]
	of := hs.off[k*nnz : (k+1)*nnz]
	clear(of)
	// The order of the terms is that of earlier versions, so that the
	// sums keep their bits.
	addQQ(da, db, of, hs.idx[QLqq], o.Lqq, h/4)
	if beta != 0 {
		addQQ(da, db, of, hs.idx[QCqq], o.Cqq, beta*h/4)
	}
	addVV(da, db, of, hs.idx[QLvv], o.Lvv, 1/h)
	if beta != 0 {
		addVV(da, db, of, hs.idx[QCvv], o.Cvv, beta/h)
	}
	addQV(da, db, of, hs.idx[QLqv], hs.tidx[QLqv], o.Lqv, 0.5)
	if beta != 0 {
		addQV(da, db, of, hs.idx[QCqv], hs.tidx[QCqv], o.Cqv, beta/2)
	}
	// The kinetic diagonal, for scaling and the check of ∂²L/∂v².
	n := hs.n
	ka, kb := hs.kin[k*n:(k+1)*n], hs.kin[k1*n:(k1+1)*n]
	ks := hs.kinS[k*n : (k+1)*n]
	clear(ks)
	p := hs.lvvPat
	for e, x := range o.Lvv[:len(p.Rows)] {
		if i := p.Rows[e]; p.Cols[e] == hs.partner(i) {
			ka[i] += x / h
			kb[i] += x / h
			ks[i] += x / h
		}
	}
}

// addQQ adds the ∂²/∂q̄² term sc·vals of one step: it enters both
// diagonal blocks and the off-diagonal one with the same sign.
func addQQ(da, db, of []float64, idx []int32, vals []float64, sc float64) {
	vals = vals[:len(idx)]
	for e, u := range idx {
		a := sc * vals[e]
		da[u] += a
		db[u] += a
		of[u] += a
	}
}

// addVV adds the ∂²/∂v² term: +sc·vals on the diagonal blocks, −sc·vals
// off the diagonal.
func addVV(da, db, of []float64, idx []int32, vals []float64, sc float64) {
	vals = vals[:len(idx)]
	for e, u := range idx {
		v := sc * vals[e]
		da[u] += v
		db[u] += v
		of[u] -= v
	}
}

// addQV adds the mixed ∂²/∂q̄∂v term and its transpose.
func addQV(da, db, of []float64, idx, tidx []int32, vals []float64, sc float64) {
	vals = vals[:len(idx)]
	tidx = tidx[:len(idx)]
	for e, u := range idx {
		b := sc * vals[e]
		t := tidx[e]
		da[u] -= b
		da[t] -= b
		db[u] += b
		db[t] += b
		of[u] += b
		of[t] -= b
	}
}

// dense writes block vals (pattern order) as a dense row-major n×n matrix
// into dst, transposed if tr.
func (hs *hessian) dense(dst, vals []float64, tr bool) {
	n := hs.n
	clear(dst[:n*n])
	for i := range n {
		for p := hs.rowPtr[i]; p < hs.rowPtr[i+1]; p++ {
			j := int(hs.col[p])
			if tr {
				dst[j*n+i] = vals[p]
			} else {
				dst[i*n+j] = vals[p]
			}
		}
	}
}

// mulAdd adds block·x (or blockᵀ·x if tr) to y.
func (hs *hessian) mulAdd(y, vals, x []float64, tr bool) {
	n := hs.n
	col := hs.col
	for i := range n {
		lo, hi := hs.rowPtr[i], hs.rowPtr[i+1]
		if tr {
			xi := x[i]
			for p := lo; p < hi; p++ {
				y[col[p]] += vals[p] * xi
			}
		} else {
			s := 0.0
			for p := lo; p < hi; p++ {
				s += vals[p] * x[col[p]]
			}
			y[i] += s
		}
	}
}
