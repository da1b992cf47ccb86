package index

// Summary is the dossier movement of a unit over a period, in the shape of the period report
// (carried over, received by channel, finished by verdict, open at the end by verdict). It is
// derived from two sums of rollup rows only: every day before the period (for stocks) and the
// days of the period (for flows).
type Summary struct {
	CarriedOver    int64 `json:"carried_over"` // open at the start of the period
	Received       int64 `json:"received"`
	ReceivedDirect int64 `json:"received_direct"`
	ReceivedOnline int64 `json:"received_online"`
	ReceivedPostal int64 `json:"received_postal"`
	// Handled = CarriedOver + Received = Finished + OpenOnTime + OpenOverdue: the dossiers
	// "received and handled in the period", the denominator of 2.1 and 5.3.
	Handled        int64 `json:"handled"`
	Finished       int64 `json:"finished"`
	FinishedEarly  int64 `json:"finished_early"`
	FinishedOnTime int64 `json:"finished_on_time"`
	FinishedLate   int64 `json:"finished_late"`
	Processed      int64 `json:"processed"`
	Refused        int64 `json:"refused"`
	Withdrawn      int64 `json:"withdrawn"`
	Stopped        int64 `json:"stopped"`
	OpenOnTime     int64 `json:"open_on_time"` // open at the end of the period, within time
	OpenOverdue    int64 `json:"open_overdue"` // open at the end of the period, overdue
	// Negative counts handled dossiers with feedback or a negative rating (5.3): finished in
	// the period, or open at its end.
	Negative int64 `json:"negative"`
}

// Summarize derives the period's movement from before, the sum of all rollup rows dated
// before the period, and during, the sum of the rows dated within it.
func Summarize(before, during *Counters) Summary {
	var end Counters
	end.Add(before)
	end.Add(during)
	openStart := before.Received() - before.Finished()
	openEnd := end.Received() - end.Finished()
	overdueEnd := end[OverdueMark] - end[OverdueClear]
	negativeOpen := end[NegativeReceived] - end[NegativeFinished]
	s := Summary{
		CarriedOver:    openStart,
		Received:       during.Received(),
		ReceivedDirect: during[ReceivedDirect],
		ReceivedOnline: during[ReceivedOnline],
		ReceivedPostal: during[ReceivedPostal],
		Finished:       during.Finished(),
		FinishedEarly:  during[FinishedEarly],
		FinishedOnTime: during[FinishedOnTime],
		FinishedLate:   during[FinishedLate],
		Processed:      during[EndProcessed],
		Refused:        during[EndRefused],
		Withdrawn:      during[EndWithdrawn],
		Stopped:        during[EndStopped],
		OpenOnTime:     openEnd - overdueEnd,
		OpenOverdue:    overdueEnd,
		Negative:       during[NegativeFinished] + negativeOpen,
	}
	s.Handled = s.CarriedOver + s.Received
	return s
}

// OnTime returns the dossiers counted on time by indicator 2.1: finished early or on time in
// the period, plus open at its end within time.
func (s Summary) OnTime() int64 { return s.FinishedEarly + s.FinishedOnTime + s.OpenOnTime }
