package main

import (
	"flag"
	"fmt"
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
	m, d := u.Model, u.Deriv
	w := c.stdout
	if d == nil {
		return deriveFamilies(w, u, format)
	}
	if format == "text" {
		fmt.Fprintf(w, "system %s\n\nL = %s\n", m.Name, symbolic.Infix(d.Sys.L))
		if m.C != nil {
			fmt.Fprintf(w, "c = %s\n", symbolic.Infix(m.C))
		}
		fmt.Fprintf(w, "\nConjugate momenta:\n")
		for i, e := range d.Lv {
			fmt.Fprintf(w, "  p_%s = %s\n", m.CoordNames[i], symbolic.Infix(e))
		}
		fmt.Fprintf(w, "\nEuler–Lagrange equations:\n")
		for _, e := range d.EL {
			fmt.Fprintf(w, "  %s = 0\n", symbolic.Infix(e))
		}
		return nil
	}
	name := latexNamer(u)
	fmt.Fprintf(w, "%% system %s\n\\begin{align}\n", m.Name)
	fmt.Fprintf(w, "L &= %s \\\\\n", symbolic.LaTeX(d.Sys.L, name))
	if m.C != nil {
		fmt.Fprintf(w, "c &= %s \\\\\n", symbolic.LaTeX(m.C, name))
	}
	for i, e := range d.Lv {
		fmt.Fprintf(w, "p_{%s} &= %s \\\\\n", latexName(m.CoordNames[i]), symbolic.LaTeX(e, name))
	}
	for i, e := range d.EL {
		sep := " \\\\"
		if i == len(d.EL)-1 {
			sep = ""
		}
		fmt.Fprintf(w, "0 &= %s%s\n", symbolic.LaTeX(e, name), sep)
	}
	fmt.Fprintf(w, "\\end{align}\n")
	return nil
}

// latexNamer maps the symbols of u to LaTeX: velocities as \dot{q},
// accelerations as \ddot{q}, array elements with subscripts.
func latexNamer(u *compiler.Unit) func(*symbolic.Node) string {
	names := map[*symbolic.Node]string{}
	m, d := u.Model, u.Deriv
	for i, s := range m.Q {
		q := latexName(m.CoordNames[i])
		names[s] = q
		names[m.V[i]] = `\dot{` + q + `}`
		names[d.A[i]] = `\ddot{` + q + `}`
	}
	return func(s *symbolic.Node) string {
		if n, ok := names[s]; ok {
			return n
		}
		return latexName(s.Name())
	}
}

var greek = map[string]string{
	"α": `\alpha`, "β": `\beta`, "γ": `\gamma`, "δ": `\delta`, "ε": `\epsilon`, "ζ": `\zeta`,
	"η": `\eta`, "θ": `\theta`, "ι": `\iota`, "κ": `\kappa`, "λ": `\lambda`, "μ": `\mu`,
	"ν": `\nu`, "ξ": `\xi`, "π": `\pi`, "ρ": `\rho`, "σ": `\sigma`, "τ": `\tau`,
	"υ": `\upsilon`, "φ": `\varphi`, "χ": `\chi`, "ψ": `\psi`, "ω": `\omega`,
	"Γ": `\Gamma`, "Δ": `\Delta`, "Θ": `\Theta`, "Λ": `\Lambda`, "Ξ": `\Xi`, "Π": `\Pi`,
	"Σ": `\Sigma`, "Φ": `\Phi`, "Ψ": `\Psi`, "Ω": `\Omega`,
}

// latexName renders a flat name such as "x[0]", "th1" or "ω" in LaTeX:
// Greek letters as commands, a trailing number or the indices as a subscript,
// longer names in \mathrm.
func latexName(s string) string {
	base, sub := s, ""
	if i := strings.IndexByte(s, '['); i >= 0 {
		base = s[:i]
		sub = strings.NewReplacer("][", ",", "[", "", "]", "").Replace(s[i:])
	} else {
		j := len(s)
		for j > 0 && s[j-1] >= '0' && s[j-1] <= '9' {
			j--
		}
		if j > 0 && j < len(s) {
			base, sub = s[:j], s[j:]
		}
	}
	var b strings.Builder
	for _, r := range base {
		if g, ok := greek[string(r)]; ok {
			b.WriteString(g + " ")
		} else if r == '_' {
			b.WriteString(`\_`)
		} else {
			b.WriteRune(r)
		}
	}
	out := strings.TrimSpace(b.String())
	if len([]rune(base)) > 1 && !strings.HasPrefix(out, `\`) {
		out = `\mathrm{` + out + `}`
	}
	if sub != "" {
		out += "_{" + sub + "}"
	}
	return out
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
