package main

import (
	"context"
	"flag"
	"fmt"
	"runtime/debug"

	"github.com/motcua/motcua/internal/store"
)

func init() {
	register("migrate", "apply database migrations (idempotent; serve and demo also do it)", func(ctx context.Context, e *env, args []string) error {
		fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
		c := flags(fs, e, "./motcua-data", false)
		if err := parse(fs, args, e); err != nil {
			return err
		}
		s, err := openStore(ctx, c)
		if err != nil {
			return err
		}
		defer s.Close()
		v, _ := s.SchemaVersion(ctx)
		fmt.Fprintf(e.stdout, "database %s is at schema version %d\n", s.Engine(), v)
		return nil
	})
	register("version", "print the version", func(ctx context.Context, e *env, args []string) error {
		fmt.Fprintf(e.stdout, "motcua %s\n", version())
		return nil
	})
}

// openStore opens and migrates the installation's database for a one-shot command.
func openStore(ctx context.Context, c *config) (*store.Store, error) {
	if c.DB == "" {
		if err := c.prepareData(); err != nil {
			return nil, err
		}
	}
	dsn, err := c.dsn()
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, storeError(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, storeError(err)
	}
	return s, nil
}

// buildVersion is set with -ldflags "-X main.buildVersion=v1.2.3" for releases.
var buildVersion = ""

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			if dirty {
				rev += "-dirty"
			}
			return "dev-" + rev
		}
	}
	return "dev"
}
