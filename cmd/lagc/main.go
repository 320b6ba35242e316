// Command lagc compiles Lagrangians written in the .lag language into Go
// code, and solves and trains them from the command line.
//
// Usage:
//
//	lagc gen [-o OUT] [-pkg NAME] FILE.lag      write the generated Go file
//	lagc check [-o OUT] [-pkg NAME] FILE.lag    exit 1 if OUT is stale
//	lagc derive [-format text|latex] FILE.lag   print momenta and Euler–Lagrange equations
//	lagc fmt [-w] FILE.lag...                   print the canonical layout
//	lagc solve FILE.lag [flags]                 find a stationary trajectory
//	lagc grad FILE.lag [flags]                  gradient of the cost by EP, echo, adjoint or FD
//	lagc train [FILE.lag] [flags]               train parameters (embedded demo without FILE)
//	lagc help [COMMAND]                         the commands, or every flag of one (also lagc COMMAND -h)
//	lagc version
//
// Flags may be written -name or --name, before or after FILE. In a
// //go:generate line, "lagc gen pendulum.lag" takes the package name from
// $GOPACKAGE and writes pendulum_lagrangian.go next to the source.
//
// Errors are printed as FILE:LINE:COL: message, all of them, and the exit
// status is 1; no output file is written or changed on error. Outputs
// replace only regular files, never an input, and reads are capped (a
// .lag source at 1 MiB, a data file at 256 MiB).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/lagc/lagc/lagrt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: everything dispatch, "lagc help" and "lagc
// help NAME" know about it.
type command struct {
	name    string
	summary string // one line for the command list
	usage   string // synopsis after "lagc "
	help    string // paragraphs for "lagc help NAME"
	// setup registers the command's flags on fs and returns the function
	// that runs it on the positional arguments once fs has parsed them.
	setup func(fs *flag.FlagSet) func(c *cli, fs *flag.FlagSet, args []string) error
}

// commands is the table of subcommands, in the order "lagc help" lists
// them. It is filled in init, as the help command refers to it.
var commands []*command

func init() {
	commands = []*command{
		{name: "gen", summary: "write the Go file implementing FILE.lag",
			usage: "gen [-o OUT] [-pkg NAME] FILE.lag", help: genHelp, setup: genSetup(false)},
		{name: "check", summary: "exit 1 if the generated Go file is stale or missing",
			usage: "check [-o OUT] [-pkg NAME] FILE.lag", help: checkHelp, setup: genSetup(true)},
		{name: "derive", summary: "print the momenta and Euler–Lagrange equations",
			usage: "derive [-format text|latex] FILE.lag", help: deriveHelp, setup: deriveSetup},
		{name: "fmt", summary: "print (or rewrite) the canonical layout",
			usage: "fmt [-w] FILE.lag...", help: fmtHelp, setup: fmtSetup},
		{name: "solve", summary: "find a stationary trajectory",
			usage: "solve FILE.lag --T=T [--bc=fixed|periodic|initial] [--steps=N] [--q0=..] [--qT=..|--v0=..|--p0=..] [--guess=..] [--param=..] [--input=..] [--target=..] [--format=json|csv]",
			help:  solveHelp, setup: solveSetup},
		{name: "grad", summary: "gradient of the cost by EP, the Hamiltonian echo, adjoint or finite differences",
			usage: "grad FILE.lag <solve flags> [--method=centered|ep|echo|echo1|adjoint|fd] [--beta=B] [--format=json|csv]",
			help:  gradHelp, setup: gradSetup},
		{name: "train", summary: "train the parameters (the embedded demo without FILE)",
			usage: "train [FILE.lag --data=DATA.json] [--epochs=N] [--batch=N] [--lr=X] [--optimizer=adam|sgd] [--method=centered|ep|echo|echo1|adjoint] [--beta=B] [--workers=K] [--seed=S] [--init=params.json] [--out=params.json] [--history=loss.csv] [--plot=DIR]",
			help:  trainHelp(), setup: trainSetup},
		{name: "help", summary: "print the commands, or every flag of one",
			usage: "help [COMMAND]", help: "Help lists the commands, or prints the usage, description and flags of COMMAND.",
			setup: helpSetup},
		{name: "version", summary: "print the version",
			usage: "version", help: "Version prints the version of lagc and of the generated-code contract.",
			setup: versionSetup},
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// cli carries the context and output streams of one invocation.
type cli struct {
	ctx            context.Context
	stdout, stderr io.Writer
}

// usageError is a command-line misuse; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitError carries an exit status without a message (already printed).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func run(args []string, stdout, stderr io.Writer) (code int) {
	return runContext(context.Background(), args, stdout, stderr)
}

// runContext runs lagc with args; cancelling ctx interrupts training as
// Ctrl-C does.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	c := &cli{ctx: ctx, stdout: stdout, stderr: stderr}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "lagc: internal error: %v\n%s", r, debug.Stack())
			code = 3
		}
	}()
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	}
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprintf(stderr, "lagc: unknown command %q\n", name)
		usage(stderr)
		return 2
	}
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	runFn := cmd.setup(fs)
	pos, err := parseInterleaved(fs, args[1:])
	if err == nil {
		err = runFn(c, fs, pos)
	}
	var ue usageError
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		printHelp(stdout, cmd)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "lagc %s: %s\nusage: lagc %s\nrun 'lagc help %s' for details\n", cmd.name, ue.msg, cmd.usage, cmd.name)
		return 2
	case errors.As(err, &ee):
		return ee.code
	default:
		printError(stderr, err)
		return 1
	}
}

