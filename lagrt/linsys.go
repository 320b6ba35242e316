package lagrt

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// LinearSolver selects how Newton's linear systems H·δ = −∇S are solved
// (Options.Linear). The default, LinearAuto, chooses from the model's
// Hessian pattern by the rule below; the others force one method (for
// tests and measurements).
//
// Let n be the number of coordinates and d = nnz/n² the density of the
// union of the patterns of Lqq, Lqv, Lqvᵀ, Lvv and the cost's (with the
// diagonal). LinearAuto uses
//
//   - LinearBand for n ≤ 8: the scalar band LU, whose dense blocks are
//     tiny; it is the fastest for small n, and the reference method;
//   - LinearSchur for n > 8 when the pattern is an arrow: the graph of
//     its off-diagonal (i ≠ j) couplings has a vertex cover, the hubs,
//     of at most min(32, n/4) coordinates (found greedily by degree, once
//     per pattern), so that the other coordinates, the leaves, couple in
//     space only to hubs; and one factorisation, estimated at
//     6N²·Σ_l k_l² + 6·bw·N²·Σ_l k_l + (2/3)(|hubs|·N)³ flops for leaves
//     coupled to k_l hubs each, costs at most the block LU's and, where
//     the rules below would choose LinearKrylov, at most 6·krylovBudget
//     = 480 GMRES iterations' flops (GMRES runs at about a sixth of the
//     speed of the dense kernels). Chains, lattices and dense networks
//     have no small cover; doubled models neither (each coordinate is
//     coupled to its partner) and are not searched;
//   - LinearBlock for 8 < n < 48 when d ≥ 0.1 or n ≤ 32: dense blocks,
//     factored at every Newton iteration;
//   - LinearKrylov for n ≥ 48 when d ≥ 0.1, giving way to
//     LinearBlockReuse for the rest of the solve (and the gradients that
//     reuse it) as soon as one GMRES solve needs more than krylovBudget
//     = 80 iterations: a factorisation of dense blocks costs 22.7·N·n³
//     flops (periodic), about as much as a few hundred GMRES iterations,
//     each O(N·n²);
//   - LinearKrylov otherwise (sparse coupling, n > 32 and d < 0.1): its
//     cost is O(nnz·N) per GMRES iteration, against the fill of n·N (a
//     chain: bandwidth n in time-major order, min(n, N) at best) of any
//     direct method on the space-time grid. It has no fallback: a direct
//     method on dense blocks would be prohibitive at such n.
//
// Measured on the 2-core test machine (BenchmarkNetworkLinear, the
// all-to-all network of n = 256 Duffing oscillators, periodic over 64
// steps, loaded machine): LinearKrylov 1.5 s and 62 GMRES iterations per
// free solve, LinearBlockReuse 6.1 s (one factorisation, 27 iterations),
// LinearBlock 23 s (five factorisations). A chain of 4,096 sites over
// 128 steps converges in a few GMRES iterations per Newton step. On an
// arrow (BenchmarkArrowLinear: 128 Duffing leaves coupled to each of 10
// hubs, n = 138, periodic over 16 steps; the ranges of several runs on
// the loaded machine) a free solve took 43–57 ms with LinearSchur (7
// factorisations), 58–95 ms with LinearKrylov (195 GMRES iterations) and
// 0.8–1.3 s with LinearBlock, LinearKrylov being 1.1–1.9 times and
// LinearBlock 18–23 times slower than LinearSchur within each run; in
// examples/mnist (the same shape, 10 outputs coupled to 128 hidden
// oscillators, warm-started training) a sample took 27–32 ms with
// LinearSchur and 85–102 ms with LinearKrylov, which there falls back to
// LinearBlockReuse; 123 ms against 583 over 32 steps, 341 against 1,109
// over 64.
type LinearSolver int

