package dossier

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFormatCode(t *testing.T) {
	day := time.Date(2026, 11, 27, 5, 0, 0, 0, vn) // 26 Nov 22:00 UTC
	tests := []struct {
		seq  int64
		want string
	}{
		{1, "000.00.00.H55-261127-0001"},
		{9999, "000.00.00.H55-261127-9999"},
		{10000, "000.00.00.H55-261127-10000"},
		{123456, "000.00.00.H55-261127-123456"},
	}
	for _, tt := range tests {
		if got := FormatCode("000.00.00.H55", day, tt.seq); got != tt.want {
			t.Errorf("FormatCode(%d) = %s, want %s", tt.seq, got, tt.want)
		}
	}
	// The date is the caller's (Vietnam's) civil date, not UTC's.
	if got := FormatCode("000.00.00.H55", day.UTC(), 1); got == "000.00.00.H55-261127-0001" {
		t.Errorf("UTC instant %s formatted as the VN date", day.UTC())
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in      string
		want    CodeParts
		wantErr string
	}{
		{in: "000.00.00.H55-261127-0001", want: CodeParts{Identifier: "000.00.00.H55", Day: Date{2026, 11, 27}, Seq: 1}},
		{in: "001.00.50.H55-260101-10000", want: CodeParts{Identifier: "001.00.50.H55", Day: Date{2026, 1, 1}, Seq: 10000}},
		{in: "G01.123.45-260201-010001", want: CodeParts{Identifier: "G01.123.45", Day: Date{2026, 2, 1}, Operator: "01", Seq: 1, TT04: true}},
		{in: "G01.123.45-260201-99123456", want: CodeParts{Identifier: "G01.123.45", Day: Date{2026, 2, 1}, Operator: "99", Seq: 123456, TT04: true}},
		{in: "000.00.00.H55-260229-0001", wantErr: "no such date"},
		{in: "000.00.00.H55-261127-001", wantErr: "4 to 18 digits"},
		{in: "000.00.00.H55-261127-00001", wantErr: "zero-padded"},
		{in: "000.00.00.H55-261127-0000", wantErr: "starts at 1"},
		{in: "000.00.00.H55-2611266-0001", wantErr: "yymmdd"},
		{in: "H55-261126-0001", wantErr: "identifier"},
		{in: "000.00.00.h55-261126-0001", wantErr: "identifier"},
		{in: "000.00.00.H55-261126", wantErr: "missing date"},
		{in: "G01.123.45-260201-0101", wantErr: "operator"},
		{in: "", wantErr: "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCodeParts(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %s, want %s", got.String(), tt.in)
			}
			id, day, seq, err := ParseCode(tt.in)
			if err != nil || id != tt.want.Identifier || day != tt.want.Day || seq != tt.want.Seq {
				t.Errorf("ParseCode = %s %v %d %v", id, day, seq, err)
			}
		})
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"000.00.00.H55-261127-0001", "G01.123.45-260201-010001", "001.00.50.H55-260101-10000", "--", "a-b-c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseCodeParts(s)
		if err != nil {
			return
		}
		// Every accepted code has exactly one spelling, so codes compare as strings.
		if p.String() != s {
			t.Fatalf("%q parsed to %+v, which formats as %q", s, p, p.String())
		}
		if p.Seq < 1 {
			t.Fatalf("%q: sequence %d", s, p.Seq)
		}
		if !p.TT04 {
			day := time.Date(p.Day.Year, p.Day.Month, p.Day.Day, 0, 0, 0, 0, vn)
			if FormatCode(p.Identifier, day, p.Seq) != s {
				t.Fatalf("FormatCode does not rebuild %q", s)
			}
		}
	})
}
