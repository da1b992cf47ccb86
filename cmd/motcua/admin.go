package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/auth"
)

func init() {
	register("users", "list officers: users list [--json]", runUsers)
	register("import", "import seed or administrator files: import units FILE | import procedures FILE", runImport)
}

// openApp opens the installation's database and the application for a one-shot command.
func openApp(ctx context.Context, c *config) (*app.App, func(), error) {
	return openAppWithKeys(ctx, c, nil, nil)
}

// openAppWithKeys is openApp with the installation's keyring (commands that read or write
// personal data); keys nil loads it from the configuration.
func openAppWithKeys(ctx context.Context, c *config, e *env, keys *auth.Keyring) (*app.App, func(), error) {
	if keys == nil && e != nil {
		k, err := loadKeyring(c, e, false)
		if err != nil {
			return nil, nil, err
		}
		keys = k
	}
	s, err := openStore(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	a, err := app.New(s, app.Options{Keyring: keys})
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return a, func() { s.Close() }, nil
}

func runUsers(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return usageError{msg: "usage: motcua users list [--json] [--db URL | --data DIR]"}
	}
	fs := flag.NewFlagSet("users list", flag.ContinueOnError)
	c := flags(fs, e, "./motcua-data", false)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args[1:], e); err != nil {
		return err
	}
	a, done, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer done()
	officers, err := a.Store().Officers(ctx)
	if err != nil {
		return err
	}
	type role struct {
		Role string `json:"role"`
		Unit string `json:"unit"`
	}
	type user struct {
		Username string `json:"username"`
		Name     string `json:"name"`
		Roles    []role `json:"roles"`
	}
	out := make([]user, 0, len(officers))
	for _, o := range officers {
		u := user{Username: o.Username, Name: o.Name, Roles: []role{}}
		for _, r := range o.Roles {
			u.Roles = append(u.Roles, role{Role: r.Role, Unit: r.Unit})
		}
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, u := range out {
		var rs []string
		for _, r := range u.Roles {
			rs = append(rs, r.Role+"@"+r.Unit)
		}
		fmt.Fprintf(e.stdout, "%-34s %-60s %s\n", u.Username, u.Name, strings.Join(rs, ", "))
	}
	return nil
}

func runImport(ctx context.Context, e *env, args []string) error {
	if len(args) < 2 || (args[0] != "units" && args[0] != "procedures") {
		return usageError{msg: "usage: motcua import units|procedures FILE [--db URL | --data DIR]"}
	}
	kind, file := args[0], args[1]
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	c := flags(fs, e, "./motcua-data", false)
	actor := fs.String("actor", "cli", "who is importing (recorded in the audit log)")
	if err := parse(fs, args[2:], e); err != nil {
		return err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return usageError{msg: fmt.Sprintf("cannot read %s: %v", file, rootCause(err))}
	}
	a, done, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer done()
	var sum app.ImportSummary
	switch kind {
	case "units":
		sum, err = a.ImportUnits(ctx, *actor, b)
	case "procedures":
		sum, err = importProcedures(ctx, a, *actor, file, b)
	}
	if err != nil {
		var ae *app.Error
		if errors.As(err, &ae) && len(ae.Fields) > 0 {
			keys := make([]string, 0, len(ae.Fields))
			for k := range ae.Fields {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(e.stderr, "  %s\n", k)
			}
			return usageError{msg: fmt.Sprintf("%s is invalid (%d problems listed above); nothing was imported", file, len(ae.Fields))}
		}
		return err
	}
	switch kind {
	case "units":
		fmt.Fprintf(e.stdout, "imported %d units and %d desks from %s\n", sum.Units, sum.Desks, file)
	default:
		fmt.Fprintf(e.stdout, "imported %s: %d new procedures, %d new versions, %d unchanged\n", file, sum.Created, sum.NewVersions, sum.Unchanged)
	}
	return nil
}
