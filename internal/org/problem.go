package org

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Problem is one defect found in an imported file. Imports report every problem at once so an
// administrator fixes a file in one pass instead of one error per attempt.
type Problem struct {
	// Row is the 1-based position of the record (procedure, or unit within its section) in the
	// file; for spreadsheets it is the sheet's row number.
	Row int `json:"row"`
	// Code is the record's own key (procedure code, unit key) when it has one.
	Code string `json:"code,omitempty"`
	// Sheet names the spreadsheet sheet, empty for JSON.
	Sheet string `json:"sheet,omitempty"`
	// Field is a JSON path such as documents[2].code, or a column label for spreadsheets.
	Field string `json:"field"`
	// Message is Vietnamese, for the administrator.
	Message string `json:"message"`
}

// String formats the problem on one line.
func (p Problem) String() string {
	var b strings.Builder
	if p.Sheet != "" {
		fmt.Fprintf(&b, "sheet %q ", p.Sheet)
	}
	fmt.Fprintf(&b, "dòng %d", p.Row)
	if p.Code != "" {
		fmt.Fprintf(&b, " (%s)", p.Code)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, " %s", p.Field)
	}
	return b.String() + ": " + p.Message
}

// ValidationError carries every problem of a refused import. Nothing of a file that yields a
// ValidationError may be stored (imports are all-or-nothing).
type ValidationError struct {
	Problems []Problem `json:"problems"`
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	lines = append(lines, fmt.Sprintf("dữ liệu không hợp lệ (%d lỗi):", len(e.Problems)))
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// AsValidationError extracts the ValidationError from err, if any.
func AsValidationError(err error) (*ValidationError, bool) {
	var ve *ValidationError
	ok := errors.As(err, &ve)
	return ve, ok
}

// problems accumulates Problems; err returns nil when there are none.
type problems []Problem

func (ps *problems) add(row int, code, field, format string, args ...any) {
	*ps = append(*ps, Problem{Row: row, Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}

// DecodeProblem turns a json decoding error into a Vietnamese message and, where the decoder
// says so, the offending field path. Shared with package catalog so both imports speak alike.
func DecodeProblem(err error) (field, message string) {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return te.Field, fmt.Sprintf("sai kiểu dữ liệu: cần %s, có %s", te.Type, te.Value)
	case errors.As(err, &se):
		return "", fmt.Sprintf("JSON sai cú pháp tại byte %d: %v", se.Offset, se)
	}
	msg := err.Error()
	if i := strings.Index(msg, "unknown field "); i >= 0 {
		name := strings.Trim(msg[i+len("unknown field "):], `"`)
		return name, fmt.Sprintf("trường không được hỗ trợ %q (kiểm tra chính tả)", name)
	}
	return "", "JSON không đọc được: " + msg
}
