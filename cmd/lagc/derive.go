package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/lagc/lagc/compiler"
	"github.com/lagc/lagc/parser"
	"github.com/lagc/lagc/symbolic"
)

const deriveHelp = `Derive prints the Lagrangian, the conjugate momenta p = ∂L/∂dot(q) and the
Euler–Lagrange equations d/dt ∂L/∂dot(q) − ∂L/∂q = 0 of FILE.lag, with
accelerations written ddot(q), as plain text or LaTeX.`

const fmtHelp = `Fmt prints each FILE.lag in canonical layout, comments kept. With -w it
rewrites the files instead (only those that change, atomically).`

func deriveSetup(fs *flag.FlagSet) func(*cli, *flag.FlagSet, []string) error {
	format := fs.String("format", "text", "output `format`: text or latex")
	return func(c *cli, _ *flag.FlagSet, pos []string) error { return runDerive(c, *format, pos) }
}

func runDerive(c *cli, format string, pos []string) error {
	if len(pos) != 1 {
		return usageError{"expected exactly one FILE.lag"}
	}
	if format != "text" && format != "latex" {
		return usageError{fmt.Sprintf("unknown format %q (want text or latex)", format)}
	}
	data, err := readSource(pos[0])
	if err != nil {
		return err
	}
	u, err := compiler.Compile(pos[0], data)
	if err != nil {
		return err
	}
	if u.Deriv == nil {
		return deriveFamilies(c.stdout, u, format)
	}
	printDerivation(c.stdout, u, format == "latex")
	return nil
}

// printDerivation prints the Lagrangian, the cost, the momenta and the
// Euler–Lagrange equations of u, simplified for display (Builder.Simplify). Large subexpressions that occur more than
// once are printed once, as temporaries w1, w2, ... listed after the
// equations, so the output stays linear in the size of the shared graph.
// Symbols print in LaTeX by symbolic.LaTeXName (velocities dot(q) as
// \dot{q}, accelerations as \ddot{q}).
func printDerivation(w io.Writer, u *compiler.Unit, latex bool) {
	m, d := u.Model, u.Deriv
	exprs := []*symbolic.Node{d.Sys.L}
	if m.C != nil {
		exprs = append(exprs, m.C)
	}
	exprs = append(exprs, d.Lv...)
	exprs = append(exprs, d.EL...)
	// A model with dissipation is Galley's doubled action: the equations
	// of the separations q~, at q~ = 0, are the damped Euler–Lagrange
	// equations d/dt ∂L/∂v − ∂L/∂q + ∂R/∂v = 0 of the physical ones.
	np := m.Physical
	if np > 0 {
		zero := m.B.Num(0)
		env := map[*symbolic.Node]*symbolic.Node{}
		for i := np; i < len(m.Q); i++ {
			env[m.Q[i]], env[m.V[i]], env[d.A[i]] = zero, zero, zero
		}
		for _, e := range d.EL[np:] {
			exprs = append(exprs, m.Replace(e, env))
		}
	}
	for i, e := range exprs {
		exprs[i] = m.B.Simplify(e)
	}
	l := symbolic.PrintShared(exprs, symbolic.PrintOptions{LaTeX: latex})
	next := func() string {
		s := l.Exprs[0]
		l.Exprs = l.Exprs[1:]
		return s
	}
	if !latex {
		fmt.Fprintf(w, "system %s\n\nL = %s\n", m.Name, next())
		if m.C != nil {
			fmt.Fprintf(w, "c = %s\n", next())
		}
		fmt.Fprintf(w, "\nConjugate momenta:\n")
		for i := range d.Lv {
			fmt.Fprintf(w, "  p_%s = %s\n", m.CoordNames[i], next())
		}
		fmt.Fprintf(w, "\nEuler–Lagrange equations:\n")
		for range d.EL {
			fmt.Fprintf(w, "  %s = 0\n", next())
		}
		if np > 0 {
			fmt.Fprintf(w, "\nDamped Euler–Lagrange equations (dissipation = %s; L above is Galley's doubled\n"+
				"Lagrangian, q~ the separations of its copies, zero on the physical trajectory):\n", m.DissipationSrc)
			for range np {
				fmt.Fprintf(w, "  %s = 0\n", next())
			}
		}
		if len(l.Temps) > 0 {
			fmt.Fprintf(w, "\nwhere\n")
			for _, t := range l.Temps {
				fmt.Fprintf(w, "  %s = %s\n", t.Name, t.Expr)
			}
		}
		return
	}
	var lines []string
	lines = append(lines, "L &= "+next())
	if m.C != nil {
		lines = append(lines, "c &= "+next())
	}
	for i := range d.Lv {
		lines = append(lines, fmt.Sprintf("p_{%s} &= %s", symbolic.LaTeXName(m.CoordNames[i]), next()))
	}
	for range d.EL {
		lines = append(lines, "0 &= "+next())
	}
	if np > 0 {
		lines = append(lines, `&\text{damped (physical) equations}`)
		for range np {
			lines = append(lines, "0 &= "+next())
		}
	}
	if len(l.Temps) > 0 {
		lines = append(lines, `&\text{where}`)
		for _, t := range l.Temps {
			lines = append(lines, t.Name+" &= "+t.Expr)
		}
	}
	fmt.Fprintf(w, "%% system %s\n\\begin{align}\n%s\n\\end{align}\n", m.Name, strings.Join(lines, " \\\\\n"))
}

func fmtSetup(fs *flag.FlagSet) func(*cli, *flag.FlagSet, []string) error {
	write := fs.Bool("w", false, "write the result to the file instead of standard output")
	return func(c *cli, _ *flag.FlagSet, pos []string) error { return runFmt(c, *write, pos) }
}

func runFmt(c *cli, write bool, pos []string) error {
	if len(pos) == 0 {
		return usageError{"expected FILE.lag"}
	}
	for _, path := range pos {
		if write {
			// Refuse what cannot be replaced before reading it.
			if _, err := checkOutput(path); err != nil {
				return err
			}
		}
		data, err := readSource(path)
		if err != nil {
			return err
		}
		f, err := parser.Parse(path, data)
		if err != nil {
			return err
		}
		out := parser.Format(f)
		if write {
			if err := writeIfChanged(path, out); err != nil {
				return err
			}
			continue
		}
		c.stdout.Write(out)
	}
	return nil
}