const (
	// LinearAuto chooses by the rule above.
	LinearAuto LinearSolver = iota
	// LinearBand is the scalar band LU with partial pivoting across
	// blocks (band.go): (3bw+1)·n stored per row, O(N·n³) per
	// factorisation at scalar speed.
	LinearBand
	// LinearBlock factors the block band Hessian (block tridiagonal for
	// fixed ends, folded to block bandwidth 2 for periodic ones) on n×n
	// blocks with BLAS-3 kernels at every Newton iteration (blocklu.go).
	LinearBlock
	// LinearBlockReuse is LinearBlock that keeps a factorisation across
	// Newton iterations: a later Hessian is solved by GMRES preconditioned
	// by the old factors, and refactored only when GMRES needs more than
	// about n/8 iterations (at most 30). Nudged solves and the adjoint
	// solve with the free Hessian the same way.
	LinearBlockReuse
	// LinearKrylov solves by restarted GMRES preconditioned by the
	// block-diagonal-in-space problem: for each coordinate i, the time
	// problem of the (i, i) entries of the Hessian blocks (tridiagonal,
	// or cyclic for periodic conditions), factored by the scalar band LU.
	// The kinetic term, of order 1/h, is diagonal in space for the usual
	// M = I, so the preconditioned Hessian is the identity plus the
	// spatial couplings relative to the time problems.
	LinearKrylov
	// LinearSchur is the exact arrow (bordered) solver of schur.go for
	// Hessians whose spatial couplings all have an end in a small set of
	// hub coordinates: each other coordinate's (leaf's) time problem is
	// factored by the scalar band LU, the hubs' Schur complement
	// S = D − C·A⁻¹·B (dense, of order |hubs|·N) by LU with partial
	// pivoting, at every Newton iteration; nudged solves and the adjoint
	// reuse the free factorisation. Where a leaf's own time problem is
	// singular, or eliminating the leaves would grow the entries by more
	// than 10⁶, that factorisation is the block LU's instead. Forced, it
	// takes as many hubs as the pattern's cover needs.
	LinearSchur
)

var linearNames = [...]string{"auto", "band", "block", "block-reuse", "krylov", "schur"}

// String returns "auto", "band", "block", "block-reuse", "krylov" or
// "schur".
func (l LinearSolver) String() string {
	if l >= 0 && int(l) < len(linearNames) {
		return linearNames[l]
	}
	return fmt.Sprintf("LinearSolver(%d)", int(l))
}

// Tuning of the linear solvers.
const (
	linTol        = 1e-11 // relative residual of GMRES solves
	krylovRestart = 40
	krylovMaxIt   = 400
	// krylovBudget is the number of GMRES iterations of one solve after
	// which LinearAuto gives up the per-coordinate preconditioner for the
	// block LU.
	krylovBudget = 80
)

// linear is the linear-algebra state of a Solver: the method, its
// factorisations and the Krylov workspace.
type linear struct {
	kind    LinearSolver
	bnd     band
	blk     blockLU
	sites   []band    // LinearKrylov: one scalar time problem per coordinate
	ar      arrow     // hub structure of the pattern (LinearSchur)
	sch     schurLU   // LinearSchur
	scatD   []scatter // LinearBand: assembly from hs.diag
	scatO   []scatter // LinearBand: assembly from hs.off
	scatKey scatterKey
	gm      gmres
	sp      splitter
	mj      mulHJob
	stale   bool      // blk factors an older Hessian than the current one
	xb, tb  []float64 // scratch: saved right-hand side, one coordinate's time vector
	mt      []float64 // scratch for the matrix-vector product
	sc      []float64 // √kinetic diagonal per unknown, for the condition estimate
	bw      int       // block bandwidth of the unknowns' order
	auto    bool      // LinearKrylov chosen by LinearAuto: falls back to LinearBlockReuse
	linErr  error     // failure of the last solveLin
	factors int       // factorisations since setup
	krylov  int       // GMRES iterations since setup
}

// linShape is what chooseLinear decides from: n coordinates, nb unknown
// time rows of block bandwidth bw, the union pattern's nnz entries per
// block and density and, when the pattern has an arrow structure (hubs
// ≥ 0, else −1), the estimated flops of one LinearSchur factorisation.
type linShape struct {
	n, nb, bw, nnz int
	dens           float64
	hubs, leaves   int
	schur          float64
}

