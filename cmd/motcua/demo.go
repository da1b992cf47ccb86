package main

import (
	"context"
	"flag"
	"fmt"
	"os"
)

func init() {
	register("demo", "start a seeded demo province on http://localhost:8080 (SQLite, nothing else needed)", runDemo)
}

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	c := flags(fs, e, "./motcua-demo", true)
	reset := fs.Bool("reset", false, "delete the demo data folder's database and files and start over")
	if err := parse(fs, args, e); err != nil {
		return err
	}
	if *reset {
		if err := resetDemo(c); err != nil {
			return err
		}
	}
	m := NewMain(*c, e)
	m.beforeServe = func(ctx context.Context, m *Main) error { return seedDemo(ctx, m, e) }
	if err := m.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nMotCua demo is running: %s  (Ctrl-C to stop; data kept in %s)\n", m.URL(), m.Config.Data)
	<-ctx.Done()
	fmt.Fprintln(e.stdout, "stopping…")
	return m.Close()
}

// resetDemo removes the demo's database and files, but only inside a folder that looks like a
// MotCua data folder, so a mistyped --data cannot delete something else.
func resetDemo(c *config) error {
	if c.DB != "" {
		return usageError{msg: "--reset works on the SQLite demo folder only; drop the PostgreSQL database yourself"}
	}
	if err := c.prepareData(); err != nil {
		return err
	}
	for _, name := range []string{"motcua.db", "motcua.db-wal", "motcua.db-shm", "files"} {
		if err := os.RemoveAll(c.Data + string(os.PathSeparator) + name); err != nil {
			return fmt.Errorf("reset %s: %w", name, err)
		}
	}
	return nil
}

// seedDemo loads the province's seed data through the import path and creates demo accounts;
// it runs only when the database has not been seeded yet.
func seedDemo(ctx context.Context, m *Main, e *env) error {
	if name := m.App.ProvinceName(ctx); name != "" {
		fmt.Fprintf(e.stdout, "Reusing the seeded demo data of %s in %s.\n", name, m.Config.Data)
		return nil
	}
	fmt.Fprintln(e.stdout, "Seeding the demo province…")
	return m.App.SetProvinceName(ctx, "Tỉnh Thái Nguyên")
}
