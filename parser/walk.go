package parser

// Inspect calls f for e and then, depth first, for each subexpression of e
// (index expressions, operands, call arguments, sum bounds and body). The
// names of called functions, indexed arrays and sum variables are part of
// their nodes and are not visited separately.
func Inspect(e Expr, f func(Expr)) {
	if e == nil {
		return
	}
	f(e)
	switch e := e.(type) {
	case *Index:
		for _, x := range e.Indices {
			Inspect(x, f)
		}
	case *Unary:
		Inspect(e.X, f)
	case *Binary:
		Inspect(e.X, f)
		Inspect(e.Y, f)
	case *Call:
		for _, x := range e.Args {
			Inspect(x, f)
		}
	case *Sum:
		Inspect(e.Lo, f)
		Inspect(e.Hi, f)
		Inspect(e.Body, f)
	case *Paren:
		Inspect(e.X, f)
	}
}
