package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/motcua/motcua/internal/store"
)

// errChainBroken makes `audit verify` exit 1 after naming the broken event.
var errChainBroken = errors.New("the audit chain is broken")

func init() {
	register("audit", "audit verify: recompute every dossier's hash chain", func(ctx context.Context, e *env, args []string) error {
		if len(args) == 0 || args[0] != "verify" {
			return usageError{msg: "usage: motcua audit verify [--db URL] [--data DIR]"}
		}
		fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
		c := flags(fs, e, "./motcua-data", false)
		if err := parse(fs, args[1:], e); err != nil {
			return err
		}
		s, err := openStore(ctx, c)
		if err != nil {
			return err
		}
		defer s.Close()
		n, err := s.VerifyChains(ctx, func(done int) {
			if done%10000 == 0 {
				fmt.Fprintf(e.stderr, "\rverified %d events", done)
			}
		})
		var ce *store.ChainError
		if errors.As(err, &ce) {
			fmt.Fprintf(e.stdout, "BROKEN: dossier %s, event %d: %v\n", ce.DossierID, ce.Seq, ce.Err)
			return errChainBroken
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "audit chain OK: %d events verified\n", n)
		return nil
	})
}
