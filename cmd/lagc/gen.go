package main

import (
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/lagc/lagc/codegen"
	"github.com/lagc/lagc/compiler"
)

const genHelp = `Gen compiles FILE.lag and writes the Go file implementing it.

The package name comes from -pkg, else $GOPACKAGE (set by go generate), else
the package clause of the Go files in the output directory. The output file
defaults to NAME_lagrangian.go next to FILE.lag, where NAME is FILE.lag
without its extension. The file is written atomically (a temporary file in
the same directory, then a rename) and only when its contents change; on
any error nothing is written. The output must be a regular file or not
exist yet, and must not be FILE.lag itself.`

const checkHelp = `Check exits 0 if OUT is exactly what gen would write, else 1, naming the
stale or missing file. Use it in CI for checked-in generated code.`

// genSetup registers the flags of gen (or check) and returns its runner.
func genSetup(check bool) func(fs *flag.FlagSet) func(*cli, *flag.FlagSet, []string) error {
	return func(fs *flag.FlagSet) func(*cli, *flag.FlagSet, []string) error {
		out := fs.String("o", "", "output `file` (default NAME_lagrangian.go next to FILE.lag)")
		pkg := fs.String("pkg", "", "Go package `name` (default $GOPACKAGE or the output directory's package)")
		var opt compiler.Options
		fs.Func("D", "set a `NAME=VALUE` const of the source (repeatable): one source, several sizes", func(s string) error {
			name, val, ok := strings.Cut(s, "=")
			v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if !ok || err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.TrimSpace(name) == "" {
				return fmt.Errorf("want NAME=VALUE with a finite number, got %q", s)
			}
			if opt.Consts == nil {
				opt.Consts = map[string]float64{}
			}
			opt.Consts[strings.TrimSpace(name)] = v
			return nil
		})
		fs.StringVar(&opt.System, "system", "", "`name` of the generated model type, replacing the source's system name")
		return func(c *cli, _ *flag.FlagSet, pos []string) error {
			if len(pos) != 1 {
				return usageError{"expected exactly one FILE.lag"}
			}
			path, code, err := generate(pos[0], *out, *pkg, opt)
			if err != nil {
				return err
			}
			if check {
				return checkFile(c, path, code, pos[0])
			}
			return writeIfChanged(path, code, pos[0])
		}
	}
}

// generate compiles the source src and returns the output path and
// contents.
func generate(src, out, pkg string, opt compiler.Options) (string, []byte, error) {
	data, err := readSource(src)
	if err != nil {
		return "", nil, err
	}
	u, err := compiler.CompileWith(src, data, opt)
	if err != nil {
		return "", nil, err
	}
	outPath := out
	if outPath == "" {
		base := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		outPath = filepath.Join(filepath.Dir(src), base+"_lagrangian.go")
	}
	// Refuse a bad output before anything else can fail on it.
	if _, _, err := outputTarget(outPath); err != nil {
		return "", nil, err
	}
	if fi, err := os.Stat(outPath); err == nil {
		if si, err := os.Stat(src); err == nil && os.SameFile(fi, si) {
			return "", nil, fmt.Errorf("refusing to write %s: it is the input %s", outPath, src)
		}
	}
	pkgName := pkg
	if pkgName == "" {
		pkgName, err = packageName(filepath.Dir(outPath), outPath)
		if err != nil {
			return "", nil, err
		}
	}
	code, err := codegen.Generate(u, codegen.Options{Package: pkgName, Source: relSource(src, outPath), Settings: settingsString(opt)})
	if err != nil {
		return "", nil, err
	}
	return outPath, code, nil
}

// settingsString lists the overrides of opt as gen's flags, for the
// generated file's header.
func settingsString(opt compiler.Options) string {
	var parts []string
	var names []string
	for name := range opt.Consts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		parts = append(parts, "-D "+name+"="+strconv.FormatFloat(opt.Consts[name], 'g', -1, 64))
	}
	if opt.System != "" {
		parts = append(parts, "-system "+opt.System)
	}
	return strings.Join(parts, " ")
}

// relSource names src relative to the output file's directory, so the
// header never carries a machine path.
func relSource(src, outPath string) string {
	as, err1 := filepath.Abs(src)
	ao, err2 := filepath.Abs(filepath.Dir(outPath))
	if err1 == nil && err2 == nil {
		if r, err := filepath.Rel(ao, as); err == nil {
			return filepath.ToSlash(r)
		}
	}
	return filepath.Base(src)
}

// packageName determines the Go package for a file in dir: $GOPACKAGE, or
// the package clause of the directory's non-test Go files other than out.
func packageName(dir, out string) (string, error) {
	if p := os.Getenv("GOPACKAGE"); p != "" {
		return p, nil
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	sort.Strings(files)
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || filepath.Clean(f) == filepath.Clean(out) {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.PackageClauseOnly)
		if err == nil {
			return af.Name.Name, nil
		}
	}
	return "", fmt.Errorf("cannot determine the Go package name for %s: use -pkg NAME or run from go generate", dir)
}

// checkFile reports whether the file at path holds exactly code.
func checkFile(c *cli, path string, code []byte, src string) error {
	_, fi, err := outputTarget(path)
	if err != nil {
		return err
	}
	if fi == nil {
		fmt.Fprintf(c.stderr, "lagc: %s is missing; run lagc gen (or go generate)\n", path)
		return exitError{1}
	}
	same, err := sameContents(path, code)
	if err != nil {
		return err
	}
	if !same {
		fmt.Fprintf(c.stderr, "lagc: %s is stale; run lagc gen (or go generate)\n", path)
		return exitError{1}
	}
	return nil
}
