// Package symbolic is the physics-agnostic computer algebra core of lagc:
// hash-consed expression DAGs, simplification at construction, memoised
// differentiation, pretty printers, and a common-subexpression evaluation
// plan ([Program]) shared by the interpreter and the code generator.
//
// # Expressions
//
// A [Node] is immutable and created only by a [Builder], whose constructors
// ([Builder.Add], [Builder.Mul], [Builder.Pow], [Builder.Call], ...) return
// canonical forms. Nodes are interned per Builder (there are no global
// tables): structurally equal expressions are the same *Node, so equality is
// pointer comparison, sharing is automatic, and memoisation and CSE are
// cheap map lookups. Every node has an ID, increasing in creation order,
// which is deterministic for a deterministic sequence of Builder calls.
//
// Canonical forms, in the style of SymEngine:
//
//   - KAdd is Coef() + Σ Args: a numeric constant plus at least one term; no
//     term is a number or a sum, and terms are "coefficient × base" (a KMul
//     with a coefficient, or the base itself) with pairwise distinct bases,
//     sorted by the base's ID. Like terms are collected (2*x + 3*x = 5*x),
//     and the Pythagorean identity is applied: c·X·cos(u)^2 + c·X·sin(u)^2
//     = c·X for terms with the same coefficient c and the same other
//     factors X (also c·X·cos(u)^n·sin(u)^m + c·X·cos(u)^(n-2)·sin(u)^(m+2)
//     for an integer n ≥ 2). The rule is looked for only in sums having a
//     term with a factor cos(u)^n (a flag set when nodes are created), and
//     the partner term is found by table lookups, without creating nodes.
//   - KMul is Coef() · Π Args: a non-zero numeric coefficient times factors
//     that are not numbers or products; each factor is base^exponent (a KPow,
//     or the base itself for exponent 1) with pairwise distinct bases sorted
//     by the base's ID. Equal bases are merged by adding exponents
//     (x*x = x^2, x^2*x^-1 = x, x*x^y = x^(1+y)). A number times a single
//     sum is distributed (2*(x+y) = 2*x + 2*y, so -(a-b) + (a-b) = 0);
//     products of sums are never expanded, which keeps expressions compact.
//   - A sum that is a factor of a product with another factor, or the base
//     of an integer power, is primitive: its content is moved out of it
//     (0.5*m*(2*a + 2*b) = m*(a + b), (2*a + 2*b)^2 = 4*(a + b)^2,
//     m*(x*a + x*b) = m*x*(a + b)). The numeric content is the common
//     absolute value of all coefficients (constant included) or else their
//     gcd when all are integers, signed so that the first term (by ID) of
//     the primitive sum is positive: m*(b - a) and -m*(a - b) are the same
//     node. The monomial content, for sums without constant, is the common
//     factors base^e of all terms with numeric exponents of one sign, e of
//     least magnitude. A lone number times a sum is still distributed, so
//     the two rules never undo each other.
//   - KPow is base^exponent with exponent ∉ {0, 1}; numeric powers of
//     numbers are folded. For an integer n, (x^a)^n = x^(a·n) and
//     (c·Π f_i)^n = c^n·Π f_i^n. For non-integer exponents these rewrites
//     are not valid for negative x and are not done: (x^2)^0.5 stays (it is
//     |x|). sqrt(x) is represented as x^0.5, so no KCall carries [Sqrt].
//   - KCall is a built-in function of non-constant arguments; calls of
//     numbers are folded (sin(0) = 0, exp(0) = 1, ...).
//
// Merging exponents uses x^a·x^b = x^(a+b) and x/x = 1, which are
// identities wherever both sides are defined; like every computer algebra
// system we accept that they extend the domain (x/x is 1 even at x = 0).
//
// Numbers are float64, not exact rationals. Coefficients come from source
// literals and from differentiation (small integers, halves), where float64
// is exact or rounds once; the generated code computes in float64 anyway,
// and float64 keeps construction allocation-free and fast. As a
// consequence, collecting 0.1*x + 0.2*x gives 0.30000000000000004*x, and
// two sums built in different orders may differ in the last bit of a
// coefficient (and then be different nodes). -0 is normalised to 0.
//
// # Derivatives
//
// [Builder.Diff] implements the chain rule for every node kind and [Func]
// (abs' = sign, sign' = 0, and x^y → x^y·(y'·log x + y·x'/x) when both base
// and exponent depend on the variable). Results are memoised per
// (node, symbol) in the Builder, and each node carries the bitset of its free
// symbols, so [Builder.DependsOn] is O(1) and differentiating a DAG costs
// time linear in the number of its distinct nodes that depend on the
// variable: there is no exponential blow-up on shared subexpressions.
// A product of three or more factors that depend on the variable is
// differentiated through an existing sub-product R of all factors but one,
// ∂(f·R) = ∂f·R + f·∂R, with ∂R memoised, instead of by the flat product
// rule: a let tower a_i = f(a_{i-1})·a_{i-1}, whose canonical form is one
// flat product of i factors, then has derivatives whose node count is
// linear in its height.
//
// # Printing and evaluation
//
// [Node.String] prints an S-expression for tests, [Infix] readable math and
// [LaTeX] math-mode LaTeX. These print trees, exponentially long for deep
// shared graphs; [PrintShared] prints a list of expressions with the large
// shared subexpressions as named temporaries, in size polynomial in the
// graph, and [InfixMax] refuses to print a tree longer than a bound.
// [LaTeXName] renders symbol names (Greek letters, subscripts). [Eval] is a memoised tree-walking evaluator used as
// a test oracle. [Compile] turns many outputs into a [Program]: the list of
// shared subexpressions (temporaries) a code generator prints, and a flat
// register tape that [Program.Run] interprets without allocating. The exact
// floating-point semantics of the tape, which generated code must mirror,
// are documented on [Program].
package symbolic
