// Command lagc compiles Lagrangians written in the .lag language into Go
// code, and solves and trains them from the command line.
//
// Usage:
//
//	lagc gen [-o OUT] [-pkg NAME] FILE.lag      write the generated Go file
//	lagc check [-o OUT] [-pkg NAME] FILE.lag    exit 1 if OUT is stale
//	lagc derive [-format text|latex] FILE.lag   print momenta and Euler–Lagrange equations
//	lagc fmt [-w] FILE.lag                      print the canonical layout
//	lagc solve FILE.lag [flags]                 find a stationary trajectory
//	lagc grad FILE.lag [flags]                  gradient of the cost by EP, adjoint or FD
//	lagc train [FILE.lag] [flags]               train parameters (embedded demo without FILE)
//	lagc help [COMMAND]
//	lagc version
//
// Flags may be written -name or --name, before or after FILE. In a
// //go:generate line, "lagc gen pendulum.lag" takes the package name from
// $GOPACKAGE and writes pendulum_lagrangian.go next to the source.
//
// Errors are printed as FILE:LINE:COL: message, all of them, and the exit
// status is 1; no output file is written or changed on error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/lagc/lagc/lagrt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand.
type command struct {
	name  string
	usage string // one line of synopsis after "lagc "
	help  string
	run   func(c *cli, args []string) error
}

var commands []*command

func register(c *command) { commands = append(commands, c) }

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
		c.usage(stderr)
		return 2
	}
	name := args[0]
	switch strings.TrimLeft(name, "-") {
	case "help", "h":
		return c.help(args[1:])
	case "version":
		fmt.Fprintln(stdout, versionString())
		return 0
	}
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprintf(stderr, "lagc: unknown command %q\n", name)
		c.usage(stderr)
		return 2
	}
	err := cmd.run(c, args[1:])
	var ue usageError
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
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

// printError prints err; lists of positioned errors print one per line.
func printError(w io.Writer, err error) {
	msg := err.Error()
	if !strings.Contains(msg, "\n") && !hasPosition(msg) {
		msg = "lagc: " + msg
	}
	fmt.Fprintln(w, strings.TrimRight(msg, "\n"))
}

func hasPosition(msg string) bool {
	i := strings.Index(msg, ":")
	return i > 0 && strings.Contains(msg[:i], ".")
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintln(w, "lagc compiles Lagrangians into Go code trained by Equilibrium Propagation.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w)
	cs := append([]*command(nil), commands...)
	sort.SliceStable(cs, func(i, j int) bool { return order(cs[i].name) < order(cs[j].name) })
	for _, cmd := range cs {
		fmt.Fprintf(w, "\tlagc %s\n", cmd.usage)
	}
	fmt.Fprintln(w, "\tlagc help [COMMAND]")
	fmt.Fprintln(w, "\tlagc version")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags may be written -name or --name, before or after FILE.")
}

func order(name string) int {
	for i, n := range []string{"gen", "check", "derive", "fmt", "solve", "grad", "train"} {
		if n == name {
			return i
		}
	}
	return 100
}

func (c *cli) help(args []string) int {
	if len(args) == 0 {
		c.usage(c.stdout)
		return 0
	}
	cmd := lookup(args[0])
	if cmd == nil {
		fmt.Fprintf(c.stderr, "lagc help: unknown command %q\n", args[0])
		return 2
	}
	fmt.Fprintf(c.stdout, "usage: lagc %s\n\n%s\n", cmd.usage, strings.TrimSpace(cmd.help))
	fs := cmd.flags()
	if fs != nil {
		fmt.Fprintln(c.stdout, "\nFlags:")
		fs.SetOutput(c.stdout)
		fs.PrintDefaults()
	}
	return 0
}

// flags returns the command's flag set for help output, by running its
// flag constructor with no arguments.
func (cmd *command) flags() *flag.FlagSet {
	if f, ok := flagSets[cmd.name]; ok {
		return f()
	}
	return nil
}

// flagSets maps a command name to a constructor of its (unbound) flags,
// for help output.
var flagSets = map[string]func() *flag.FlagSet{}

// parseInterleaved parses flags that may appear before or after positional
// arguments, returning the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
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
