package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

func init() {
	register("token", "API tokens for officers: token create --user NAME", func(ctx context.Context, e *env, args []string) error {
		if len(args) == 0 || args[0] != "create" {
			return usageError{msg: "usage: motcua token create --user NAME [--label TEXT] [--db URL] [--data DIR]"}
		}
		fs := flag.NewFlagSet("token create", flag.ContinueOnError)
		c := flags(fs, e, "./motcua-data", false)
		user := fs.String("user", "", "the officer's username (see `motcua users list`)")
		label := fs.String("label", "", "what the token is for, shown in the audit log")
		if err := parse(fs, args[1:], e); err != nil {
			return err
		}
		if strings.TrimSpace(*user) == "" {
			return usageError{msg: "--user is required"}
		}
		a, done, err := openApp(ctx, c)
		if err != nil {
			return err
		}
		defer done()
		tok, err := a.CreateAPIToken(ctx, *user, *label)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, tok)
		fmt.Fprintln(e.stderr, "Keep this token secret; it is shown only once. Send it as: Authorization: Bearer <token>")
		return nil
	})
}
