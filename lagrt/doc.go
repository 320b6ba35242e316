// Package runtime finds stationary trajectories of a discretised action and
// computes gradients of a cost along them, by Equilibrium Propagation (EP),
// by the adjoint method and by finite differences. Generated code and the
// lagc interpreter implement Model; everything else here works on any
// Model. The package imports only the standard library and gonum, so
// programs that use compiled models never link the compiler.
//
// The mathematics is specified in docs/math.md; this comment
// explains what the runtime does with it.
//
// # Discretisation
//
// A Problem fixes a horizon T and a number of steps N; the grid is
// t_k = k·h with h = T/N. On each step the runtime evaluates the model at
// the midpoint: q̄_k = (q_k+q_{k+1})/2, v_k = (q_{k+1}−q_k)/h and
// t_{k+½} = (k+½)h. The discrete action is S_d = Σ_k h·L(q̄_k, v_k, t_{k+½})
// and the discrete cost C_d = Σ_k h·c(q̄_k, v_k, t_{k+½}). Inputs u(t) and
// targets y(t) enter at the same midpoints: a Signal given as a function is
// called there, and one given as samples on the grid is averaged over the
// two neighbouring samples. A trajectory is a solution when ∂S_d/∂q_k = 0
// for every unknown q_k: these are the discrete Euler–Lagrange equations of
// the midpoint variational integrator. The reported momenta are
// p_k = ∂/∂q_k of the step ending at q_k.
//
// # Boundary conditions and the initial guess
//
// With Fixed conditions q_0 = Problem.Q0 and q_N = Problem.QT are given and
// q_1..q_{N−1} are unknown. With Periodic conditions q_N ≡ q_0 and
// q_0..q_{N−1} are unknown; T is then the period. Both make the EP theorem
// exact (no boundary term remains). Newton's method starts from
// Problem.Guess if given, otherwise from the straight line between Q0 and
// QT (Fixed) or from the rest state q = 0 (Periodic).
//
// Periodic problems are checked to be periodic: L, ∂L/∂q and ∂L/∂v must
// agree at t and t + T (same q, v, θ, u) on a few points, else the
// boundary terms of the action do not cancel and the stationary point is
// not the physical orbit (an exp(γt) damping factor is the usual cause).
//
// A model with dissipation is doubled (Info.Physical > 0): its 2n
// coordinates are the physical ones and the separations of Galley's two
// copies. Q0, QT and guess rows may give the physical coordinates only;
// the separations are then zero (held at zero at fixed ends), and the
// kinetic diagonal used for scaling and the regularity check is read from
// ∂²L/∂v_i∂v_{partner(i)}, the off-diagonal block that carries the mass.
// Solution.Physical returns the physical coordinates, momenta and the
// largest separation. Initial-value problems are not available for them.
//
// # Solver
//
// The Hessian of S_d is block tridiagonal with n×n blocks (n coordinates),
// plus two corner blocks for periodic conditions; it is symmetric and, for
// Lagrangians with kinetic minus potential terms, indefinite, so it is
// factored by LU with partial pivoting, never Cholesky, and iterative
// solves use GMRES, not MINRES or conjugate gradients. Every block is
// stored by value in one sparsity pattern, the union of the patterns of
// the model's Hessian quantities, so that assembling the Hessian costs
// O(N·nnz). Periodic problems are reordered as q_0, q_{N−1}, q_1, q_{N−2},
// … which makes the cyclic block matrix a band of block bandwidth two.
//
// Options.Linear selects the linear solver; by default (LinearAuto) it is
// chosen from n, the density d = nnz/n² of the union pattern and its
// hubs:
//
//   - n ≤ 8: the scalar band LU with partial pivoting across blocks
//     (LinearBand), assembled from the blocks through a precomputed
//     scatter list;
//   - n > 8 and every spatial coupling with an end in a set of at most
//     min(32, n/4) hub coordinates (a star, a layer of hidden units
//     coupled only to a few outputs, a probe in a bath): the exact arrow
//     solver (LinearSchur), when its estimated cost is below the
//     alternatives' (see LinearSolver). The other coordinates' time
//     problems are independent scalar band systems; eliminating them
//     leaves the hubs' Schur complement, a dense matrix of order
//     |hubs|·N factored by LU with partial pivoting; a leaf whose own
//     time problem is singular makes that factorisation the block LU's;
//   - 8 < n < 48 with d ≥ 0.1, or n ≤ 32: the block LU on dense n×n
//     blocks with BLAS-3 kernels (LinearBlock, refactored at every Newton
//     iteration; 7.7·n³ flops per step for fixed ends, 22.7·n³ for
//     periodic ones);
//   - n ≥ 48 with d ≥ 0.1 (dense coupling): restarted GMRES
//     preconditioned by the per-coordinate time problems (LinearKrylov),
//     O(N·nnz) per iteration and no factorisation of dense blocks; when a
//     solve needs more than 80 iterations (coupling too strong for that
//     preconditioner) the solver switches to LinearBlockReuse, which
//     factors the blocks once and solves later Hessians by GMRES
//     preconditioned by those factors, refactoring only when GMRES needs
//     more than min(30, n/8) iterations;
//   - otherwise (sparse coupling, n > 32): LinearKrylov, whose cost
//     follows the nonzeros, where any direct method on the space-time grid
//     would fill a band of width n.
//
// Iterative solves are inexact where that is safe: a Newton correction
// after one of relative size r is solved to relative residual
// min(1e-6, max(1e-11, 0.01·r²)) (Eisenstat–Walker), which keeps the
// quadratic convergence; the chord iterations of nudged solves to 1e-6,
// since every correction is checked by the next sweep; the solves of the
// condition estimate to 1e-3. Matrix–vector products use BLAS Dgemv on
// dense patterns; large products and the solves with block factors are
// split into two halves computed on two goroutines in a way that does not
// change the bits, so results do not depend on GOMAXPROCS. A Newton
// iteration costs O(N·n³) time and O(N·n²) memory with the block LU, and
// O(N·nnz) per GMRES iteration with LinearKrylov.
//
// Newton's method is globalised by backtracking on the ℓ2 norm of the
// residual ∇S_d. A free solve has converged when the Newton correction δq
// computed at the current point satisfies ‖δq‖∞ ≤ Tol·scale, where scale is
// the largest of ‖q‖∞, the guess's ‖q‖∞ and the first correction's ‖δq‖∞
// (Options.Tol, default 1e-10; never below the round-off level 16εN). The
// returned trajectory is the point at which the correction was computed and
// the test passed, so its residual (Solution.Residual, max|∂S_d/∂q_k|/h,
// the discrete Euler–Lagrange equations in force units) was evaluated
// there. When the residual is already at the size of its own rounding
// errors, a correction up to 1000 times the tolerance is accepted. At a
// free solution the runtime estimates the reciprocal condition number of
// the Hessian (Solution.RCond) and rejects it below Options.MinRCond.
//
// # Convergence and globalisation
//
// Plain damped Newton from the straight line fails on moderately
// nonlinear fixed-end problems once the horizon passes a conjugate point
// of the linearisation (the double pendulum of testdata from q = (0.5,
// −0.3) to (1, 0.2) with N = 100 fails for T = 0.9…2 and 4): the line
// search stalls at a point where ‖∇S_d‖₂ has a local minimum and the
// Hessian is nearly singular, or the iteration wanders. A Levenberg–
// Marquardt or trust-region step stalls at the same points, since they
// are local minima of the residual norm. So when a free solve fails
// (ErrNoConvergence, or a NaN or singular Hessian along the Newton path
// but not at the initial guess nor at a point that passed the
// convergence test) the solver falls back to continuation in the
// horizon:
//
//   - The family P(λ) has horizon λT with the same N, end values,
//     parameters and per-step signal values, so only h = λT/N changes and
//     a trajectory of one member maps onto the next row by row.
//   - P(λ₀), λ₀ = 1/16 (halved down to 1/1024 if needed), is solved by
//     damped Newton from Problem.Guess if given (row by row, so that the
//     path starts on the branch the guess selects), otherwise from the
//     straight line (rest for periodic problems):
//     for short horizons the kinetic term, of order 1/h, dominates the
//     Hessian and the straight line is nearly the solution.
//   - λ then steps to 1, each member started from the secant
//     extrapolation of the last two; the step doubles after a member
//     solved in at most 4 iterations and halves after a failure (at
//     most 16 iterations per intermediate member, 100 members, smallest
//     step 1/8192).
//   - The last member is the problem asked for, solved by the same Newton
//     method with the caller's Options. Convergence therefore means the
//     tolerance above, the condition check is made at the solution, and
//     the Hessian factorisation the solver keeps (used by the nudged
//     solves and the adjoint) is the one at the returned trajectory.
//
// Solution.Continuation reports how many members were solved (0 when
// plain Newton sufficed) and Solution.Iterations counts every Newton
// iteration, those of the failed plain attempt included.
// Options.NoContinuation switches the fallback off. Nudged solves
// (SolveNudged, Gradient) never use it: they start from the free
// solution. When continuation fails too, the error is plain Newton's,
// followed by the horizon continuation reached and its last failure.
// The fallback costs nothing when plain Newton succeeds and allocates
// only the error values of its failed attempts.
//
// Measured (N = 100, Options defaults): the double pendulum above
// converges for every T in 0.5…6 (plain Newton: 9 of 56 horizons), with
// 5 members and 26–69 iterations in all for T = 0.9…2; a pendulum (m = l = 1) from
// 0.2 to 2.5 for every T in 0.5…6 (plain: 13 of 56). Pseudo-arclength
// continuation in (q, λ), which also passes folds of the curve in λ,
// converged on the same cases with 1.6–1.8 times the iterations and none
// more, so the runtime uses the natural parameter λ.
//
// Periodic problems are continued in the same way (the drive's period
// shrinks with the horizon), but this rarely helps: in an undamped driven
// system the response curve of the branch that starts at rest ends at a
// fold, beyond which only the large in-phase response remains, and that
// branch is not connected to rest by the horizon nor by the drive
// amplitude (pseudo-arclength continuation past the fold follows the
// middle branch to unbounded amplitude). The coupled system of the tests
// driven with amplitude 0.8 at frequency 2 is such a case (the fold is at
// T ≈ 0.99·π in the horizon, at amplitude ≈ 0.6 in the drive) and fails
// with an error that says so; such problems need a Problem.Guess near the
// sought branch. testdata/duffing.lag with β = 0.2 driven by A·cos 2t
// over T = π converges by plain Newton up to A ≈ 5.
//
// # Errors
//
// Errors wrap one of ErrNoConvergence (with the iteration count, correction
// and residual), ErrSingular (naming the likely cause: a conjugate point
// such as T = π/ω for fixed ends, or the time-shift zero mode of an
// autonomous system, or a resonance, for periodic ones; and what to change),
// ErrNaN and ErrProblem, and their messages start with "lagrt: ". No
// function returns a trajectory that failed the convergence test. When the
// Hessian is singular and so is the kinetic matrix ∂²L/∂v² on some steps
// of the iterate (polar coordinates at radius 0, for example the default
// periodic guess q = 0 of a spring pendulum), the error says that instead
// and suggests a guess away from there. Hints are phrased without API
// names ("give an initial guess"), so that a command line can add its
// flags.
//
// # Discretisation error
//
// Every free solve (Solve, Solver.Solve and the free solve of a gradient)
// estimates its discretisation error into Solution.ErrorEstimate, unless
// Options.NoErrorEstimate is set; Evaluator and Train switch it off unless
// asked for (Evaluator.ErrorEstimate, TrainOptions.ErrorEstimate).
//
//   - Richardson comparison: the problem on M = N/2 steps is started from
//     the fine solution at the coarse times (the rows themselves for even
//     N, cubic Lagrange interpolation for odd N; signal samples alike) and
//     corrected by one Newton step δ. Since the coarse solution differs
//     from that start by the discretisation error, O(H²), the step gives
//     it to O(H⁴), and the fine error is ‖δ‖∞/((N/M)² − 1)
//     (ErrorEstimate.Max; Rel relative to the largest excursion of a
//     coordinate; Cost for C_d from ∇C_d·δ). On the closed forms of
//     docs/math.md §4 the estimate is within 1% of the actual error, for
//     even and odd N, fixed and periodic conditions.
//   - Local time scale: ωh per step, ω² the spectral radius of
//     (∂²L/∂v²)⁻¹∂²L/∂q² at the midpoint (ErrorEstimate.OmegaH). It flags
//     unresolved fast motions that the comparison can miss because the
//     coarse grid has a similar spurious solution.
//
// A solution carries a warning (Solution.Warnings) when Rel exceeds
// ErrorWarnRel = 1e-2, when ωh > 1, or when the comparison step fails
// (its error is in ErrorEstimate.Err). Flagged in the tests: the
// oscillator from 0.1 to 0.2 over T = π (the continuous conjugate point;
// the discrete solution reaches q ≈ 1161, estimate 290, Rel 0.25); the
// figure-eight three-body path over a quarter period at N = 60, where two
// bodies pass within 0.003 of each other between nodes (ωh = 1.8 on that
// step; the comparison with 30 steps sees only 1e-3, as the coarse grid
// has a similar spurious path); stiff oscillators at ωh = 1.2 and 2.1.
// Cost (BenchmarkErrorEstimate, N = 1000): one Level2 sweep on the fine
// grid and one sweep and one factorisation on the coarse grid, that is
// 25% more model evaluations for the pendulum (6000 → 7500), 14% for a
// periodic chain of two (11000 → 12500) and 75% for a linear oscillator,
// whose solve is a single Newton iteration (2000 → 3500).
//
// # Gradients
//
// ComputeGradient and Solver.Gradient estimate dC_d/dθ at the free
// solution q_0. Let ∂S/∂θ[q] = Σ_k h ∂L/∂θ along q (reported as
// Solution.DSdTheta) and let q_β be stationary for S_d + βC_d.
//
//   - EPOneSided: (∂S_β/∂θ[q_β] − ∂S/∂θ[q_0])/β, bias O(β).
//   - EPCentered: (∂S_β/∂θ[q_β] − ∂S_−β/∂θ[q_−β])/(2β), bias O(β²).
//   - Adjoint: ∂C_d/∂θ − λᵀ∂²S_d/∂q∂θ with Hλ = ∇_q C_d, reusing the free
//     Hessian factorisation; exact up to round-off.
//   - FiniteDiff: central differences of C_d(q*(θ)) over whole solves with
//     step Options.FDStep·max(1, |θ_j|) (default 1e-5), 2P solves.
//
// Here ∂S_β/∂θ = ∂S/∂θ + β∂C_d/∂θ: a cost that depends on θ explicitly adds
// its ∂C_d/∂θ at the nudged trajectories (average of q_±β for the centered
// estimator), which is what the EP theorem differentiates.
//
// # Choice of β
//
// β has the units of L/c, so no fixed value suits every model. By default
// (Options.Beta = 0) the runtime chooses β for each problem from its free
// solution, with λ = H⁻¹∇_q C_d (one back-substitution with the free
// factorisation): β is the largest value for which, to first order in β,
// the nudge changes the free cost by at most BetaCostFraction = 1e-4 of
// itself (β·|∇C_dᵀλ| ≤ 1e-4·|C_d|, the "1e-3..1e-2 of the cost scale" of
// the theory, made sharper for the 1e-6 target) and moves the trajectory
// by at most BetaDispFraction = 1e-4 of its largest excursion
// (β‖λ‖∞ ≤ 1e-4·max_i(max_k q_{k,i} − min_k q_{k,i})). Scaling L by s scales
// this β by s. Gradient.Beta reports the β used; DefaultBeta = 1e-4 is the
// fallback when neither bound applies (∇_q C_d = 0). Measured against the
// adjoint (TestDefaultBetaScaleAware): centered relative errors 4e-10 to
// 3e-8 on the test problems and on the oscillator with L scaled by 1e8 and
// 1e-6, where a fixed β = 1e-4 is refused as round-off and biased by 8
// (800%) respectively; on the testdata Duffing oscillator 7e-11 (centered)
// and 5e-5 (one-sided, bias O(β)).
//
// An explicit Options.Beta below that default is checked for round-off:
// the runtime estimates the relative error of the EP difference from the
// representation of the trajectories (2ε‖q‖∞/√N against their
// displacement ‖q_β − q_ref‖∞), the corrections the nudged solves stopped
// at, and the rounding of ∂S/∂θ (4ε Σ_k h|∂L/∂θ| along the trajectory,
// one extra model sweep), and returns ErrProblem, with the default β to
// use instead, when that estimate exceeds MaxEPNoise = 1e-3 and raising β
// would help. lagc grad on testdata/duffing.lag (periodic, T = 2π, 64
// steps, u = 0.3cos 2t, y = −0.1cos 2t) is refused for β ≤ 3e-11 (at 1e-14
// it returned exactly 0, at 1e-13 an error of 27%); 1e-10 passes with an
// actual error of 7e-5 (the estimate is 1 to 13 times the actual error for
// β = 1e-13..1e-10). With the default β no estimate is refused: when it is
// noisy, the gradient itself is at round-off level, as at a zero of the
// cost.
//
// Nudged solves start from the free solution and reuse its
// Hessian factorisation (chord iterations: one first-order sweep and one
// back-substitution each). They converge when the correction is below
// Options.GradTol (default 1e-7) times the displacement from the free
// trajectory, so that difference quotients are accurate to about GradTol
// whatever β; with the default β the +β solve takes two iterations and the
// −β solve, started from the predictor q_β + 2βH⁻¹∇C_d whose error is
// O(β³), one. A centered EP gradient therefore costs about three extra
// model sweeps and no factorisation beyond the free solve.
//
// # Training
//
// The zero TrainOptions train like the lagc command: centered EP
// (EPCentered is the zero Method) and Adam with learning rate
// DefaultLearningRate = 0.05. Each sample is warm-started from its last
// free trajectory unless NoWarmStart is set. Warm starts follow a branch
// of solutions, and can carry a sample across a bifurcation onto another
// branch; cold starts can change branch too, when the guess's basin moves.
// The Evaluator therefore compares every sample with its previous
// evaluation and warns (Evaluation.Warnings, EpochStats.Warnings,
// TrainResult.Warnings) when its cost changes by more than 10 times the
// change ½(g_prev + g)·Δθ that its gradients predict for the parameter
// step (and by more than 5% of the cost), or when its trajectory moves 30
// times farther per unit step than in the previous step (and by more than
// 10% of its excursion). The trapezoidal prediction is exact to O(|Δθ|³)
// on a smooth branch, so smooth training raises no warning (tested on the
// oscillator, the coupled and the double-well datasets).
//
// TrainOptions.BatchSize trains on minibatches, for datasets too large
// for one step per pass: each epoch visits the samples in an order
// shuffled by rand.New(rand.NewPCG(TrainOptions.Seed, epoch)) and takes
// one optimiser step per BatchSize consecutive samples, on their mean
// gradient (frozen entries zeroed, clipped per step). Within a batch the
// samples are computed in parallel into slots reduced in the batch's
// order, so results are bitwise independent of Workers, as with full
// batches, and a batch of the whole dataset is the full batch exactly.
// Each sample is still warm-started from its own free trajectory of the
// previous epoch, and the final evaluation after the last epoch is over
// all samples. Memory is the warm starts plus O(BatchSize·P) for the
// gradients (the Evaluator's LossGradBatch, LossBatch), where full
// batches keep two gradients per sample for branch-jump detection; that
// detection therefore runs with full batches only. In TrainOptions,
// BatchProgress reports every step, Progress every epoch (the mean cost
// of its samples, each at the parameters before its batch's step, and the
// parameters after its steps), and Observe every free solution, for
// example to measure accuracy without solving again. After a stop in the
// middle of an epoch, TrainResult.Theta holds the parameters after the
// last step, to save and resume from; TrainResult.Loss, the loss at
// Theta, is known only after the final evaluation.
//
// Samples with Initial conditions (Sample.Q0 with V0 or P0) are integrated
// forward; they have a single solution, so they are neither warm-started
// nor checked for branch jumps. A dataset may mix them with fixed and
// periodic samples: each sample uses MethodFor(TrainOptions.Method, its
// BC), so the default trains boundary-value samples by centered EP and
// initial-value ones by the centered echo, and EPOneSided or EchoOneSided
// the one-sided form of each.
//
// # Invariants
//
// No function modifies its inputs: Problems, Signals' samples, guesses,
// parameter vectors and warm-start Solutions are only read. Models must not
// allocate in Eval and must be safe for concurrent use; the runtime calls
// Eval with buffers it owns. A Solver is a workspace for one goroutine:
// after its first use, repeated Solve, SolveNudged and Gradient calls on
// problems of the same shape, with reused destination values, allocate
// nothing. Run parallel work (for example training over a data set) with
// one Solver per goroutine and a shared Model. Shapes that do not match the
// model are reported as ErrProblem by the solver and panic in Model.Eval
// (CheckPoint).
//
// # Initial-value problems
//
// With BC Initial the runtime integrates the midpoint discrete
// Euler–Lagrange equations of docs/math.md §3 forward from q_0 = Problem.Q0
// and an initial momentum p_0, one implicit step at a time. With the
// discrete Lagrangian L_d(a, b) = h L((a+b)/2, (b−a)/h, t_{k+½}) of step k,
// the step from (q_k, p_k) solves
//
//	p_k + D1 L_d(q_k, q_{k+1}) = 0,   D1 L_d = (h/2) L_q − L_v,
//
// for q_{k+1} (n unknowns) by Newton's method, started from the constant
// velocity extrapolation q_k + (q_k − q_{k−1}) (q_0 + h·V0 on the first
// step), and then sets p_{k+1} = D2 L_d(q_k, q_{k+1}) = (h/2) L_q + L_v.
// The step Jacobian is the n×n block
//
//	J_k = ∂²L_d/∂q_k∂q_{k+1} = (h/4) L_qq + ½ (L_qv − L_qvᵀ) − L_vv / h,
//
// assembled dense from the model's pattern values and factored by LAPACK
// (getrf); its reciprocal condition number (gecon) below Options.MinRCond
// is reported as a singular step. Newton stops when the correction is
// below Options.Tol times max(‖q_{k+1}‖∞, ‖q_{k+1} − q_k‖∞); the
// convergence is quadratic, so the error left is at round-off.
//
// Problem.P0 gives p_0 directly. Problem.V0 gives the initial velocity,
// mapped to the continuous momentum p_0 = ∂L/∂v(q_0, V0, t = 0) (inputs
// at t = 0: Signal.Func(0) or the first sample). The discrete trajectory
// then starts with that momentum, so its first difference quotient
// (q_1 − q_0)/h equals V0 only up to O(h).
//
// The discrete map is symplectic, and it conserves exactly (up to the
// Newton tolerance and round-off) the discrete momentum maps of the
// symmetries of L_d, such as the angular momentum q × p of a central
// force. Its energy E = v·∂L/∂v − L, reported at the midpoints
// (IVPReport.Energy), oscillates with an amplitude O(h²) without drift for
// autonomous models.
//
// # Gradients of initial-value problems: adjoint and Hamiltonian echo
//
// The cost is C_d = Σ_k h c(q̄_k, v_k, t_{k+½}) along the forward run, a
// function of θ through the steps and through p_0(θ) when V0 is given.
// Write the step equations as residuals E_k = 0, k = 0..N−1, in the
// unknowns q_1..q_N:
//
//	E_0 = p_0(θ) + D1 L_d(q_0, q_1),
//	E_k = D2 L_d(q_{k−1}, q_k) + D1 L_d(q_k, q_{k+1}) = ∂S_d/∂q_k.
//
// They are the gradient in q_0..q_{N−1} of G = S_d + p_0·q_0, so their
// Jacobian in q_1..q_N is the lower block-bidiagonal part of the symmetric
// block-tridiagonal Hessian H of S_d, shifted by one block. The adjoint
// μ_0..μ_{N−1} (μ_N = 0) solves, for j = N down to 1,
//
//	Σ_k H_{jk} μ_k = ∂C_d/∂q_j,
//
// that is J_{j−1}ᵀ μ_{j−1} = ∂C_d/∂q_j − (D22 L_d^{(j−1)} + D11 L_d^{(j)}) μ_j
// − J_j μ_{j+1}: a backward sweep with the transposed step Jacobians, and
//
//	dC_d/dθ = ∂C_d/∂θ − Σ_k μ_k·∂E_k/∂θ
//	        = ∂C_d/∂θ − Σ_k [ (h/2) L_θq·(μ_k + μ_{k+1}) + L_θv·(μ_{k+1} − μ_k) ]
//	          − μ_0·∂p_0/∂θ,
//
// with ∂p_0/∂θ = ∂²L/∂θ∂v at (q_0, V0, 0) (zero when P0 is given). This is
// the Adjoint method for initial conditions (discrete backpropagation
// through time, exact to round-off). It keeps the forward trajectory,
// O(N n) memory, and recomputes each step's blocks in the reverse sweep
// (one Level3 evaluation and one n×n factorisation per step); no
// Jacobians are stored.
//
// The Hamiltonian echo computes the same gradient from two more runs of
// the integrator. The echo of the nudged system L + βc is the discrete
// path ẽ_0..ẽ_N with ẽ_N = q_N, D2 (L_d + βC_d)(ẽ_{N−1}, ẽ_N) = p_N (the
// final momentum) and the nudged interior equations ∂(S_d + βC_d)/∂ẽ_j = 0
// for j = 1..N−1. At β = 0 the forward trajectory satisfies all of them,
// so ẽ = q; linearising in β, δẽ = ẽ − q satisfies Σ_k H_{jk} δẽ_k =
// −β ∂C_d/∂q_j for j = 1..N with δẽ_N = 0: the adjoint equations, so
// ẽ = q − βμ + O(β²). Substituting, Σ_k μ_k·∂²S_d/∂q_k∂θ becomes a
// difference of ∂S_d/∂θ along the two paths, and μ_0 the displacement of
// the echo's end from q_0:
//
//	dC_d/dθ = lim_{β→0} [ ∂S_β/∂θ[ẽ^β] − ∂S/∂θ[q] ] / β
//	          + ((ẽ^β_0 − q_0)/β)·∂p_0/∂θ,
//
// with ∂S_β/∂θ = ∂S_d/∂θ + β ∂C_d/∂θ. The second term is the boundary term
// left at t = 0 by a θ-dependent initial momentum; the echo makes it
// computable without any Jacobian. The centered estimator (Method Echo)
// contrasts the +β and −β echoes, bias O(β²); the one-sided one
// (EchoOneSided) contrasts the +β echo with the forward run, bias O(β).
//
// The echo path is computed by the forward integrator itself: from x_0 =
// q_N with the flipped momentum π_0 = −p_N, the same implicit step as
// above, with the externals reversed (echo step j sees the time t and the
// inputs and targets of forward step N−1−j) and L + βc in place of L. If L
// and c are even in the velocities, L(q, −v, t) = L(q, v, t), the echo's
// discrete Lagrangian is L_d^{(N−1−j)}(b, a), its steps are the forward
// steps run backwards, and x_j = ẽ_{N−j}; at β = 0 the echo retraces the
// forward run to round-off and ends at (q_0, −p_0). Reversing the time
// argument with the inputs means that explicit time is treated like an
// input and needs no symmetry of its own. Terms odd in the velocities (a
// magnetic A·v, a gyroscopic q_0 v_1 − q_1 v_0, the doubled action of
// dissipation) break this; the runtime tests L, c, ∂L/∂θ and ∂c/∂θ for
// evenness at points of the forward run and fails with ErrNotReversible,
// pointing to the adjoint.
//
// Per gradient the centered echo costs three runs of the integrator
// (forward, +β, −β echoes), the one-sided two, and keeps no trajectory:
// EchoGradient needs O(n² + P) memory for the runs, plus the input and
// target values at the N midpoints that every solve precomputes. In
// this simulation the echo is not cheaper in time than the adjoint (whose
// reverse sweep costs about one run); its advantages are memory and that
// a physical system could run it.
package lagrt