// blockFlops is the flops of one LinearBlock factorisation.
func (sh *linShape) blockFlops() float64 {
	c := 7.67
	if sh.bw == 2 {
		c = 22.7
	}
	n := float64(sh.n)
	return c * n * n * n * float64(sh.nb)
}

// gmresFlops is the flops of one LinearKrylov iteration: the product
// with the three blocks of each time row, the per-coordinate
// preconditioner and modified Gram–Schmidt against krylovRestart/2
// vectors on average.
func (sh *linShape) gmresFlops() float64 {
	return float64(sh.nb) * (6*float64(sh.nnz) + float64(6*sh.bw*sh.n) + 4*krylovRestart/2*float64(sh.n))
}

// schurMaxHubs is the largest number of hubs for which LinearAuto
// considers LinearSchur.
func schurMaxHubs(n int) int { return min(32, n/4) }

// schurKrylovIters is the cost of a LinearKrylov solve that LinearAuto
// weighs a LinearSchur factorisation against, in GMRES iterations' flops:
// the krylovBudget = 80 iterations that LinearAuto grants one GMRES solve
// before it gives up the per-coordinate preconditioner, times 6 since the
// sparse products and Gram–Schmidt of GMRES run at about a sixth of the
// speed of the dense kernels of the factorisation (BenchmarkArrowLinear:
// about 1.3 against 8–9 GFlop/s).
const schurKrylovIters = 6 * krylovBudget

// chooseLinear applies the selection rule of LinearSolver. fallback
// reports a LinearKrylov choice that gives way to LinearBlockReuse when
// GMRES needs more than krylovBudget iterations.
func chooseLinear(forced LinearSolver, sh linShape) (kind LinearSolver, fallback bool) {
	if forced != LinearAuto {
		return forced, false
	}
	n, dens := sh.n, sh.dens
	switch {
	case n <= 8:
		return LinearBand, false
	case n >= 48 && dens >= 0.1:
		kind, fallback = LinearKrylov, true
	case dens >= 0.1 || n <= 32:
		kind = LinearBlock
	default:
		kind = LinearKrylov
	}
	if sh.hubs >= 0 && sh.hubs <= schurMaxHubs(n) && 2*sh.leaves >= n {
		alt := sh.blockFlops()
		if kind == LinearKrylov {
			alt = min(alt, schurKrylovIters*sh.gmresFlops())
		}
		if sh.schur <= alt {
			return LinearSchur, false
		}
	}
	return kind, fallback
}

// reuseIters is the number of GMRES iterations preconditioned by an old
// factorisation after which LinearBlockReuse refactors.
func (s *Solver) reuseIters() int { return max(4, min(30, s.n/8)) }

// sizeLinear sizes the linear solver for the current problem.
func (s *Solver) sizeLinear(bw int) {
	l := &s.lin
	sh := linShape{n: s.n, nb: s.nb, bw: bw, nnz: s.hs.nnz, dens: s.hs.density(), hubs: -1}
	switch {
	case s.set.linear == LinearSchur:
		l.ar.find(&s.hs, s.n)
	case s.set.linear == LinearAuto && s.n > 8 && s.info.Physical == 0:
		// A doubled model couples every coordinate to its partner: no
		// small set of hubs covers that.
		l.ar.find(&s.hs, schurMaxHubs(s.n))
	}
	if l.ar.gen == s.hs.gen && l.ar.done {
		sh.hubs, sh.leaves = len(l.ar.hubs), len(l.ar.leaves)
		sh.schur = l.ar.schurFlops(s.nb, bw)
	}
	l.kind, l.auto = chooseLinear(s.set.linear, sh)
	if l.kind == LinearKrylov && s.set.linear == LinearAuto && s.info.Physical > 0 {
		// A doubled model's per-coordinate time problems have a zero
		// diagonal (the mass couples each coordinate to its partner):
		// that preconditioner does not apply.
		l.kind, l.auto = LinearBlock, false
	}
	l.bw = bw
	M := s.nb * s.n
	l.xb = grow(l.xb, M)
	l.mt = grow(l.mt, M)
	l.sc = grow(l.sc, M)
	l.stale, l.linErr, l.factors, l.krylov = false, nil, 0, 0
	switch l.kind {
	case LinearBand:
		l.bnd.resize(s.n, s.nb, bw)
		if k := (scatterKey{s.n, s.N, s.bc, s.hs.gen}); k != l.scatKey || l.scatD == nil {
			s.bandScatter()
			l.scatKey = k
		}
	case LinearBlock, LinearBlockReuse:
		l.blk.resize(s.n, s.nb, bw)
	case LinearSchur:
		s.resizeSchur(bw)
	case LinearKrylov:
		if len(l.sites) != s.n {
			l.sites = make([]band, s.n)
		}
		for i := range l.sites {
			l.sites[i].resize(1, s.nb, bw)
		}
		l.tb = grow(l.tb, s.nb)
		l.gm.m = krylovRestart
	}
	if l.kind == LinearBlockReuse {
		l.gm.m = s.reuseIters()
	}
}

