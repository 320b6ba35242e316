package lagrt

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	lapackgonum "gonum.org/v1/gonum/lapack/gonum"
)

// The arrow (bordered) solver, LinearSchur.
//
// When the graph of the off-diagonal spatial couplings of the union
// pattern has a small vertex cover, the hubs, every other coordinate (a
// leaf) couples in space only to hubs. Ordering the unknowns leaves first
// (each leaf's time rows together), then hubs,
//
//	H = [ A  B ]    A = diag(A_1, …, A_L): the leaves' time problems,
//	    [ C  D ]    D: the hubs' rows and columns over all time rows,
//
// where each A_l is the scalar banded (cyclic for periodic conditions)
// matrix of the (l, l) entries of the Hessian blocks, the same matrix as
// LinearKrylov's per-coordinate preconditioner, and B, C hold the
// leaf–hub couplings, within one time row of each other. With the hub
// Schur complement S = D − C·A⁻¹·B (order m = |hubs|·nb, dense because
// A_l⁻¹ is), H·x = b is solved exactly by
//
//	x_hub  = S⁻¹ (b_hub − C·A⁻¹ b_leaf),
//	x_leaf = A⁻¹ b_leaf − A⁻¹ (B·x_hub).
//
// Since det H = det A · det S, H is singular exactly when S is, as long as
// every A_l is regular. A leaf l coupled to k_l hubs has 3·nb·k_l coupling
// entries in C_l (three time offsets), each of which updates one row of
// k_l·nb entries of S with a row of A_l⁻¹B_l: 6·nb²·k_l² flops, half
// of it when H is bitwise symmetric on the hubs' rows (the usual case:
// then only the upper triangle of S is formed); A_l⁻¹B_l itself costs
// 6·bw·nb²·k_l, and the LU of S (2/3)m³. The leaves are eliminated in
// two fixed halves, the second on the helper goroutine (see splitter)
// into a second accumulator subtracted at the end, so the bits do not
// depend on GOMAXPROCS. A solve costs O(nb·(nnz + n) + m²).

// schurGrowth bounds the growth max|S|/max|H| of the elimination of the
// leaves. Beyond it (a leaf time problem near a resonance or conjugate
// point of its own, which the coupling to the hubs moves away) the
// rounding errors of forming S would spoil the solution, and the
// factorisation falls back to the block LU.
const schurGrowth = 1e6

// arrow is the hub structure of the union pattern (see find).
type arrow struct {
	gen   int  // hs.gen it was found for (0: never)
	limit int  // largest cover searched for when not done
	done  bool // the greedy cover was completed (hubs is the whole cover)

	hubs, leaves []int32 // coordinates, increasing
	hubIdx       []int32 // coordinate → index in hubs, −1 for a leaf

	// Couplings of leaf l (its index in leaves): entries lp[l]..lp[l+1]−1,
	// by increasing hub index lh[e], at pattern positions pe[e] of (leaf,
	// hub) and pt[e] of (hub, leaf).
	lp         []int32
	lh, pe, pt []int32
	// Pattern entries among hubs (the diagonal included): for hub a,
	// entries hp[a]..hp[a+1]−1 with hub index hb[e] at positions hq[e] of
	// (hubs[a], hubs[hb[e]]) and hqT[e] of the transposed entry.
	hp          []int32
	hb, hq, hqT []int32
	maxK        int     // most hubs of one leaf
	sumK, sumKK float64 // Σ_l k_l and Σ_l k_l² over the leaves
}

