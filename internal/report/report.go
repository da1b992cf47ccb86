// Package report prints the statutory papers of a dossier as PDF (LEGAL §5): the receipt with
// its appointment date (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), the supplement request, the
// refusal, the apology with a new date, the stop notice, the control sheet of hand-overs, and a
// unit's tracking book (Sổ theo dõi hồ sơ).
//
// The package is pure like the domain packages: it writes only to the io.Writer it is given,
// never reads the clock (the printing time comes in Input.Now) and never looks a unit up (the
// names come in Names). Text is set in DejaVu Sans, embedded and subset into each file, so
// Vietnamese prints with every diacritic on any reader. Times are printed in Vietnam's zone
// (calendar.VN) in the administrative style of Nghị định 30/2020/NĐ-CP: "15 giờ 30 phút, ngày
// 26 tháng 11 năm 2026".
package report

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// Form names one printable paper of a dossier; the values are the API's
// GET /api/v1/dossiers/{code}/forms/{form}.pdf names.
type Form string

// The forms of a dossier (LEGAL §5, items 1 to 6; the tracking book, item 7, is TrackingBook).
const (
	Receipt           Form = "receipt"            // Giấy tiếp nhận hồ sơ và hẹn trả kết quả
	SupplementRequest Form = "supplement-request" // Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
	Refusal           Form = "refusal"            // Phiếu từ chối tiếp nhận / giải quyết hồ sơ
	Apology           Form = "apology"            // Phiếu xin lỗi và hẹn lại ngày trả kết quả
	StopNotice        Form = "stop-notice"        // Thông báo dừng giải quyết hồ sơ
	ControlSheet      Form = "control-sheet"      // Phiếu kiểm soát quá trình giải quyết hồ sơ
)

// Forms lists every form in the order of LEGAL §5. The API and the tests enumerate it, so a new
// form must be added here to exist.
var Forms = []Form{Receipt, SupplementRequest, Refusal, Apology, StopNotice, ControlSheet}

// ErrUnknownForm is wrapped by ParseForm for a name that is not in Forms (the API answers 404).
var ErrUnknownForm = errors.New("report: unknown form")

// ErrNotApplicable is wrapped by every *NotApplicableError: the dossier's history has no such
// paper (a receipt before reception, an apology without an extension ...). The API answers 409.
var ErrNotApplicable = errors.New("report: form not applicable to the dossier")

// NotApplicableError says why a form cannot be printed for a dossier, in Vietnamese for the
// officer and in English for API clients and logs. errors.Is(err, ErrNotApplicable) holds.
type NotApplicableError struct {
	Form      Form
	State     dossier.State
	MessageVI string
	MessageEN string
}

// Error implements error with the English message.
func (e *NotApplicableError) Error() string {
	return fmt.Sprintf("report: %s: %s (state %s)", e.Form, e.MessageEN, e.State)
}

// Unwrap makes errors.Is(err, ErrNotApplicable) true.
func (e *NotApplicableError) Unwrap() error { return ErrNotApplicable }