// scatter is one entry of the assembly of the band matrix: a[dst] +=
// src's value.
type scatter struct{ src, dst int32 }

// scatterKey identifies the shape that scatD and scatO were built for.
type scatterKey struct {
	n, N int
	bc   BC
	gen  int // of the union pattern
}

// bandScatter lists, in the order of the blocks (each unknown's row: its
// diagonal block, then its neighbours'), where every Hessian block entry
// goes in the band matrix, so that assembling it is one pass over the
// blocks' values.
func (s *Solver) bandScatter() {
	l, hs := &s.lin, &s.hs
	n := s.n
	b := &l.bnd
	l.scatD, l.scatO = l.scatD[:0], l.scatO[:0]
	for pos := range s.pos2grid {
		for _, q := range s.neighbours(pos) {
			isDiag, base, tr, ok := s.blockAt(pos, q)
			if !ok {
				continue
			}
			list := &l.scatO
			if isDiag {
				list = &l.scatD
			}
			for i := range n {
				for p := hs.rowPtr[i]; p < hs.rowPtr[i+1]; p++ {
					r, c := pos*n+i, q*n+int(hs.col[p])
					if tr {
						r, c = pos*n+int(hs.col[p]), q*n+i
					}
					*list = append(*list, scatter{int32(base + int(p)), int32(b.roff[r] + c)})
				}
			}
		}
	}
}

// blockOf returns the Hessian block at unknown positions (i, j): its
// values in pattern order and whether it is the transpose of a stored
// block; ok is false for a zero block.
func (s *Solver) blockOf(i, j int) (vals []float64, tr, ok bool) {
	isDiag, base, tr, ok := s.blockAt(i, j)
	switch {
	case !ok:
		return nil, false, false
	case isDiag:
		return s.hs.diag[base : base+s.hs.nnz], false, true
	}
	return s.hs.off[base : base+s.hs.nnz], tr, true
}

// blockAt locates the block of blockOf: at offset base of hs.diag or
// (isDiag false) hs.off.
func (s *Solver) blockAt(i, j int) (isDiag bool, base int, tr, ok bool) {
	nnz := s.hs.nnz
	gi, gj := s.pos2grid[i], s.pos2grid[j]
	if i == j {
		return true, gi * nnz, false, true
	}
	next := func(g int) int {
		if s.bc == Periodic && g == s.N-1 {
			return 0
		}
		return g + 1
	}
	switch {
	case next(gi) == gj:
		return false, gi * nnz, false, true
	case next(gj) == gi:
		return false, gj * nnz, true, true
	}
	return false, 0, false, false
}

// mulH sets dst = H·src in unknown order. Each block row is computed on
// its own (the diagonal block, then the step to the next grid row, then
// the step from the previous one), with BLAS Dgemv when the union pattern
// is dense; large products are split in two halves of block rows (see
// splitter), which gives the same bits.
func (s *Solver) mulH(dst, src []float64) {
	j := &s.lin.mj
	j.s, j.dst, j.src = s, dst, src
	if s.nb*s.hs.nnz < 1<<15 {
		j.rows(0, s.nb)
		return
	}
	s.lin.sp.run(j)
}

// mulHJob is mulH split in two halves of block rows.
type mulHJob struct {
	s        *Solver
	dst, src []float64
}