// printError prints err, prefixed by "lagc: " unless its first line starts
// with a position (FILE:LINE:COL:); lists of positioned errors print one
// per line.
func printError(w io.Writer, err error) {
	msg := strings.TrimRight(err.Error(), "\n")
	if !hasPosition(msg) {
		msg = "lagc: " + msg
	}
	fmt.Fprintln(w, msg)
}

var position = regexp.MustCompile(`^[^:\n]+:[0-9]+:[0-9]+: `)

func hasPosition(msg string) bool { return position.MatchString(msg) }

// usage prints the list of commands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "lagc compiles Lagrangians into Go code trained by Equilibrium Propagation.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, cmd := range commands {
		fmt.Fprintf(tw, "\tlagc %s\t%s\n", cmd.name, cmd.summary)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags may be written -name or --name, before or after FILE.")
	fmt.Fprintln(w, "Run 'lagc help COMMAND' (or lagc COMMAND -h) for the usage and every flag of a command.")
}

// printHelp prints the usage, description and flags of cmd.
func printHelp(w io.Writer, cmd *command) {
	fmt.Fprintf(w, "usage: lagc %s\n\n%s\n", cmd.usage, strings.TrimSpace(cmd.help))
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	cmd.setup(fs)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

func helpSetup(*flag.FlagSet) func(*cli, *flag.FlagSet, []string) error {
	return func(c *cli, _ *flag.FlagSet, args []string) error {
		switch len(args) {
		case 0:
			usage(c.stdout)
			return nil
		case 1:
			cmd := lookup(args[0])
			if cmd == nil {
				return usageError{fmt.Sprintf("unknown command %q", args[0])}
			}
			printHelp(c.stdout, cmd)
			return nil
		}
		return usageError{"expected at most one COMMAND"}
	}
}

func versionSetup(*flag.FlagSet) func(*cli, *flag.FlagSet, []string) error {
	return func(c *cli, _ *flag.FlagSet, args []string) error {
		if len(args) != 0 {
			return usageError{"expected no arguments"}
		}
		fmt.Fprintln(c.stdout, versionString())
		return nil
	}
}

// given reports whether the flag name was set on the command line.
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			found = true
		}
	})
	return found
}

// parseInterleaved parses flags that may appear before or after positional
// arguments, returning the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func versionString() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return fmt.Sprintf("lagc %s (generated-code contract %d)", v, lagrt.GenVersion)
}
