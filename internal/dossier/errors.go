package dossier

import (
	"errors"
	"fmt"
	"strings"
)

// RuleError is a refusal: the command is well formed but the state or the law does not allow
// it. The API answers 409 with both messages; Rule cites the article so the officer (and the
// inspector reading the log) knows which rule was at stake.
type RuleError struct {
	Code      string `json:"code"`
	Rule      string `json:"rule,omitempty"`
	MessageVI string `json:"message_vi"`
	MessageEN string `json:"message_en"`
}

// Error implements error with the English message, for logs.
func (e *RuleError) Error() string {
	if e.Rule == "" {
		return fmt.Sprintf("dossier: %s: %s", e.Code, e.MessageEN)
	}
	return fmt.Sprintf("dossier: %s: %s (%s)", e.Code, e.MessageEN, e.Rule)
}

// Codes of RuleError. The API and the violation detector match on them.
const (
	CodeIllegalState         = "illegal_state"
	CodeReasonRequired       = "reason_required"
	CodeSupplementOnce       = "supplement_once"
	CodeSupplementWindow     = "supplement_window"
	CodeSupplementIncomplete = "supplement_incomplete"
	CodeIncompleteDossier    = "incomplete_dossier"
	CodeExtensionOnce        = "extension_once"
	CodeExtensionTooLate     = "extension_too_late"
	CodeExtensionNotLater    = "extension_not_later"
	CodeLeaderOnly           = "leader_only"
	CodeConsultationOpen     = "consultation_open"
	CodeWrongRoute           = "wrong_route"
	CodeNoNextStep           = "no_next_step"
	CodeStepNotOpen          = "step_not_open"
	CodeResultNotIssued      = "result_not_issued"
	CodeNoElectronicResult   = "no_electronic_result"
	CodeResultAfterRefusal   = "result_after_refusal"
	CodeCloseTooEarly        = "close_too_early"
	CodeSuspendNotAllowed    = "suspend_not_allowed"
	CodeAlreadyRated         = "already_rated"
	CodeAlreadySynced        = "already_synced"
	CodeNotReceived          = "not_received"
	CodeSystemOnly           = "system_only"
)

// Citations used in refusals.
const (
	ruleND118      = "NĐ 118/2025/NĐ-CP"
	ruleGuidance   = "Điều 16 và điểm đ khoản 1 Điều 5, NĐ 118/2025/NĐ-CP"
	ruleReception  = "khoản 1 Điều 17, NĐ 118/2025/NĐ-CP"
	ruleProcessing = "Điều 19, NĐ 118/2025/NĐ-CP"
	ruleInterAgent = "Điều 20, NĐ 118/2025/NĐ-CP"
	ruleStop       = "Điều 21, NĐ 118/2025/NĐ-CP"
	ruleReturn     = "Điều 22, NĐ 118/2025/NĐ-CP"
	ruleRating     = "Quyết định 766/QĐ-TTg (chỉ số 5.3)"
	ruleSync       = "Quyết định 766/QĐ-TTg (chỉ số 1.4)"
)

func ruleErr(code, rule, vi, en string) *RuleError {
	return &RuleError{Code: code, Rule: rule, MessageVI: vi, MessageEN: en}
}

// stateNamesVI are the states as an officer reads them.
var stateNamesVI = map[State]string{
	Draft:                           "nháp",
	Submitted:                       "đã nộp, chờ tiếp nhận",
	SupplementRequested:             "chờ bổ sung trước tiếp nhận",
	Received:                        "đã tiếp nhận",
	InProgress:                      "đang giải quyết",
	SupplementRequestedInProcessing: "chờ bổ sung trong quá trình giải quyết",
	Suspended:                       "tạm dừng",
	Processed:                       "đã giải quyết",
	Returned:                        "đã trả kết quả",
	Rejected:                        "từ chối tiếp nhận",
	Withdrawn:                       "đã rút",
	Closed:                          "đã đóng do không bổ sung",
}

// StateNameVI returns the Vietnamese name of a state.
func StateNameVI(s State) string {
	if n, ok := stateNamesVI[s]; ok {
		return n
	}
	return string(s)
}

// actionNamesVI are the commands as an officer reads them.
var actionNamesVI = map[string]string{
	"submit":             "nộp hồ sơ",
	"attach-document":    "đính kèm giấy tờ",
	"request-supplement": "yêu cầu bổ sung",
	"supplement":         "bổ sung hồ sơ",
	"receive":            "tiếp nhận",
	"reject":             "từ chối tiếp nhận",
	"assign":             "phân công",
	"forward":            "chuyển xử lý",
	"complete-step":      "hoàn thành bước",
	"suspend":            "tạm dừng",
	"resume":             "tiếp tục",
	"extend":             "gia hạn",
	"approve":            "phê duyệt",
	"refuse":             "từ chối giải quyết",
	"issue-result":       "ban hành kết quả",
	"return-result":      "trả kết quả",
	"withdraw":           "rút hồ sơ",
	"rate":               "đánh giá",
	"close":              "đóng hồ sơ",
	"sync":               "ghi nhận đồng bộ lên Cổng Dịch vụ công quốc gia",
}

func illegalState(s State, action string) *RuleError {
	vi := actionNamesVI[action]
	if vi == "" {
		vi = action
	}
	return ruleErr(CodeIllegalState, ruleND118,
		fmt.Sprintf("Không thể %s khi hồ sơ ở trạng thái «%s».", vi, StateNameVI(s)),
		fmt.Sprintf("cannot %s a dossier in state %q", action, s))
}

func reasonRequired(action, rule string) *RuleError {
	return ruleErr(CodeReasonRequired, rule,
		fmt.Sprintf("Phải nêu rõ lý do khi %s.", actionNamesVI[action]),
		fmt.Sprintf("%s requires a reason", action))
}

// InputError is a malformed command: a field is missing or out of range. The API answers 422
// (the request, not the law, is at fault) and nothing is written.
type InputError struct {
	Field     string `json:"field"`
	MessageVI string `json:"message_vi"`
	MessageEN string `json:"message_en"`
}

// Error implements error.
func (e *InputError) Error() string {
	return fmt.Sprintf("dossier: invalid %s: %s", e.Field, e.MessageEN)
}

func inputErr(field, vi, en string) *InputError {
	return &InputError{Field: field, MessageVI: vi, MessageEN: en}
}

// IsRule reports whether err is (or wraps) a *RuleError with one of the given codes (any code
// when none is given).
func IsRule(err error, codes ...string) bool {
	var re *RuleError
	if !errors.As(err, &re) {
		return false
	}
	if len(codes) == 0 {
		return true
	}
	for _, c := range codes {
		if re.Code == c {
			return true
		}
	}
	return false
}

func joinCodes(codes []string) string { return strings.Join(codes, ", ") }