func (j *mulHJob) half(h int) {
	nb := j.s.nb
	if h == 0 {
		j.rows(0, nb/2)
	} else {
		j.rows(nb/2, nb)
	}
}

// rows computes block rows p0..p1−1 of H·src.
func (j *mulHJob) rows(p0, p1 int) {
	s, dst, src := j.s, j.dst, j.src
	n, nnz, hs, N := s.n, s.hs.nnz, &s.hs, s.N
	mul := func(y, vals, x []float64, tr bool) {
		if hs.full {
			t := blas.NoTrans
			if tr {
				t = blas.Trans
			}
			blas64.Gemv(t, 1, blas64.General{Rows: n, Cols: n, Stride: n, Data: vals},
				blas64.Vector{N: n, Inc: 1, Data: x}, 1, blas64.Vector{N: n, Inc: 1, Data: y})
			return
		}
		hs.mulAdd(y, vals, x, tr)
	}
	for pos := p0; pos < p1; pos++ {
		g := s.pos2grid[pos]
		y := dst[pos*n : pos*n+n]
		clear(y)
		mul(y, hs.diag[g*nnz:(g+1)*nnz], src[pos*n:pos*n+n], false)
		// Step g joins grid rows g and g+1, step g−1 rows g−1 and g.
		if g < N {
			if o := s.grid2pos[g+1]; o >= 0 {
				mul(y, hs.off[g*nnz:(g+1)*nnz], src[o*n:o*n+n], false)
			}
		}
		k := g - 1
		if k < 0 && s.bc == Periodic {
			k = N - 1
		}
		if k >= 0 {
			if o := s.grid2pos[k]; o >= 0 {
				mul(y, hs.off[k*nnz:(k+1)*nnz], src[o*n:o*n+n], true)
			}
		}
	}
}

// factorLin factors the current Hessian (or, for LinearBlockReuse with a
// factorisation at hand, marks it stale, and for LinearKrylov builds the
// preconditioner). It returns the pivot range (pmin = 0: exactly
// singular; both 1 when nothing was factored).
func (s *Solver) factorLin() (pmin, pmax float64) {
	l := &s.lin
	switch l.kind {
	case LinearBand:
		b := &l.bnd
		b.zero()
		diag, off := s.hs.diag, s.hs.off
		for _, e := range l.scatD {
			b.a[e.dst] += diag[e.src]
		}
		for _, e := range l.scatO {
			b.a[e.dst] += off[e.src]
		}
		l.factors++
		return b.factor()
	case LinearBlock, LinearBlockReuse:
		if l.kind == LinearBlockReuse && l.blk.ok {
			l.stale = true
			return 1, 1
		}
		return s.factorBlock()
	case LinearKrylov:
		return s.factorSites()
	case LinearSchur:
		return s.factorSchur()
	}
	return 0, 0
}

func (s *Solver) factorBlock() (pmin, pmax float64) {
	l := &s.lin
	l.stale = false
	l.factors++
	return l.blk.factor(func(i, j int, dst []float64) bool {
		vals, tr, ok := s.blockOf(i, j)
		if ok {
			s.hs.dense(dst, vals, tr)
		}
		return ok
	})
}

// neighbours returns the unknown positions coupled to pos (itself first).
func (s *Solver) neighbours(pos int) []int {
	nb := s.nbuf[:0]
	nb = append(nb, pos)
	g := s.pos2grid[pos]
	for _, h := range [2]int{g - 1, g + 1} {
		if s.bc == Periodic {
			h = (h + s.N) % s.N
		}
		if h >= 0 && h <= s.N {
			if p := s.grid2pos[h]; p >= 0 && p != pos {
				nb = append(nb, p)
			}
		}
	}
	s.nbuf = nb
	return nb
}