// find computes the hub structure of hs's pattern, at most limit hubs
// (the search stops beyond), unless cached for this pattern. Hubs are
// chosen greedily: the coordinate with the most uncovered couplings
// (the lowest index among equals) until every coupling has a hub end;
// then, in reverse order of choice, a hub all of whose neighbours are
// hubs is made a leaf again. The result depends on the pattern only.
func (ar *arrow) find(hs *hessian, limit int) {
	if ar.gen == hs.gen && (ar.done || ar.limit >= limit) {
		return
	}
	n := hs.n
	ar.gen, ar.limit, ar.done = hs.gen, limit, false
	deg := make([]int32, n)
	isHub := make([]bool, n)
	for i := range n {
		deg[i] = hs.rowPtr[i+1] - hs.rowPtr[i] - 1 // the diagonal is always there
	}
	var order []int32
	for {
		best, bd := -1, int32(0)
		for i, d := range deg {
			if d > bd {
				best, bd = i, d
			}
		}
		if best < 0 {
			break
		}
		if len(order) >= limit {
			return
		}
		isHub[best] = true
		order = append(order, int32(best))
		deg[best] = 0
		for p := hs.rowPtr[best]; p < hs.rowPtr[best+1]; p++ {
			if j := hs.col[p]; int(j) != best && !isHub[j] {
				deg[j]--
			}
		}
	}
	for _, h := range slices.Backward(order) {
		all := true
		for p := hs.rowPtr[h]; p < hs.rowPtr[h+1]; p++ {
			if j := hs.col[p]; j != h && !isHub[j] {
				all = false
				break
			}
		}
		if all {
			isHub[h] = false
		}
	}
	ar.done = true
	ar.hubs, ar.leaves = ar.hubs[:0], ar.leaves[:0]
	ar.hubIdx = make([]int32, n)
	for i := range int32(n) {
		if isHub[i] {
			ar.hubIdx[i] = int32(len(ar.hubs))
			ar.hubs = append(ar.hubs, i)
		} else {
			ar.hubIdx[i] = -1
			ar.leaves = append(ar.leaves, i)
		}
	}
	find := func(i, j int32) int32 {
		lo, hi := hs.rowPtr[i], hs.rowPtr[i+1]
		k, _ := slices.BinarySearch(hs.col[lo:hi], j)
		return lo + int32(k)
	}
	ar.lp = append(ar.lp[:0], 0)
	ar.lh, ar.pe, ar.pt = ar.lh[:0], ar.pe[:0], ar.pt[:0]
	ar.maxK, ar.sumK, ar.sumKK = 0, 0, 0
	for _, i := range ar.leaves {
		for p := hs.rowPtr[i]; p < hs.rowPtr[i+1]; p++ {
			if j := hs.col[p]; j != i {
				ar.lh = append(ar.lh, ar.hubIdx[j])
				ar.pe = append(ar.pe, p)
				ar.pt = append(ar.pt, find(j, i))
			}
		}
		ar.lp = append(ar.lp, int32(len(ar.lh)))
		k := len(ar.lh) - int(ar.lp[len(ar.lp)-2])
		ar.maxK = max(ar.maxK, k)
		ar.sumK += float64(k)
		ar.sumKK += float64(k * k)
	}
	ar.hp = append(ar.hp[:0], 0)
	ar.hb, ar.hq, ar.hqT = ar.hb[:0], ar.hq[:0], ar.hqT[:0]
	for _, i := range ar.hubs {
		for p := hs.rowPtr[i]; p < hs.rowPtr[i+1]; p++ {
			j := hs.col[p]
			if b := ar.hubIdx[j]; b >= 0 {
				ar.hb = append(ar.hb, b)
				ar.hq = append(ar.hq, p)
				ar.hqT = append(ar.hqT, find(j, i))
			}
		}
		ar.hp = append(ar.hp, int32(len(ar.hb)))
	}
}

// schurFlops estimates the flops of one arrow factorisation over nb time
// rows of block bandwidth bw: the leaves' products C_l·(A_l⁻¹B_l) (each of
// the 3·nb·k_l coupling entries of leaf l updates a row of k_l·nb), their
// solves A_l⁻¹B_l and the LU of S.
func (ar *arrow) schurFlops(nb, bw int) float64 {
	f := float64(nb)
	m := float64(len(ar.hubs)) * f
	return 6*f*f*ar.sumKK + 6*float64(bw)*f*f*ar.sumK + 2*m*m*m/3
}

// schurLU is the arrow factorisation.
type schurLU struct {
	nb, m, M  int
	sites     []band      // the leaves' time problems, factored
	off       []int       // leaf l's coupling values start at off[l] in bv, cv
	bv, cv    []float64   // B and C: leaf l, time row pos, neighbour slot j, hub entry e at off[l] + (pos·3+j)·k_l + e
	nbr       []int32     // nb×3: the time rows coupled to each (itself first), −1 where absent
	bk        []blockPair // nb×3: the Hessian blocks (pos, nbr) and (nbr, pos)
	s, s2     []float64   // M×M: S, then its LU factors; the second half's sum
	ipiv      []int
	y         [2][]float64 // per half: A_l⁻¹B_l, nb × k_l·nb
	t, xh     []float64    // a leaf's time vector; the hubs' right-hand side
	split     bool         // the leaves are eliminated in two halves
	block     bool         // the current factorisation is the block LU's (fallback)
	fallbacks int          // factorisations that fell back to the block LU
	job       schurJob
	sp        splitter
}

