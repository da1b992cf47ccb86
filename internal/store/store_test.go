package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestContract is the storage contract: every subtest runs unchanged on SQLite and PostgreSQL.
func TestContract(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t.Run("MigrateIsIdempotent", func(t *testing.T) {
			n, err := s.Migrate(ctx)
			if err != nil || n != 0 {
				t.Fatalf("second migrate applied %d, err %v; want 0, nil", n, err)
			}
			v, err := s.SchemaVersion(ctx)
			ms, _ := store.Migrations(s.Engine())
			if err != nil || v != ms[len(ms)-1].Version {
				t.Fatalf("schema version %d (%v), want %d", v, err, ms[len(ms)-1].Version)
			}
		})
		t.Run("SettingNotFound", func(t *testing.T) {
			_, err := s.Setting(ctx, "nope")
			if !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
		})
		t.Run("SettingUpsert", func(t *testing.T) {
			now := time.Date(2026, 11, 26, 3, 4, 5, 0, time.UTC)
			for _, v := range []string{"một", "hai"} {
				if err := s.SetSetting(ctx, "k", v, now); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Setting(ctx, "k")
			if err != nil || got != "hai" {
				t.Fatalf("got %q, %v", got, err)
			}
		})
		t.Run("AuditLogKeepsUTCAndOrder", func(t *testing.T) {
			vn := time.FixedZone("ICT", 7*3600)
			at := time.Date(2026, 11, 26, 10, 15, 0, 123456000, vn)
			for i, key := range []string{"a", "b"} {
				e := store.AuditEntry{At: at.Add(time.Duration(i) * time.Second), Actor: "admin", Action: "update", ObjectKind: "unit", ObjectKey: key, Detail: `{"tên":"Tân Cương"}`}
				if err := s.AppendAudit(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.AuditLog(ctx, "unit", 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].ObjectKey != "b" {
				t.Fatalf("want newest first, got %+v", got)
			}
			if !got[1].At.Equal(at) || got[1].At.Location() != time.UTC {
				t.Fatalf("time round trip: got %v, want %v in UTC", got[1].At, at)
			}
			if diff := cmp.Diff(`{"tên":"Tân Cương"}`, got[1].Detail); diff != "" {
				t.Fatal(diff)
			}
		})
		t.Run("TxRollsBackOnError", func(t *testing.T) {
			boom := errors.New("boom")
			err := s.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.AppendAudit(ctx, store.AuditEntry{At: time.Now(), Actor: "x", Action: "y", ObjectKind: "rollback", ObjectKey: "z"}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v", err)
			}
			got, _ := s.AuditLog(ctx, "rollback", 10)
			if len(got) != 0 {
				t.Fatalf("rolled-back row visible: %+v", got)
			}
		})
	})
}

func TestMigrationsSameNumbersOnBothEngines(t *testing.T) {
	a, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []store.Migration) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	if diff := cmp.Diff(names(a), names(b)); diff != "" {
		t.Fatalf("migrations differ between engines (-sqlite +postgres):\n%s", diff)
	}
}

func TestSchemaNewerThanBinaryIsRefused(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.InTx(ctx, func(tx *store.Tx) error { return store.ForceSchemaVersionForTest(ctx, tx, 9999) }); err != nil {
			t.Fatal(err)
		}
		_, err := s.Migrate(ctx)
		if !errors.Is(err, store.ErrSchemaTooNew) {
			t.Fatalf("err = %v, want ErrSchemaTooNew", err)
		}
	})
}

func TestOpenBadConfig(t *testing.T) {
	ctx := context.Background()
	cases := map[string]string{
		"unknown scheme": "mysql://x",
		"missing folder": "sqlite:" + filepath.Join(t.TempDir(), "no", "such", "x.db"),
		"unreachable pg": "postgres://postgres@127.0.0.1:1/postgres?connect_timeout=2",
		"empty":          "",
		"sqlite no path": "sqlite:",
	}
	for name, dsn := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := store.Open(ctx, dsn)
			var ce *store.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v (%T), want a ConfigError", err, err)
			}
		})
	}
	t.Run("path through a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "afile")
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(ctx, "sqlite:"+filepath.Join(f, "x.db"))
		var ce *store.ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v, want a ConfigError", err)
		}
	})
}