// factorSites factors the per-coordinate time problems of LinearKrylov:
// for coordinate i, the matrix of the (i, i) entries of the Hessian
// blocks. Where that time problem is itself nearly singular (its smallest
// pivot below 1e-3 of the kinetic scale: a site near a conjugate point or
// resonance of its own, which the coupling may well move away from), the
// site uses instead the positive definite problem in which every step's
// potential term a = (h/4)∂²L/∂q_i² is replaced by |a|: each step then
// adds [[V+|a|, −V+|a|], [−V+|a|, V+|a|]] with V = ∂²L/∂v_i²/h.
func (s *Solver) factorSites() (pmin, pmax float64) {
	l := &s.lin
	hs := &s.hs
	n, nnz := s.n, hs.nnz
	pmin, pmax = math.Inf(1), 0
	for i := range l.sites {
		b := &l.sites[i]
		d := int(hs.dpos[i])
		b.zero()
		for pos := range s.pos2grid {
			for _, q := range s.neighbours(pos) {
				if vals, _, ok := s.blockOf(pos, q); ok {
					b.a[b.roff[pos]+q] = vals[d]
				}
			}
		}
		lo, hi := b.factor()
		kmin := math.Inf(1)
		for _, g := range s.pos2grid {
			kmin = min(kmin, math.Abs(hs.kin[g*n+i]))
		}
		if lo < 1e-3*kmin {
			b.zero()
			for k := range s.N {
				ia, ib := s.grid2pos[k], s.grid2pos[k+1]
				V := hs.kinS[k*n+i]
				a := math.Abs(hs.off[k*nnz+d] + V)
				a = max(a, 1e-8*math.Abs(V))
				if ia >= 0 {
					b.a[b.roff[ia]+ia] += V + a
				}
				if ib >= 0 {
					b.a[b.roff[ib]+ib] += V + a
				}
				if ia >= 0 && ib >= 0 {
					b.a[b.roff[ia]+ib] += a - V
					b.a[b.roff[ib]+ia] += a - V
				}
			}
			lo, hi = b.factor()
		}
		pmin, pmax = min(pmin, lo), max(pmax, hi)
	}
	l.factors++
	return 1, 1
}

// precSites applies the LinearKrylov preconditioner to x.
func (s *Solver) precSites(x []float64) {
	n, t := s.n, s.lin.tb
	for i := range s.lin.sites {
		for pos := range t {
			t[pos] = x[pos*n+i]
		}
		s.lin.sites[i].solve(t)
		for pos, v := range t {
			x[pos*n+i] = v
		}
	}
}

// solveLin overwrites x (unknown order) with H⁻¹x for the Hessian of the
// last Level2 sweep that factorLin saw, to relative residual linTol when
// the solve is iterative. A failure of the iterative solver is recorded
// in s.lin.linErr.
func (s *Solver) solveLin(x []float64) { s.solveLinTol(x, linTol) }

// iterative reports whether solveLin is iterative (GMRES) rather than a
// direct solve with factors of the current Hessian.
func (s *Solver) iterative() bool {
	l := &s.lin
	return l.kind == LinearKrylov || (l.kind == LinearBlockReuse && l.stale)
}

// solveLinTol is solveLin to relative residual tol (≥ linTol) for the
// iterative methods; direct solves are exact up to round-off whatever tol.
// Callers pass a tol above linTol where the solution only feeds a test or
// a step that a later iteration corrects (see newton and chord).
func (s *Solver) solveLinTol(x []float64, tol float64) {
	l := &s.lin
	l.linErr = nil
	tol = max(tol, linTol)
	switch l.kind {
	case LinearBand:
		l.bnd.solve(x)
	case LinearBlock:
		l.blk.solve(x)
	case LinearSchur:
		s.solveSchur(x)
	case LinearBlockReuse:
		if !l.stale {
			l.blk.solve(x)
			return
		}
		copy(l.xb, x)
		its, ok := l.gm.solve(x, s.mulH, l.blk.solve, tol, s.reuseIters())
		l.krylov += its
		if ok {
			return
		}
		// The old factorisation is too far from this Hessian: refactor.
		copy(x, l.xb)
		s.refactorSolve(x)
	case LinearKrylov:
		maxIt := krylovMaxIt
		if l.auto {
			copy(l.xb, x)
			maxIt = krylovBudget
		}
		its, ok := l.gm.solve(x, s.mulH, s.precSites, tol, maxIt)
		l.krylov += its
		if ok {
			return
		}
		if l.auto {
			// The coupling is too strong for the per-coordinate
			// preconditioner: factor the blocks from now on.
			l.kind = LinearBlockReuse
			l.blk.resize(s.n, s.nb, l.bw)
			l.gm.m = s.reuseIters()
			copy(x, l.xb)
			s.refactorSolve(x)
			return
		}
		l.linErr = fmt.Errorf("%w: GMRES (preconditioned by the per-coordinate time problems) did not reach "+
			"relative residual %g in %d iterations; the spatial coupling is too strong for this preconditioner: "+
			"try Options.Linear = LinearBlock", ErrNoConvergence, tol, its)
	}
}