// ParseForm returns the form named s (as in the API path), or an error wrapping ErrUnknownForm.
func ParseForm(s string) (Form, error) {
	for _, f := range Forms {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w %q (want one of %s)", ErrUnknownForm, s, formList())
}

func formList() string {
	names := make([]string, len(Forms))
	for i, f := range Forms {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// Title is the form's heading as printed (for the refusal, the one of a refusal at reception).
func (f Form) Title() string {
	switch f {
	case Receipt:
		return "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
	case SupplementRequest:
		return "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
	case Refusal:
		return "Phiếu từ chối tiếp nhận hồ sơ"
	case Apology:
		return "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
	case StopNotice:
		return "Thông báo dừng giải quyết hồ sơ"
	case ControlSheet:
		return "Phiếu kiểm soát quá trình giải quyết hồ sơ"
	}
	return string(f)
}

// Names are the display names the forms print, resolved by the caller from the organization
// and the catalog so that this package looks nothing up.
type Names struct {
	Province  string            // the province as named in units.json, e.g. "Tỉnh Thái Nguyên"
	Units     map[string]string // unit key -> name ("ttpvhcc" -> "Trung tâm Phục vụ hành chính công tỉnh")
	Procedure string            // the dossier's procedure name (its code is in the dossier's spec)
}

// unit returns the name of a unit key; an unknown key prints as itself, so a gap in the
// caller's data shows on paper instead of stopping the desk from printing.
func (n Names) unit(key string) string {
	if name := strings.TrimSpace(n.Units[key]); name != "" {
		return name
	}
	return key
}

// Input is everything a dossier form needs.
type Input struct {
	Dossier   *dossier.Dossier
	Names     Names
	LookupURL string    // absolute URL of the public lookup page the receipt's QR code encodes
	Now       time.Time // when the paper is printed (zero: the dossier's last change)
	Officer   string    // name of the officer printing (signs the receipt, the requests, the sheet)
}

// Render writes form f of in.Dossier to w as an A4 PDF. A form the dossier's history does not
// have is a *NotApplicableError (wrapping ErrNotApplicable) and writes nothing.
func Render(w io.Writer, f Form, in Input) error {
	if in.Dossier == nil {
		return fmt.Errorf("report: render %s: no dossier", f)
	}
	if err := Applicable(f, in.Dossier); err != nil {
		return err
	}
	if in.Now.IsZero() {
		// Never the machine's clock: a reprint without a time is dated by the last event.
		in.Now = in.Dossier.UpdatedAt
	}
	var draw func(*doc, Input) error
	switch f {
	case Receipt:
		draw = drawReceipt
	case SupplementRequest:
		draw = drawSupplementRequest
	case Refusal:
		draw = drawRefusal
	case Apology:
		draw = drawApology
	case StopNotice:
		draw = drawStopNotice
	case ControlSheet:
		draw = drawControlSheet
	}
	d, err := newDoc(portrait, f.Title(), in.Now)
	if err != nil {
		return fmt.Errorf("report: render %s: %w", f, err)
	}
	d.footer = footerFor(in.Dossier)
	if err := draw(d, in); err != nil {
		return fmt.Errorf("report: render %s of %s: %w", f, dossierRef(in.Dossier), err)
	}
	if err := d.output(w); err != nil {
		return fmt.Errorf("report: render %s of %s: %w", f, dossierRef(in.Dossier), err)
	}
	return nil
}

// Applicable reports whether dossier x has form f: nil, or a *NotApplicableError saying why
// not (the console shows only the papers a dossier has).
func Applicable(f Form, x *dossier.Dossier) error {
	na := func(vi, en string) error {
		return &NotApplicableError{Form: f, State: x.State,
			MessageVI: fmt.Sprintf("%s (trạng thái hồ sơ: «%s»).", vi, dossier.StateNameVI(x.State)),
			MessageEN: en}
	}
	switch f {
	case Receipt:
		if x.ReceivedAt.IsZero() || x.Code == "" {
			return na("Hồ sơ chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
				"the dossier has not been received, so there is no receipt")
		}
	case SupplementRequest:
		if x.SupplementRequests == 0 || x.SupplementRequestedAt.IsZero() {
			return na("Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện nên không có Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
				"no supplement was requested for the dossier")
		}
	case Refusal:
		if x.State != dossier.Rejected && x.Decision != dossier.Refused {
			return na("Hồ sơ không bị từ chối tiếp nhận hoặc từ chối giải quyết nên không có Phiếu từ chối",
				"the dossier was neither rejected at reception nor refused in processing")
		}
	case Apology:
		if x.Extensions == 0 || x.OriginalDueAt.IsZero() {
			return na("Hồ sơ chưa được gia hạn nên không có Phiếu xin lỗi và hẹn lại ngày trả kết quả",
				"the dossier's due date was never extended, so there is no apology")
		}
	case StopNotice:
		if x.State != dossier.Withdrawn && x.State != dossier.Closed {
			return na("Hồ sơ không bị dừng giải quyết (rút hồ sơ hoặc không bổ sung đúng hạn) nên không có Thông báo dừng giải quyết hồ sơ",
				"the dossier was neither withdrawn nor closed")
		}
	case ControlSheet:
		if x.ReceivedAt.IsZero() || len(x.ControlSheet()) == 0 {
			return na("Hồ sơ chưa được tiếp nhận nên chưa có Phiếu kiểm soát quá trình giải quyết hồ sơ",
				"the dossier has not been received, so it has no control sheet")
		}
	default:
		return fmt.Errorf("%w %q", ErrUnknownForm, f)
	}
	return nil
}

// dossierRef names a dossier in error messages: its code, or its id before reception.
func dossierRef(x *dossier.Dossier) string {
	if x.Code != "" {
		return x.Code
	}
	return "dossier " + x.ID
}
