package main

import "strings"

// The runtime's messages suggest fixes in terms of its Go API
// (Problem.Guess, Options.NoContinuation, ClipNorm). On the command line
// they should name the flags and data fields that do the same; these
// replacers translate them, longest phrases first.
var (
	solveHints = strings.NewReplacer(
		"give an initial guess", "give an initial guess (--guess)",
		"give a guess (Problem.Guess)", "give a guess (--guess)",
		"give Problem.Guess", "give an initial guess with --guess",
		"Problem.Guess", "--guess",
		"(see Options.NoContinuation)", "(off with --no-continuation)",
		"Options.NoContinuation", "--no-continuation",
		"Options.MaxIter", "--maxiter",
		"Options.Tol", "--tol",
		"Options.Beta", "--beta",
		"more iterations,", "more iterations (--maxiter),",
		"(Method Adjoint, --method=adjoint)", "(--method=adjoint)",
		"(BC Initial)", "(--bc=initial)",
		"(larger N)", "(larger --steps)",
		"try a larger N", "try a larger --steps",
	)
	trainHints = strings.NewReplacer(
		"give an initial guess", `give the sample a "guess" in the data file`,
		"try a smaller learning rate or clip the gradient norm", "try a smaller --lr or --clip",
		"give a guess (Problem.Guess)", `give the sample a "guess" in the data file`,
		"give Problem.Guess", `give the sample a "guess" in the data file`,
		"Problem.Guess", `the sample's "guess"`,
		"(see Options.NoContinuation) ", "",
		"try a smaller learning rate or set ClipNorm", "try a smaller --lr or --clip",
		"set ClipNorm", "set --clip",
		"ClipNorm", "--clip",
		"Options.MaxIter", "--maxiter",
		"Options.Beta", "--beta",
		"TrainOptions.Epochs", "--epochs",
		"(Method Adjoint, --method=adjoint)", "(--method=adjoint)",
		"(BC Initial)", `("bc": "initial")`,
		"(larger N)", `(larger "steps")`,
		"try a larger N", `try larger "steps"`,
	)
)

// hintedError is an error whose message has been translated for the
// command line; it unwraps to the original.
type hintedError struct {
	msg string
	err error
}

func (e *hintedError) Error() string { return e.msg }
func (e *hintedError) Unwrap() error { return e.err }

// cliHints translates the API names in err's message with r.
func cliHints(err error, r *strings.Replacer) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if t := r.Replace(msg); t != msg {
		return &hintedError{t, err}
	}
	return err
}
