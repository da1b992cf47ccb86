package dossier_test

import (
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/seed"
)

// Example shows the app layer's loop: load the state, Decide, persist the events, Apply.
func Example() {
	notices, _ := calendar.ParseNotices(seed.CalendarNotices())
	cal, _ := calendar.New(calendar.DefaultConfig(), notices)
	vn := calendar.VN
	spec := dossier.Spec{
		Procedure: "HKD.01", Version: 1,
		ProcessingTime: calendar.Duration{Value: 3, Unit: calendar.WorkingDay},
		Steps: []dossier.StepSpec{
			{Name: "Tiếp nhận", Role: "desk", Unit: "xa-tan-cuong", ShareMinutes: 240},
			{Name: "Thẩm định", Role: "specialist", Unit: "xa-tan-cuong", ShareMinutes: 960},
			{Name: "Trả kết quả", Role: "desk", Unit: "xa-tan-cuong", ShareMinutes: 240},
		},
	}
	d := dossier.New()
	desk := dossier.Actor{ID: "mc-01", Unit: "xa-tan-cuong", Role: "desk"}
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, vn) // a Friday
	for _, c := range []dossier.Command{
		dossier.Submit{ID: "d-1", Channel: dossier.ChannelDesk, Spec: spec, Authority: "xa-tan-cuong",
			ReceivingUnit: "xa-tan-cuong", Applicant: dossier.Applicant{Name: "Nguyễn Văn An"}},
		dossier.Receive{Code: dossier.FormatCode("001.00.50.H55", now, 1)},
		dossier.RequestSupplement{Components: nil, Reason: "Thiếu"},
	} {
		events, err := dossier.Decide(d, c, dossier.Context{Now: now, Clock: cal, Actor: desk})
		if err != nil {
			fmt.Println("refused:", err)
			continue
		}
		for _, e := range events { // the store appends them in the same transaction
			dossier.Apply(d, e)
			fmt.Println(e.Seq, e.Type)
		}
	}
	fmt.Println(d.Code, d.State, d.DueAt.In(vn).Format("Mon 2006-01-02 15:04"))
	// Output:
	// 1 submitted
	// 2 received
	// refused: dossier: invalid components: list every missing component
	// 001.00.50.H55-261127-0001 received Wed 2026-12-02 09:00
}
