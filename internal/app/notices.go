package app

import (
	"context"
	"slices"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
)

// Notices: what the deadline jobs tell officers (a new online dossier to receive, the
// acceptance deadline, a step or a dossier due soon or overdue) is kept per unit in the
// database, in the job's own transaction, and shown in the console to the officers holding a
// role in that unit. Each officer has a mark: the notices after it are unread.

// Notice is one notice as the console shows it.
type Notice struct {
	store.Notification
	Unread bool
}

// NoticesShown is how many of the newest notices the console lists.
const NoticesShown = 50

// noticeUnits are the units whose notices an officer sees.
func noticeUnits(p auth.Principal) []string {
	var units []string
	for _, r := range p.Roles {
		if r.Unit != "" && !slices.Contains(units, r.Unit) {
			units = append(units, r.Unit)
		}
	}
	return units
}

// Notices returns the newest notices of the officer's units, the unread ones flagged, and
// marks them all seen.
func (a *App) Notices(ctx context.Context, p auth.Principal) ([]Notice, error) {
	if p.Kind != auth.KindOfficer {
		return nil, authzError(auth.ErrForbidden)
	}
	seen, err := a.store.NotificationMark(ctx, p.Subject)
	if err != nil {
		return nil, err
	}
	ns, err := a.store.Notifications(ctx, noticeUnits(p), NoticesShown)
	if err != nil {
		return nil, err
	}
	out := make([]Notice, len(ns))
	for i, n := range ns {
		out[i] = Notice{Notification: n, Unread: n.ID > seen}
	}
	if len(ns) > 0 && ns[0].ID > seen {
		if err := a.store.MarkNotificationsSeen(ctx, p.Subject, ns[0].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UnreadNotices counts the officer's unread notices, at most NoticesShown.
func (a *App) UnreadNotices(ctx context.Context, p auth.Principal) (int, error) {
	if p.Kind != auth.KindOfficer {
		return 0, nil
	}
	return a.store.UnreadNotifications(ctx, p.Subject, noticeUnits(p), NoticesShown)
}