// blockPair is the pair of Hessian blocks (pos, q) and (q, pos), as
// blockOf returns them.
type blockPair struct {
	v, vT   []float64
	tr, trT bool
	ok      bool
}

// resizeSchur sizes the arrow factorisation for the current problem.
func (s *Solver) resizeSchur(bw int) {
	l := &s.lin
	sc, ar := &l.sch, &l.ar
	nb, m, L := s.nb, len(ar.hubs), len(ar.leaves)
	sc.nb, sc.m, sc.M = nb, m, m*nb
	if len(sc.sites) != L {
		sc.sites = make([]band, L)
	}
	for i := range sc.sites {
		sc.sites[i].resize(1, nb, bw)
	}
	sc.off = growInt(sc.off, L+1)
	sc.off[0] = 0
	for i := range L {
		sc.off[i+1] = sc.off[i] + 3*nb*int(ar.lp[i+1]-ar.lp[i])
	}
	sc.bv = grow(sc.bv, sc.off[L])
	sc.cv = grow(sc.cv, sc.off[L])
	if cap(sc.nbr) < 3*nb || cap(sc.bk) < 3*nb {
		sc.nbr = make([]int32, 3*nb)
		sc.bk = make([]blockPair, 3*nb)
	}
	sc.nbr, sc.bk = sc.nbr[:3*nb], sc.bk[:3*nb]
	for pos := range nb {
		nbs := s.neighbours(pos)
		for j := range 3 {
			sc.nbr[pos*3+j] = -1
			if j < len(nbs) {
				sc.nbr[pos*3+j] = int32(nbs[j])
			}
		}
	}
	sc.s = grow(sc.s, sc.M*sc.M)
	sc.split = L >= 2 && ar.schurFlops(nb, bw) >= 1<<20
	if sc.split {
		sc.s2 = grow(sc.s2, sc.M*sc.M)
	}
	if cap(sc.ipiv) < sc.M {
		sc.ipiv = make([]int, sc.M)
	}
	sc.ipiv = sc.ipiv[:sc.M]
	for h := range sc.y {
		sc.y[h] = grow(sc.y[h], nb*ar.maxK*nb)
	}
	sc.t = grow(sc.t, nb)
	sc.xh = grow(sc.xh, sc.M)
	sc.block, sc.fallbacks = false, 0
}

// schurJob eliminates the leaves, in two halves when sc.split.
type schurJob struct {
	s      *Solver
	sym    bool       // H is symmetric (bitwise) on the hubs' rows: form the upper triangle of S only
	lo, hi [2]float64 // pivot range of each half's leaves
	amax   [2]float64 // largest 1-norm of each half's A_l
	bad    [2]bool    // a leaf's time problem is singular (or NaN)
}

func (j *schurJob) half(h int) {
	L := len(j.s.lin.ar.leaves)
	if h == 0 {
		j.leaves(0, 0, L/2)
	} else {
		j.leaves(1, L/2, L)
	}
}

// axpyRow adds a·x to y (len(y) ≥ len(x)) with BLAS for long rows.
func axpyRow(a float64, x, y []float64) {
	if len(x) < 32 {
		axpy(a, x, y)
		return
	}
	blas64.Axpy(a, blas64.Vector{N: len(x), Inc: 1, Data: x}, blas64.Vector{N: len(x), Inc: 1, Data: y})
}