// refactorSolve factors the current Hessian by the block LU and
// overwrites x with H⁻¹x.
func (s *Solver) refactorSolve(x []float64) {
	if pmin, _ := s.factorBlock(); pmin == 0 || math.IsNaN(pmin) {
		s.lin.linErr = fmt.Errorf("%w: block LU: zero pivot", ErrSingular)
		for i := range x {
			x[i] = math.NaN()
		}
		return
	}
	s.lin.blk.solve(x)
}

// estimateRCond estimates the relative reciprocal condition number of the
// Hessian: with the symmetric diagonal scaling H̃ = D^{-½} H D^{-½} by the
// kinetic diagonal D (Σ ∂²L/∂v_i²/h of the adjacent steps), it is
// ρ = ‖K̃⁻¹‖₁ / ‖H̃⁻¹‖₁, where K̃ is the scaled kinetic operator of a unit
// mass with fixed ends over the same N steps, tridiag(−½, 1, −½), whose
// inverse has 1-norm ⌊N/2⌋·⌈N/2⌉. ρ is 1 for a free particle with fixed
// ends, 1 − (ωT/π)² for an oscillator, independent of N and of the units
// of each coordinate; it goes to 0 at a conjugate point (fixed ends), a
// resonance or a zero mode (periodic). ‖H̃⁻¹‖₁ is estimated by Hager's
// method as refined by Higham (LAPACK dlacn2) with at most maxIter
// refinement steps. It returns 0 for a singular kinetic diagonal.
func (s *Solver) estimateRCond(maxIter int) float64 {
	n, m := s.n, s.nb*s.n
	sc := s.lin.sc
	for pos, g := range s.pos2grid {
		for i := range n {
			sc[pos*n+i] = math.Sqrt(math.Abs(s.hs.kin[g*n+i]))
		}
	}
	v, z := s.w[:m], s.qt[:m] // scratch (s.qt is free outside the line search)
	// The estimate needs about one digit: iterative solves stop at
	// relative residual 1e-3.
	solve := func(x []float64) {
		for i := range x {
			x[i] *= sc[i]
		}
		s.solveLinTol(x, 1e-3)
		for i := range x {
			x[i] *= sc[i]
		}
	}
	// A ramp rather than LAPACK's constant start: the Hessian of a
	// time-symmetric problem maps symmetric vectors to symmetric ones, and
	// a symmetric start would never see an antisymmetric near-null mode
	// (the oscillator at its second conjugate point, ωT ≈ 2π).
	ws := 0.0
	for i := range v {
		v[i] = 1 + float64(i)/float64(m)
		ws += v[i]
	}
	for i := range v {
		v[i] /= ws
	}
	solve(v)
	est := asum(v)
	jx := -1
	for iter := 0; iter < maxIter; iter++ {
		for i, x := range v {
			z[i] = math.Copysign(1, x)
		}
		solve(z)
		ztx := 0.0
		if jx < 0 {
			for i, x := range z {
				ztx += x * (1 + float64(i)/float64(m)) / ws
			}
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
		solve(v)
		e := asum(v)
		if !(e > est) {
			break
		}
		est = e
	}
	for i := range v {
		sg := 1.0
		if i%2 == 1 {
			sg = -1
		}
		v[i] = sg * (1 + float64(i)/float64(max(m-1, 1)))
	}
	solve(v)
	est = max(est, 2*asum(v)/float64(3*m))
	if math.IsNaN(est) || math.IsInf(est, 0) || est == 0 {
		return 0
	}
	ref := float64(s.N/2) * float64((s.N+1)/2)
	return ref / est
}
