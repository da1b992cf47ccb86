package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/seed"
)

func init() {
	register("demo", "start a seeded demo province on http://localhost:8080 (SQLite, nothing else needed)", runDemo)
}

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	c := flags(fs, e, "./motcua-demo", true)
	reset := fs.Bool("reset", false, "delete the demo data folder's database and files and start over")
	histDays := fs.Int("history-days", 90, "days of simulated history before today written at the first start (0: none)")
	histRate := fs.Int("history-rate", 100, "dossiers a day in the simulated history")
	if err := parse(fs, args, e); err != nil {
		return err
	}
	if *histDays < 0 || *histDays > 3660 || *histRate < 1 || *histRate > 10_000 {
		return usageError{msg: "--history-days must be between 0 and 3660 and --history-rate between 1 and 10000"}
	}
	if *reset {
		if err := resetDemo(c); err != nil {
			return err
		}
	}
	m := NewMain(*c, e)
	m.demo = true
	m.beforeServe = func(ctx context.Context, m *Main) error { return seedDemo(ctx, m, e, *histDays, *histRate) }
	if err := m.Run(ctx); err != nil {
		return err
	}
	if _, stand := m.portal.(*demoPortal); stand {
		fmt.Fprintln(e.stdout, "National Public Service Portal: simulated in process (every status message acknowledged); --national-portal URL to use a real one")
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

// demoPassword is the one password of every demo account; the demo prints it at start.
const demoPassword = "motcua-demo"

// seedDemo loads the province's seed data through the administrators' import path and creates
// demo accounts; it runs only when the database has not been seeded yet.
func seedDemo(ctx context.Context, m *Main, e *env, histDays, histRate int) error {
	if n, err := m.Store.CountOfficers(ctx); err == nil && n > 0 {
		fmt.Fprintf(e.stdout, "Reusing the seeded demo data of %s in %s.\n", m.App.ProvinceName(ctx), m.Config.Data)
		printDemoAccounts(e, m.App.ProvinceName(ctx))
		return nil
	}
	fmt.Fprintln(e.stdout, "Seeding the demo province from the embedded seed data…")
	sum, err := m.App.ImportUnits(ctx, "demo", seed.Units())
	if err != nil {
		return fmt.Errorf("seed units: %w", err)
	}
	fmt.Fprintf(e.stdout, "  units: %d (desks: %d)\n", sum.Units, sum.Desks)
	psum, err := m.App.ImportProcedures(ctx, "demo", seed.Procedures())
	if err != nil {
		return fmt.Errorf("seed procedures: %w", err)
	}
	fmt.Fprintf(e.stdout, "  procedures: %d\n", psum.Created+psum.NewVersions+psum.Unchanged)
	if years, err := m.App.NoticeYears(ctx); err == nil {
		fmt.Fprintf(e.stdout, "  official working calendars: %v (other years derived from the statutory rules)\n", years)
	}
	accounts, err := m.App.CreateDemoOfficers(ctx, demoPassword)
	if err != nil {
		return fmt.Errorf("seed officers: %w", err)
	}
	fmt.Fprintf(e.stdout, "  demo officers: %d\n", len(accounts))
	n, err := m.App.SeedDemoDossiers(ctx, func(done, total int) { fmt.Fprintf(e.stderr, "\r  dossiers: %d/%d", done, total) })
	fmt.Fprintln(e.stderr)
	if err != nil {
		return fmt.Errorf("seed dossiers: %w", err)
	}
	fmt.Fprintf(e.stdout, "  demo dossiers in every state: %d (provincial center and two communes)\n", n)
	if histDays > 0 {
		// A few months of the province's life through the real engine (motcua simulate), so
		// that the index, dashboards, statistics and reports have something to show.
		today := time.Now().In(calendar.VN)
		today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, calendar.VN)
		bar := newProgress(e.stderr, "  history", "dossiers")
		res, err := m.App.Simulate(ctx, app.SimulateOptions{From: today.AddDate(0, 0, -histDays), To: today, Rate: histRate, Seed: 766, Progress: bar.update})
		bar.finish()
		if err != nil {
			return fmt.Errorf("simulate the demo's history: %w", err)
		}
		fmt.Fprintf(e.stdout, "  simulated history: %d dossiers over the last %d days (motcua simulate; --history-days 0 for none)\n", res.Dossiers, histDays)
	}
	printDemoAccounts(e, m.App.ProvinceName(ctx))
	return nil
}

func printDemoAccounts(e *env, province string) {
	fmt.Fprintf(e.stdout, `
Demo accounts of %s — password for every account: %s
  admin                      system administrator (configures, cannot process dossiers)
  inspector                  province-wide inspector
  ttpvhcc.desk               desk officer of the provincial service center (also ttpvhcc.leader, ttpvhcc.unit_admin)
  so-tu-phap.specialist      specialist of an agency (also .leader, .unit_admin for every agency key)
  xa-tan-cuong.desk          desk officer of a commune (also .specialist, .leader, .unit_admin for every commune key)
  ca-xa-tan-cuong.specialist commune police (also .leader)
  Every account is <unit-key>.<role>; list them all with: motcua users list --data DIR
  Leaders, admin and inspector also need a one-time code: the demo's authenticator secret is
  %s (add it to any TOTP app); the sign-in page shows the current code.
  Applicants sign in with "Đăng nhập bằng VNeID" on the demo's embedded identity provider.
`, province, demoPassword, app.DemoTOTPSecret)
}