// leaves factors the time problems of leaves l0..l1−1 and adds
// −C_l·A_l⁻¹·B_l to S (half 0) or C_l·A_l⁻¹·B_l to s2 (half 1, which
// factorSchur then subtracts), in the order of the leaves; with j.sym,
// only on and above the diagonal.
func (j *schurJob) leaves(h, l0, l1 int) {
	s := j.s
	sc, ar, hs := &s.lin.sch, &s.lin.ar, &s.hs
	nb, M, m := sc.nb, sc.M, sc.m
	acc, sign := sc.s, -1.0
	if h == 1 {
		acc, sign = sc.s2, 1
		clear(acc)
	}
	lo, hi, amax := math.Inf(1), 0.0, 0.0
	for l := l0; l < l1; l++ {
		i := int(ar.leaves[l])
		b := &sc.sites[l]
		d := int(hs.dpos[i])
		b.zero()
		for pos := range nb {
			for jj, q := range sc.nbr[pos*3 : pos*3+3] {
				if bp := &sc.bk[pos*3+jj]; bp.ok {
					b.a[b.roff[pos]+int(q)] = bp.v[d]
				}
			}
		}
		p0, p1 := b.factor()
		lo, hi, amax = min(lo, p0), max(hi, p1), max(amax, b.norm1)
		if !(p0 > 0) || math.IsNaN(p1) {
			j.bad[h] = true
			break
		}
		e0 := int(ar.lp[l])
		k := int(ar.lp[l+1]) - e0
		lh := ar.lh[e0 : e0+k]
		W := k * nb
		Y := sc.y[h][:nb*W]
		clear(Y)
		base := sc.off[l]
		for pos := range nb {
			for jj, q := range sc.nbr[pos*3 : pos*3+3] {
				if q < 0 {
					continue
				}
				idx := base + (pos*3+jj)*k
				copy(Y[pos*W+int(q)*k:], sc.bv[idx:idx+k])
			}
		}
		b.solveCols(Y, W)
		contig := k == m // then lh is 0..m−1: a row of Y is a row of S
		for pos := range nb {
			yr := Y[pos*W : (pos+1)*W]
			for jj, q := range sc.nbr[pos*3 : pos*3+3] {
				if q < 0 {
					continue
				}
				idx := base + (pos*3+jj)*k
				for e, c := range sc.cv[idx : idx+k] {
					if c == 0 {
						continue
					}
					r := int(q)*m + int(lh[e])
					row := acc[r*M : (r+1)*M]
					f := sign * c
					switch {
					case contig && j.sym:
						axpyRow(f, yr[r:], row[r:])
					case contig:
						axpyRow(f, yr, row)
					default:
						q0 := 0
						if j.sym {
							q0 = int(q)
						}
						for q2 := q0; q2 < nb; q2++ {
							rr, ys := row[q2*m:q2*m+m], yr[q2*k:q2*k+k]
							for e2, a := range lh {
								if !j.sym || q2*m+int(a) >= r {
									rr[a] += f * ys[e2]
								}
							}
						}
					}
				}
			}
		}
	}
	j.lo[h], j.hi[h], j.amax[h] = lo, hi, amax
}

// schurSymmetric enables the symmetric elimination (tests switch it off
// to exercise the general one).
var schurSymmetric = true

