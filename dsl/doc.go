// Package dsl checks a parsed .lag file, resolves its names and lowers it
// to symbolic form (package symbolic): the Lagrangian L(t, q, q̇, θ, u), an
// optional cost C(t, q, q̇, θ, u, y), and the flat vectors of coordinates,
// velocities, parameters, inputs and targets. It does not depend on
// runtime or codegen.
//
// # The language
//
// A .lag file describes one mechanical system by its Lagrangian:
//
//	# Double pendulum: positions are defined, velocities follow from dot().
//	system DoublePendulum            # first statement, once; names the Go type
//
//	const g = 9.81, l1 = 1           # constants, folded at compile time
//	const N = 3                      # integer constants may size arrays
//	param m1 = 1.0, m2 = 0.7         # trainable parameters with default values
//	param k[N] = 1.0                 # array parameter, default broadcast
//	param W[N][N] = 0                # two-dimensional array parameter
//	coord th1, th2                   # generalised coordinates
//	coord x[N]                       # array of coordinates
//	input u                          # external signal u(t), supplied at run time
//	target y                         # desired signal y(t), used by the cost
//
//	let x1 = l1*sin(th1)             # named subexpression
//	let y1 = -l1*cos(th1)
//
//	lagrangian = 0.5*m1*(dot(x1)^2 + dot(y1)^2) - m1*g*y1
//	           + sum(i in 0..N-1, 0.5*dot(x[i])^2 - 0.5*k[i]*x[i]^2)
//	           - sum(i in 0..N-1, sum(j in 0..N-1, 0.5*W[i][j]*x[i]*x[j]))
//	cost = 0.5*(th2 - y)^2           # instantaneous cost, integrated over time
//
// Lexical structure. Source is UTF-8. Comments run from '#' or '//' to the
// end of the line. Newlines are ordinary white space: every statement
// starts with a keyword, so an expression may span lines. Numbers are
// 1, 2.5, 1e-3 (a digit is required on both sides of a '.'). Identifiers
// are a Unicode letter or '_' followed by letters, combining marks, digits
// and '_' (θ, ω1, x_dot). The keywords system const param coord input
// target let lagrangian cost dissipation sum in are reserved. The name t (time), the
// function names and dot are predeclared and cannot be declared.
//
// Statements.
//
//   - system Name: first statement, exactly once; Name becomes the Go type.
//   - const a = e, ...: constants; e is a constant expression of numbers,
//     earlier constants, the built-in functions and sums. Constants are
//     folded to float64 at compile time.
//   - param p = e, k[N] = e, W[N][M] = e, ...: trainable parameters with
//     default values (constant expressions); an array's default is
//     broadcast to every element.
//   - coord q, x[N], ...: generalised coordinates; dot(q) is the velocity.
//   - input u, u[N], ...: signals supplied at run time.
//   - target y, y[N], ...: desired signals; only the cost may use them.
//   - let name = e: a named scalar subexpression, lowered once and shared.
//     A let may use only lets declared before it.
//   - lagrangian = e: required, once. It may use coordinates, dot, params,
//     constants, inputs, lets and t, but not targets (also not through a
//     let). Every coordinate's velocity must occur in it.
//   - cost = e: optional, once; may also use targets.
//   - dissipation = e: optional, once; a Rayleigh dissipation function R
//     (friction force −∂R/∂dot(q)), with the same names as the
//     lagrangian. The model is then doubled (Galley's action, see
//     dissipation.go and Model.Physical): it gets a separation family x~
//     per coordinate x, and LTerms is the doubled Lagrangian.
//
// Constants must be declared before they are used (array sizes, defaults,
// other constants); other names may be declared anywhere in the file.
//
// Expressions. Operators + - * / ^ with the usual precedence; '^' is
// right-associative and binds tighter than unary minus, and its exponent
// may be signed: -x^2 is -(x^2), a^b^c is a^(b^c), 2^-1 is 0.5. Unary '+'
// is accepted. Functions: sin cos tan asin acos atan atan2(y, x) sinh cosh
// tanh exp log sqrt abs pow(a, b) (= a^b), and dot(e), the total time
// derivative Σ_i ∂e/∂q_i·dot(q_i) + ∂e/∂t of any expression. dot of an
// expression that depends on a velocity (an acceleration, e.g.
// dot(dot(q))) is an error: higher-order Lagrangians are out of scope; so
// is dot of anything that depends on an input or a target, whose time
// derivatives are unknown.
//
// Arrays. Sizes are positive integer constant expressions (at most
// MaxArrayLen elements). x[i], W[i][j] take integer index expressions,
// which may use sum indices (x[i-1], x[N-1]); inside a sum kept as a loop
// an index must be affine in the loop indices (x[i+1], 2*i, N-1-i).
// Indices are checked against the bounds at every point of the sums. An
// array must be used with exactly as many indices as it has dimensions.
// Arrays are flattened row-major: W[0][0], W[0][1], ...
//
// Sums. sum(i in A..B, e) adds e for i = A, ..., B inclusive (zero terms
// if B < A). A and B are integer expressions that may use outer sum
// indices (affine in them). A sum of at most Options.UnrollLimit terms
// (DefaultUnrollLimit), or one inside a nonlinear function (a call, a
// power, a denominator), is unrolled at compile time (at most MaxUnroll
// terms per file); longer sums stay loops (see family.go's overview and
// Term), with loop nests of at most MaxLoopPoints points. An index may not
// reuse a declared name or an enclosing index.
//
// # Errors
//
// [Compile] returns a parser.ErrorList sorted by position; each entry
// prints as "file:line:col: message" with columns counted in runes. A
// syntax error stops compilation (one error); otherwise all semantic
// errors are reported, up to parser.MaxErrors followed by "too many
// errors". Lowering continues after an error with the failed
// subexpression dropped, so each mistake is reported once. The cases
// are listed, with their exact messages, in testdata/errors/errors.lag.
//
// # Lowering
//
// Constants become numbers; params, coordinates, velocities, inputs and
// targets become symbols named as in the Model's name lists (velocities
// "dot(x[2])"); t is the symbol "t". Short sums are unrolled and long
// ones flattened into Terms (Model.LTerms, CTerms), lets lowered once
// and reused (hash-consing shares them), pow(a, b) becomes a^b and
// dot(e) is built with Builder.Diff.
package dsl
