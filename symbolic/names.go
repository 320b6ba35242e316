package symbolic

import (
	"strings"
	"unicode/utf8"
)

// greekLetter is a Greek letter: the rune, its name spelled in Latin
// letters (as a Go identifier would spell it, capitalised for capitals)
// and its LaTeX command.
type greekLetter struct {
	r     rune
	latin string
	latex string
}

// greekLetters is the one table of Greek letters: LaTeX printing of
// symbols ([LaTeXName]) and readable Go names ([GreekName]) derive from it.
// Capitals that look like Latin letters (Α, Β, Ε, ...) have no LaTeX
// command and print as the Latin letter.
var greekLetters = []greekLetter{
	{'α', "alpha", `\alpha`}, {'β', "beta", `\beta`}, {'γ', "gamma", `\gamma`}, {'δ', "delta", `\delta`},
	{'ε', "epsilon", `\epsilon`}, {'ϵ', "epsilon", `\epsilon`}, {'ζ', "zeta", `\zeta`}, {'η', "eta", `\eta`},
	{'θ', "theta", `\theta`}, {'ϑ', "vartheta", `\vartheta`}, {'ι', "iota", `\iota`}, {'κ', "kappa", `\kappa`},
	{'λ', "lambda", `\lambda`}, {'μ', "mu", `\mu`}, {'ν', "nu", `\nu`}, {'ξ', "xi", `\xi`},
	{'ο', "omicron", `o`}, {'π', "pi", `\pi`}, {'ϖ', "varpi", `\varpi`}, {'ρ', "rho", `\rho`},
	{'ϱ', "varrho", `\varrho`}, {'σ', "sigma", `\sigma`}, {'ς', "varsigma", `\varsigma`}, {'τ', "tau", `\tau`},
	{'υ', "upsilon", `\upsilon`}, {'φ', "phi", `\varphi`}, {'ϕ', "phi", `\phi`}, {'χ', "chi", `\chi`},
	{'ψ', "psi", `\psi`}, {'ω', "omega", `\omega`},
	{'Α', "Alpha", `A`}, {'Β', "Beta", `B`}, {'Γ', "Gamma", `\Gamma`}, {'Δ', "Delta", `\Delta`},
	{'Ε', "Epsilon", `E`}, {'Ζ', "Zeta", `Z`}, {'Η', "Eta", `H`}, {'Θ', "Theta", `\Theta`},
	{'Ι', "Iota", `I`}, {'Κ', "Kappa", `K`}, {'Λ', "Lambda", `\Lambda`}, {'Μ', "Mu", `M`},
	{'Ν', "Nu", `N`}, {'Ξ', "Xi", `\Xi`}, {'Ο', "Omicron", `O`}, {'Π', "Pi", `\Pi`},
	{'Ρ', "Rho", `P`}, {'Σ', "Sigma", `\Sigma`}, {'Τ', "Tau", `T`}, {'Υ', "Upsilon", `\Upsilon`},
	{'Φ', "Phi", `\Phi`}, {'Χ', "Chi", `X`}, {'Ψ', "Psi", `\Psi`}, {'Ω', "Omega", `\Omega`},
}

var (
	greekByRune  = map[rune]greekLetter{}
	greekByLatin = map[string]string{} // Latin spelling -> LaTeX command
)

func init() {
	for _, g := range greekLetters {
		if _, ok := greekByRune[g.r]; !ok {
			greekByRune[g.r] = g
		}
		if strings.HasPrefix(g.latex, `\`) {
			if _, ok := greekByLatin[g.latin]; !ok {
				greekByLatin[g.latin] = g.latex
			}
		}
	}
	// Spellings with a LaTeX command of their own.
	greekByLatin["phi"] = `\phi`
	greekByLatin["varphi"] = `\varphi`
	greekByLatin["varepsilon"] = `\varepsilon`
}

// GreekName returns the name of the Greek letter r spelled in Latin
// letters, lower case for a small letter and capitalised for a capital
// (κ → "kappa", Ω → "Omega"), and whether r is a Greek letter of the table.
// Code generators use it to give Greek identifiers readable exported Go
// names (κ → Kappa).
func GreekName(r rune) (string, bool) {
	g, ok := greekByRune[r]
	return g.latin, ok
}

// LaTeXName renders the name of a symbol in LaTeX math mode:
//
//   - a Greek letter, or a Greek letter's name spelled in Latin letters,
//     as its command: θ and theta → \theta, Ω and Omega → \Omega;
//   - other names of one letter as they are, longer ones upright:
//     m → m, ref → \mathrm{ref};
//   - the part after the first underscore, a trailing number and array
//     indices as a subscript: θ_ref → \theta_{\mathrm{ref}},
//     th1 → \mathrm{th}_{1}, x[2] → x_{2}, W[0][1] → W_{0,1},
//     k_a[1] → k_{a,1};
//   - velocities and accelerations named dot(q) and ddot(q) as \dot{q} and
//     \ddot{q}.
func LaTeXName(s string) string {
	word, sub := latexParts(s)
	if sub != "" {
		return word + "_{" + sub + "}"
	}
	return word
}

// latexParts splits the LaTeX form of a name into the letter part and the
// subscript ("" if none); see LaTeXName.
func latexParts(s string) (word, sub string) {
	for _, d := range []string{"ddot", "dot"} {
		if inner, ok := strings.CutPrefix(s, d+"("); ok && strings.HasSuffix(inner, ")") {
			w, sub := latexParts(inner[:len(inner)-1])
			return `\` + d + `{` + w + `}`, sub
		}
	}
	base := s
	if i := strings.IndexByte(s, '['); i >= 0 {
		base = s[:i]
		sub = strings.NewReplacer("][", ",", "[", "", "]", "").Replace(s[i:])
	}
	var tail string
	if i := strings.IndexByte(base, '_'); i > 0 && i < len(base)-1 {
		base, tail = base[:i], LaTeXName(base[i+1:])
	} else {
		j := len(base)
		for j > 0 && base[j-1] >= '0' && base[j-1] <= '9' {
			j--
		}
		if j > 0 && j < len(base) {
			base, tail = base[:j], base[j:]
		}
	}
	if tail != "" {
		if sub != "" {
			sub = tail + "," + sub
		} else {
			sub = tail
		}
	}
	return latexWord(base), sub
}

// latexWord renders a name without subscripts.
func latexWord(s string) string {
	if cmd, ok := greekByLatin[s]; ok {
		return cmd
	}
	if r, n := utf8.DecodeRuneInString(s); n == len(s) {
		if g, ok := greekByRune[r]; ok {
			return g.latex
		}
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch g, ok := greekByRune[r]; {
		case ok && strings.HasPrefix(g.latex, `\`):
			b.WriteString("{" + g.latex + "}")
		case ok:
			b.WriteString(g.latex)
		case r == '_':
			b.WriteString(`\_`)
		default:
			b.WriteRune(r)
		}
	}
	return `\mathrm{` + b.String() + `}`
}
