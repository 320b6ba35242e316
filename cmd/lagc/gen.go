package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lagc/lagc/codegen"
	"github.com/lagc/lagc/compiler"
)

func init() {
	register(&command{
		name:  "gen",
		usage: "gen [-o OUT] [-pkg NAME] FILE.lag",
		help: `Gen compiles FILE.lag and writes the Go file implementing it.

The package name comes from -pkg, else $GOPACKAGE (set by go generate), else
the package clause of the Go files in the output directory. The output file
defaults to NAME_lagrangian.go next to FILE.lag, where NAME is FILE.lag
without its extension. The file is written atomically and only when its
contents change; on any error nothing is written.`,
		run: runGen,
	})
	register(&command{
		name:  "check",
		usage: "check [-o OUT] [-pkg NAME] FILE.lag",
		help: `Check exits 0 if OUT is exactly what gen would write, else 1, naming the
stale or missing file. Use it in CI for checked-in generated code.`,
		run: runCheck,
	})
	flagSets["gen"] = func() *flag.FlagSet { fs, _, _ := genFlags("gen"); return fs }
	flagSets["check"] = func() *flag.FlagSet { fs, _, _ := genFlags("check"); return fs }
}

func genFlags(name string) (*flag.FlagSet, *string, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	out := fs.String("o", "", "output `file` (default NAME_lagrangian.go next to FILE.lag)")
	pkg := fs.String("pkg", "", "Go package `name` (default $GOPACKAGE or the output directory's package)")
	return fs, out, pkg
}

// generate compiles the source named by args and returns the output path
// and contents.
func generate(name string, args []string) (string, []byte, error) {
	fs, out, pkg := genFlags(name)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return "", nil, err
	}
	if len(pos) != 1 {
		return "", nil, usageError{"expected exactly one FILE.lag"}
	}
	src := pos[0]
	data, err := os.ReadFile(src)
	if err != nil {
		return "", nil, err
	}
	u, err := compiler.Compile(src, data)
	if err != nil {
		return "", nil, err
	}
	outPath := *out
	if outPath == "" {
		base := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		outPath = filepath.Join(filepath.Dir(src), base+"_lagrangian.go")
	}
	pkgName := *pkg
	if pkgName == "" {
		pkgName, err = packageName(filepath.Dir(outPath), outPath)
		if err != nil {
			return "", nil, err
		}
	}
	code, err := codegen.Generate(u, codegen.Options{Package: pkgName, Source: relSource(src, outPath)})
	if err != nil {
		return "", nil, err
	}
	return outPath, code, nil
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

func runGen(c *cli, args []string) error {
	path, code, err := generate("gen", args)
	if err != nil {
		return err
	}
	return writeIfChanged(path, code)
}

func runCheck(c *cli, args []string) error {
	path, code, err := generate("check", args)
	if err != nil {
		return err
	}
	old, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(c.stderr, "lagc: %s is missing; run lagc gen (or go generate)\n", path)
		return exitError{1}
	case err != nil:
		return err
	case !bytes.Equal(old, code):
		fmt.Fprintf(c.stderr, "lagc: %s is stale; run lagc gen (or go generate)\n", path)
		return exitError{1}
	}
	return nil
}

// writeIfChanged writes data to path atomically (a temporary file in the
// same directory, then a rename), and not at all if path already holds it.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return writeAtomic(path, data)
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
		return werr
	}
	return nil
}
