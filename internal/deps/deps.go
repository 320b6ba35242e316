// Package deps pins module dependencies that are not yet imported elsewhere.
// It is removed once every dependency is used by real code.
package deps

import (
	_ "github.com/alecthomas/participle/v2"
	_ "github.com/rogpeppe/go-internal/testscript"
	_ "golang.org/x/term"
	_ "golang.org/x/tools/imports"
	_ "gonum.org/v1/gonum/diff/fd"
	_ "gonum.org/v1/gonum/mat"
	_ "gonum.org/v1/plot"
)
