package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/motcua/motcua/internal/app"
)

func init() {
	register("export", "export the published catalog: export procedures [--out FILE]", runExport)
}

// importProcedures imports a motcua.procedures/v1 JSON file.
func importProcedures(ctx context.Context, a *app.App, actor, file string, b []byte) (app.ImportSummary, error) {
	return a.ImportProcedures(ctx, actor, b)
}

func runExport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "procedures" {
		return usageError{msg: "usage: motcua export procedures [--out FILE] [--db URL | --data DIR]"}
	}
	fs := flag.NewFlagSet("export procedures", flag.ContinueOnError)
	c := flags(fs, e, "./motcua-data", false)
	out := fs.String("out", "", "write to FILE instead of standard output")
	if err := parse(fs, args[1:], e); err != nil {
		return err
	}
	a, done, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer done()
	b, err := a.ExportProcedures(ctx)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = e.stdout.Write(b)
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", *out, rootCause(err))
	}
	fmt.Fprintf(e.stderr, "exported the catalog to %s\n", *out)
	return nil
}
