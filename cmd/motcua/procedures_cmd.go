package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/motcua/motcua/internal/app"
)

func init() {
	register("export", "export the published catalog: export procedures [--out FILE]", runExport)
}

// importProcedures imports a motcua.procedures/v1 JSON file, or the administrators' .xlsx.
func importProcedures(ctx context.Context, a *app.App, actor, file string, b []byte) (app.ImportSummary, error) {
	if strings.EqualFold(filepath.Ext(file), ".xlsx") {
		return a.ImportProceduresXLSX(ctx, actor, b)
	}
	return a.ImportProcedures(ctx, actor, b)
}

func runExport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "procedures" {
		return usageError{msg: "usage: motcua export procedures [--out FILE] [--db URL | --data DIR]"}
	}
	fs := flag.NewFlagSet("export procedures", flag.ContinueOnError)
	c := flags(fs, e, "./motcua-data", false)
	out := fs.String("out", "", "write to FILE instead of standard output (.xlsx writes the spreadsheet)")
	if err := parse(fs, args[1:], e); err != nil {
		return err
	}
	a, done, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer done()
	if strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		var buf bytes.Buffer
		if err := a.ExportProceduresXLSX(ctx, &buf); err != nil {
			return err
		}
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", *out, rootCause(err))
		}
		fmt.Fprintf(e.stderr, "exported the catalog to %s\n", *out)
		return nil
	}
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
