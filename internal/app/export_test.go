package app

import (
	"context"

	"github.com/motcua/motcua/internal/dossier"
)

// RecordSyncForTest records the national portal's acknowledgement of a dossier as the
// dispatcher does, without delivering anything: a crash after the record and before the
// message was marked sent leaves exactly this.
func (a *App) RecordSyncForTest(ctx context.Context, id string) (bool, error) {
	return a.actAsSystem(ctx, id, "sync", dossier.Sync{Reference: "before-crash"})
}