// factorSchur factors the current Hessian by the arrow elimination and
// returns the pivot range of the leaves' time problems and of S. Where a
// leaf's time problem is singular, or the elimination grows the entries
// by more than schurGrowth, it factors by the block LU instead (and so
// reports the pivots of that).
func (s *Solver) factorSchur() (pmin, pmax float64) {
	l := &s.lin
	sc, ar := &l.sch, &l.ar
	nb, M, m := sc.nb, sc.M, sc.m
	sc.block = false
	for pos := range nb {
		for jj, q := range sc.nbr[pos*3 : pos*3+3] {
			bp := &sc.bk[pos*3+jj]
			*bp = blockPair{}
			if q >= 0 {
				bp.v, bp.tr, bp.ok = s.blockOf(pos, int(q))
				bp.vT, bp.trT, _ = s.blockOf(int(q), pos)
			}
		}
	}
	// D, the hubs' part of H.
	S := sc.s[:M*M]
	clear(S)
	hmax := 0.0
	for pos := range nb {
		for jj, q := range sc.nbr[pos*3 : pos*3+3] {
			bp := &sc.bk[pos*3+jj]
			if !bp.ok {
				continue
			}
			vals, tr := bp.v, bp.tr
			for a := range m {
				row := S[(pos*m+a)*M:]
				for e := ar.hp[a]; e < ar.hp[a+1]; e++ {
					v := vals[ar.hq[e]]
					if tr {
						v = vals[ar.hqT[e]]
					}
					row[int(q)*m+int(ar.hb[e])] = v
					if x := math.Abs(v); x > hmax {
						hmax = x
					}
				}
			}
		}
	}
	sym := schurSymmetric
	for r := 0; r < M && sym; r++ {
		for c := r + 1; c < M; c++ {
			if S[r*M+c] != S[c*M+r] {
				sym = false
				break
			}
		}
	}
	// B and C: for leaf i, time row pos, its neighbour q and hub a,
	// B = block (pos, q) at (i, a) and C = block (q, pos) at (a, i).
	for li := range ar.leaves {
		e0 := int(ar.lp[li])
		k := int(ar.lp[li+1]) - e0
		pe, pt := ar.pe[e0:e0+k], ar.pt[e0:e0+k]
		base := sc.off[li]
		for pos := range nb {
			for jj := range 3 {
				idx := base + (pos*3+jj)*k
				bvs, cvs := sc.bv[idx:idx+k], sc.cv[idx:idx+k]
				clear(bvs)
				clear(cvs)
				bp := &sc.bk[pos*3+jj]
				if !bp.ok {
					continue
				}
				vals, tr, valsT, trT := bp.v, bp.tr, bp.vT, bp.trT
				for e := range k {
					if tr {
						bvs[e] = vals[pt[e]]
					} else {
						bvs[e] = vals[pe[e]]
					}
					if trT {
						cvs[e] = valsT[pe[e]]
					} else {
						cvs[e] = valsT[pt[e]]
					}
					if x := math.Abs(bvs[e]); x > hmax {
						hmax = x
					}
					if x := math.Abs(cvs[e]); x > hmax {
						hmax = x
					}
					sym = sym && bvs[e] == cvs[e]
				}
			}
		}
	}
	j := &sc.job
	j.s, j.sym = s, sym
	j.bad = [2]bool{}
	j.lo, j.hi, j.amax = [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{}, [2]float64{}
	if sc.split {
		sc.sp.run(j)
	} else {
		j.leaves(0, 0, len(ar.leaves))
	}
	pmin, pmax = min(j.lo[0], j.lo[1]), max(j.hi[0], j.hi[1])
	if math.IsNaN(pmin) || math.IsNaN(pmax) || math.IsInf(pmax, 0) {
		l.factors++
		return math.NaN(), math.NaN()
	}
	if j.bad[0] || j.bad[1] {
		return s.schurFallback()
	}
	if sc.split {
		s2 := sc.s2[:M*M]
		for r := range M {
			c0 := 0
			if sym {
				c0 = r
			}
			row, row2 := S[r*M+c0:(r+1)*M], s2[r*M+c0:(r+1)*M]
			for c, x := range row2 {
				row[c] -= x
			}
		}
	}
	if sym {
		for r := range M {
			for c := r + 1; c < M; c++ {
				S[c*M+r] = S[r*M+c]
			}
		}
	}
	smax, nan := 0.0, false
	for _, x := range S {
		if a := math.Abs(x); a > smax {
			smax = a
		} else if a != a {
			nan = true
		}
	}
	if nan {
		l.factors++
		return math.NaN(), math.NaN()
	}
	hmax = max(hmax, j.amax[0], j.amax[1])
	if !(smax <= schurGrowth*hmax) {
		return s.schurFallback()
	}
	l.factors++
	if M == 0 {
		return pmin, pmax
	}
	// The unblocked LU: as fast as the blocked one at these orders on
	// two cores, and it neither allocates nor starts goroutines.
	lapackgonum.Implementation{}.Dgetf2(M, M, S, M, sc.ipiv)
	for i := range M {
		d := math.Abs(S[i*M+i])
		pmin, pmax = min(pmin, d), max(pmax, d)
	}
	return pmin, pmax
}

// schurFallback factors the current Hessian by the block LU.
func (s *Solver) schurFallback() (pmin, pmax float64) {
	l := &s.lin
	l.sch.block = true
	l.sch.fallbacks++
	if l.blk.n != s.n || l.blk.nb != s.nb || l.blk.bw != l.bw {
		l.blk.resize(s.n, s.nb, l.bw)
	}
	return s.factorBlock()
}

// solveSchur overwrites x (unknown order) with H⁻¹x by the arrow
// factorisation (or the block LU it fell back to).
func (s *Solver) solveSchur(x []float64) {
	l := &s.lin
	sc, ar := &l.sch, &l.ar
	if sc.block {
		l.blk.solve(x)
		return
	}
	n, nb, M, m := s.n, sc.nb, sc.M, sc.m
	t, xh := sc.t[:nb], sc.xh[:M]
	// x_leaf ← z = A⁻¹ b_leaf.
	for li, i := range ar.leaves {
		for pos := range t {
			t[pos] = x[pos*n+int(i)]
		}
		sc.sites[li].solve(t)
		for pos, v := range t {
			x[pos*n+int(i)] = v
		}
	}
	// xh ← b_hub − C·z.
	for a, i := range ar.hubs {
		for q := range nb {
			xh[q*m+a] = x[q*n+int(i)]
		}
	}
	for li, i := range ar.leaves {
		e0 := int(ar.lp[li])
		k := int(ar.lp[li+1]) - e0
		lh := ar.lh[e0 : e0+k]
		contig := k == m
		base := sc.off[li]
		for pos := range nb {
			z := x[pos*n+int(i)]
			if z == 0 {
				continue
			}
			for jj, q := range sc.nbr[pos*3 : pos*3+3] {
				if q < 0 {
					continue
				}
				idx := base + (pos*3+jj)*k
				xq := xh[int(q)*m:]
				if contig {
					axpy(-z, sc.cv[idx:idx+k], xq)
					continue
				}
				for e, c := range sc.cv[idx : idx+k] {
					xq[lh[e]] -= c * z
				}
			}
		}
	}
	// xh ← S⁻¹ xh.
	for i, p := range sc.ipiv[:M] {
		if p != i {
			xh[i], xh[p] = xh[p], xh[i]
		}
	}
	if M > 0 {
		v := blas64.Vector{N: M, Inc: 1, Data: xh}
		blas64.Trsv(blas.NoTrans, blas64.Triangular{Uplo: blas.Lower, Diag: blas.Unit, N: M, Stride: M, Data: sc.s}, v)
		blas64.Trsv(blas.NoTrans, blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: M, Stride: M, Data: sc.s}, v)
	}
	// x_leaf ← z − A⁻¹(B·x_hub).
	for li, i := range ar.leaves {
		e0 := int(ar.lp[li])
		k := int(ar.lp[li+1]) - e0
		lh := ar.lh[e0 : e0+k]
		contig := k == m
		base := sc.off[li]
		for pos := range nb {
			sum := 0.0
			for jj, q := range sc.nbr[pos*3 : pos*3+3] {
				if q < 0 {
					continue
				}
				idx := base + (pos*3+jj)*k
				xq := xh[int(q)*m:]
				if contig {
					sum += dot(sc.bv[idx:idx+k], xq)
					continue
				}
				for e, c := range sc.bv[idx : idx+k] {
					sum += c * xq[lh[e]]
				}
			}
			t[pos] = sum
		}
		sc.sites[li].solve(t)
		for pos, v := range t {
			x[pos*n+int(i)] -= v
		}
	}
	for a, i := range ar.hubs {
		for q := range nb {
			x[q*n+int(i)] = xh[q*m+a]
		}
	}
}

// solveCols overwrites the row-major m×w matrix x with A⁻¹x, column by
// column as solve would, with the rows updated as wholes.
func (b *band) solveCols(x []float64, w int) {
	a, roff := b.a, b.roff
	x = x[:b.m*w]
	for k := 0; k < b.m; k++ {
		if p := b.ipiv[k]; p != k {
			rk, rp := x[k*w:(k+1)*w], x[p*w:(p+1)*w]
			for j := range rk {
				rk[j], rp[j] = rp[j], rk[j]
			}
		}
		xk := x[k*w : (k+1)*w]
		for r, lr := k+1, b.lrow[k]; r <= lr; r++ {
			if c := a[roff[r]+k]; c != 0 {
				axpyRow(-c, xk, x[r*w:(r+1)*w])
			}
		}
	}
	for k := b.m - 1; k >= 0; k-- {
		xk := x[k*w : (k+1)*w]
		off := roff[k]
		for j, lc := k+1, b.lcol[k]; j <= lc; j++ {
			if u := a[off+j]; u != 0 {
				axpyRow(-u, x[j*w:(j+1)*w], xk)
			}
		}
		d := a[off+k]
		for c := range xk {
			xk[c] /= d
		}
	}
}
