package index

// What Compute reads of Totals. An index query needs far less than the rollups hold: of the
// rows before the period only the counters that make stocks (Summarize), and per procedure
// only the two counters of 3.2 and 3.5. The store reads just these for an index query
// (store.IndexTotals), which is most of its cost; Lean says what that reading must equal, and
// a test checks that Compute gives the same report from Lean totals as from full ones.

// StockFields are the counters Summarize reads from the rows dated before a period: received
// and finished (open dossiers), the overdue marks and the negative feedback.
var StockFields = []Field{
	ReceivedDirect, ReceivedOnline, ReceivedPostal,
	FinishedEarly, FinishedOnTime, FinishedLate,
	OverdueMark, OverdueClear,
	NegativeReceived, NegativeFinished,
}

// ProcedureFields are the counters Compute reads per procedure: received online (3.2) and paid
// online (3.5).
var ProcedureFields = []Field{ReceivedOnline, PaidOnline}

// only returns c with every counter but fs zeroed.
func only(c *Counters, fs []Field) Counters {
	var out Counters
	for _, f := range fs {
		out[f] = c[f]
	}
	return out
}

// Lean returns what Compute reads of t: Before reduced to StockFields, During whole, and
// ByProcedure reduced to ProcedureFields. Every procedure of t.ByProcedure stays, even when
// those counters are zero: which procedures had dossiers in the period is itself read (the
// index counts a procedure no longer published that still had dossiers).
func (t Totals) Lean() Totals {
	out := Totals{Before: only(&t.Before, StockFields), During: t.During, ByProcedure: map[string]*Counters{}}
	for code, c := range t.ByProcedure {
		l := only(c, ProcedureFields)
		out.ByProcedure[code] = &l
	}
	return out
}
