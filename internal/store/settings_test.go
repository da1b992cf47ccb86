package store_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestContractSettings: Settings reads several keys at once, the missing ones absent, and
// agrees with Setting.
func TestContractSettings(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now()
		for k, v := range map[string]string{"a": "1", "b": "hai, ba", "c": ""} {
			if err := s.SetSetting(ctx, k, v, now); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Settings(ctx, "a", "b", "c", "missing")
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{"a": "1", "b": "hai, ba", "c": ""}; !maps.Equal(got, want) {
			t.Errorf("Settings = %v, want %v", got, want)
		}
		if one, err := s.Setting(ctx, "b"); err != nil || one != got["b"] {
			t.Errorf("Setting(b) = %q, %v", one, err)
		}
		if none, err := s.Settings(ctx); err != nil || len(none) != 0 {
			t.Errorf("no keys: %v, %v", none, err)
		}
	})
}
