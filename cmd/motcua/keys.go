package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/motcua/motcua/internal/auth"
)

// keysPath is the keyring file: --keys, or keys.json in the data folder.
func (c *config) keysPath() string {
	if c.Keys != "" {
		return c.Keys
	}
	return filepath.Join(c.Data, "keys.json")
}

// loadKeyring returns the keyring that seals personal data: MOTCUA_KEYS (the keyring JSON
// itself, for deployments that keep secrets in the environment), else the keyring file. When
// create is true and there is neither, a new keyring is written (mode 0600).
func loadKeyring(c *config, e *env, create bool) (*auth.Keyring, error) {
	if v := e.getenv("MOTCUA_KEYS"); v != "" {
		k, err := auth.ParseKeyring([]byte(v))
		if err != nil {
			return nil, &configError{msg: fmt.Sprintf("MOTCUA_KEYS does not hold a valid keyring: %v", err)}
		}
		return k, nil
	}
	path := c.keysPath()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if !create {
			return nil, &configError{msg: fmt.Sprintf("no keyring at %s: start `motcua serve` or `motcua demo` once, or give --keys", path)}
		}
		k := auth.GenerateKeyring()
		if err := writeKeyring(path, k); err != nil {
			return nil, err
		}
		return k, nil
	}
	if err != nil {
		return nil, &configError{msg: fmt.Sprintf("cannot read the keyring %s: %v", path, rootCause(err))}
	}
	k, err := auth.ParseKeyring(b)
	if err != nil {
		return nil, &configError{msg: fmt.Sprintf("the keyring %s is not valid: %v", path, err)}
	}
	return k, nil
}

// writeKeyring replaces the keyring file atomically (temp file, fsync, rename).
func writeKeyring(path string, k *auth.Keyring) error {
	b, err := auth.MarshalKeyring(k)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return &configError{msg: fmt.Sprintf("cannot create %s: %v", filepath.Dir(path), rootCause(err))}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keys-*")
	if err != nil {
		return &configError{msg: fmt.Sprintf("cannot write the keyring next to %s: %v", path, rootCause(err))}
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func init() {
	register("keys", "manage the personal-data keyring: keys rotate", func(ctx context.Context, e *env, args []string) error {
		if len(args) == 0 || args[0] != "rotate" {
			return usageError{msg: "usage: motcua keys rotate [--db URL] [--data DIR] [--keys FILE] [--drop-old]"}
		}
		fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
		c := flags(fs, e, "./motcua-data", false)
		dropOld := fs.Bool("drop-old", false, "remove the old keys from the keyring once everything is re-encrypted")
		if err := parse(fs, args[1:], e); err != nil {
			return err
		}
		if e.getenv("MOTCUA_KEYS") != "" {
			return &configError{msg: "the keyring comes from MOTCUA_KEYS; rotate it where that secret is kept, or use --keys FILE"}
		}
		old, err := loadKeyring(c, e, false)
		if err != nil {
			return err
		}
		// The rotated keyring (old keys kept for reading) is saved before anything is
		// re-encrypted, so an interruption at any point leaves every value readable; running
		// the command again finishes the job.
		rotated := old.Rotated()
		if err := writeKeyring(c.keysPath(), rotated); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "new primary key %d written to %s\n", rotated.Primary(), c.keysPath())
		a, closeFn, err := openAppWithKeys(ctx, c, e, rotated)
		if err != nil {
			return err
		}
		defer closeFn()
		n, err := a.ResealAll(ctx, func(done int) { fmt.Fprintf(e.stderr, "\rre-encrypted %d values", done) })
		fmt.Fprintln(e.stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "re-encrypted %d values with key %d\n", n, rotated.Primary())
		if *dropOld {
			k := rotated
			for _, id := range rotated.KeyIDs() {
				if id != rotated.Primary() {
					if k, err = k.Without(id); err != nil {
						return err
					}
				}
			}
			if err := writeKeyring(c.keysPath(), k); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "old keys removed from the keyring")
		}
		return nil
	})
}
