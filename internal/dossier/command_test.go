package dossier

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeCommand(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		want  Command
		field string
	}{
		{"request-supplement", `{"components":["GCN","BV"],"reason":"Thiếu"}`, RequestSupplement{Components: []string{"GCN", "BV"}, Reason: "Thiếu"}, ""},
		{"assign", `{"to":"cv-01"}`, Assign{Step: -1, To: "cv-01"}, ""},
		{"assign", `{"to":"cv-01","step":2}`, Assign{Step: 2, To: "cv-01"}, ""},
		{"complete-step", ``, CompleteStep{Step: -1}, ""},
		{"forward", `{"to":"so-xay-dung","parallel":true,"share_minutes":480}`, Forward{To: "so-xay-dung", Parallel: true, ShareMinutes: 480}, ""},
		{"extend", `{"new_due":"2026-11-16T17:00:00+07:00","reason":"Xác minh"}`, Extend{NewDue: at(16, 17, 0), Reason: "Xác minh"}, ""},
		{"rate", `{"score":4,"comment":"Tốt"}`, Rate{Score: 4, Comment: "Tốt"}, ""},
		{"close", `{}`, Close{}, ""},
		{"sync", `{"reference":"DVCQG-42"}`, Sync{Reference: "DVCQG-42"}, ""},
		{"sync", ``, Sync{}, ""},
		{"rate", `{"score":"five"}`, nil, "body"},
		{"rate", `{"score":5,"stars":5}`, nil, "body"},
		{"rate", `{"score":5} {}`, nil, "body"},
		{"teleport", `{}`, nil, "action"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.body, func(t *testing.T) {
			got, err := DecodeCommand(tt.name, []byte(tt.body))
			if tt.field != "" {
				wantInput(t, err, tt.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("command (-want +got):\n%s", diff)
			}
		})
	}
	for _, name := range CommandNames {
		c, err := DecodeCommand(name, nil)
		if err != nil || c.Name() != name {
			t.Errorf("DecodeCommand(%q) = %v, %v", name, c, err)
		}
	}
}
