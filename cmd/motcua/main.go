// Command motcua is the whole MotCua system in one binary: the web server, the seeded demo,
// migrations and the administrative commands. This package only parses flags and wires the
// parts together; the logic lives under internal/.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command gets from the process: output streams and the environment.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// commands is the table of subcommands; later files add theirs in init functions.
var commands = map[string]command{}

func register(name, summary string, run func(ctx context.Context, env *env, args []string) error) {
	commands[name] = command{summary: summary, run: run}
}

// usageError is a mistake on the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// defaultGCPercent is the garbage collector's target when GOGC is not set: the live heap of a
// MotCua process is small (tens of MiB) and every command allocates, so the default of 100
// spends a tenth of a busy server's CPU on collections; 400 trades a few more MiB of heap for
// most of that time. GOGC in the environment still wins.
const defaultGCPercent = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code: 0 success, 1 failure, 2 usage or
// configuration error. Errors are printed as one sentence, never as a stack trace.
func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "motcua: unknown command %q; run 'motcua help' for the list\n", args[0])
		return 2
	}
	if err := cmd.run(ctx, e, args[1:]); err != nil {
		fmt.Fprintf(e.stderr, "motcua %s: %s\n", args[0], sentence(err))
		var ue usageError
		var ce *configError
		if errors.As(err, &ue) || errors.As(err, &ce) {
			return 2
		}
		return 1
	}
	return 0
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "MotCua — one-stop administrative procedures for a Vietnamese province.")
	fmt.Fprintln(w, "\nUsage: motcua <command> [flags]   (motcua <command> -h for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
}

// sentence makes an error printable as one line.
func sentence(err error) string {
	s := strings.TrimSpace(err.Error())
	s = strings.ReplaceAll(s, "\n", "; ")
	return s
}
