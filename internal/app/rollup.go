package app

import (
	"slices"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/org"
)

// rollupChanges are the index rollup updates of every unit the dossier counts for, written in
// the same transaction as its events: the difference between the dossier's index records
// before and after the command.
func rollupChanges(dir *org.Directory, before, after *dossier.Dossier, cal *calendar.Calendar, proc *catalog.Procedure) []index.Change {
	var changes []index.Change
	// A record depends on its unit only by its Unit field: compute each state's once.
	var b index.Record
	if before != nil {
		b = indexRecord(before, "", cal, proc)
	}
	a := indexRecord(after, "", cal, proc)
	for _, unit := range rollupUnits(dir, after) {
		b.Unit, a.Unit = unit, unit
		if before == nil {
			b = index.Record{}
		}
		changes = append(changes, index.Delta(b, a)...)
	}
	return changes
}

// rollupUnits are the units a dossier is counted for: the competent authority and the
// receiving unit, each with every unit above it (the province counts once).
func rollupUnits(dir *org.Directory, d *dossier.Dossier) []string {
	out := unitChain(dir, d.Authority)
	for _, key := range unitChain(dir, d.ReceivingUnit) {
		if !slices.Contains(out, key) {
			out = append(out, key)
		}
	}
	return out
}

// IndexRecord is exported for recompute and tests: the index's view of a dossier for unit.
func IndexRecord(d *dossier.Dossier, unit string, cal *calendar.Calendar, proc *catalog.Procedure) index.Record {
	return indexRecord(d, unit, cal, proc)
}

// indexRecord is what the service index counts of a dossier (LEGAL §6, §8), for one unit.
func indexRecord(d *dossier.Dossier, unit string, cal *calendar.Calendar, proc *catalog.Procedure) index.Record {
	r := index.Record{Unit: unit, Procedure: d.Spec.Procedure, ReceivedAt: d.ReceivedAt}
	if d.ReceivedAt.IsZero() {
		return r
	}
	switch d.Channel {
	case dossier.ChannelOnline:
		r.Channel = index.ChannelOnline
	case dossier.ChannelPostal:
		r.Channel = index.ChannelPostal
	default:
		r.Channel = index.ChannelDirect
	}
	// The clock is stopped while waiting for a supplement or suspended: no due date then,
	// so waiting time never makes a dossier overdue.
	if d.PausedFrom == "" {
		r.DueAt = d.DueAt
		if !d.DueAt.IsZero() {
			r.EarlyBy = earlyBy(cal, d.DueAt)
		}
	}
	switch {
	case !d.ProcessedAt.IsZero() && d.Decision == dossier.Refused:
		r.RefusedAt = d.ProcessedAt
	case !d.ProcessedAt.IsZero():
		r.ProcessedAt = d.ProcessedAt
	}
	r.ReturnedAt = d.ReturnedAt
	r.WithdrawnAt = d.WithdrawnAt
	r.StoppedAt = d.ClosedAt
	if !d.SupplementRequestedAt.IsZero() && d.SupplementRequestedAt.After(d.ReceivedAt) {
		r.SupplementRequests = d.SupplementRequests
	}
	if end, ok := d.End(); ok {
		m := cal.Elapsed(d.ReceivedAt, end) - d.PausedMinutes
		if m < 0 {
			m = 0
		}
		r.ProcessingMinutes = m
	}
	r.Synced = !d.SyncedAt.IsZero()
	r.PaperResultRequired = d.Spec.ResultPaper
	r.PaidOnline = d.PaidOnline
	if proc != nil {
		r.FeeBearing = feeBearing(proc)
		r.ResultIsDocument = proc.Result.DocType != "" || proc.Result.Name != ""
	}
	r.PaidOnline = r.PaidOnline && r.FeeBearing
	digitized := len(d.Documents) > 0
	for _, doc := range d.Documents {
		if !doc.Digitized {
			digitized = false
		}
		if doc.Reused || doc.FromVault {
			r.Reused = true
		}
		if doc.FromVault {
			r.VaultLinked = true
		}
	}
	r.Digitized = digitized
	for _, res := range d.Results {
		if res.Electronic {
			r.EResult = true
		}
		if res.ToVault {
			r.VaultLinked = true
		}
	}
	r.PopulationDataUsed = d.IdentityLevel > 0
	switch {
	case d.Rating >= 5:
		r.Rating = index.RatingVerySatisfied
	case d.Rating >= 3:
		r.Rating = index.RatingSatisfied
	case d.Rating >= 1:
		r.Rating = index.RatingDissatisfied
	}
	return r
}

// earlyBy is the latest end that still counts as early: one working day (480 working
// minutes) before due. Found by bisection on Elapsed, which is O(1) per call.
func earlyBy(cal *calendar.Calendar, due time.Time) time.Time {
	lo, hi := due.Add(-90*24*time.Hour), due // Elapsed(lo, due) >= 480 for any real calendar
	if cal.Elapsed(lo, due) < dossier.WorkingDayMinutes {
		return time.Time{}
	}
	for hi.Sub(lo) > time.Minute {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Minute)
		if !mid.After(lo) {
			break
		}
		if cal.Elapsed(mid, due) >= dossier.WorkingDayMinutes {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

func feeBearing(p *catalog.Procedure) bool {
	for _, f := range p.Fees {
		if (f.Amount != nil && *f.Amount > 0) || len(f.Tiers) > 0 {
			return true
		}
	}
	return false
}
