package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// Work queues of the staff console (issue 7). Keys are the console's URL values.
const (
	QueueToReceive  = "cho-tiep-nhan" // submitted, at one of my desks
	QueueMine       = "cua-toi"       // in my hands: being handled at my desk or in my units
	QueueDueSoon    = "sap-den-han"   // open, due within one working day
	QueueOverdue    = "qua-han"       // open, past the due time
	QueueSupplement = "cho-bo-sung"   // waiting for the applicant's supplement
	QueueSuspended  = "tam-dung"      // clock paused
	QueueApproval   = "cho-phe-duyet" // current step is a leader's step of my unit
)

// openStates are the states in which the legal clock runs and a due date can be missed.
var openStates = []string{string(dossier.Received), string(dossier.InProgress)}

// Queue is one work queue with the number of dossiers in it for the officer.
type Queue struct {
	Key   string
	Label string // Vietnamese
	Count int
}

// queueDef is how a queue selects its dossiers: a scope narrowed from the officer's own list
// scope (never wider), states, and a due bound.
type queueDef struct {
	key, label string
	scope      auth.DossierScope
	states     []string
	dueBefore  time.Time
	dueFrom    time.Time // due at or after (only for "due soon": the overdue ones come first in due order and are skipped)
	leaderStep []string  // only dossiers waiting for a decision of these units' leaders (store.DossierFilter.LeaderUnits)
}

// roleUnits returns the units where p holds role.
func roleUnits(p auth.Principal, roles ...string) []string {
	var out []string
	for _, ra := range p.Roles {
		if slices.Contains(roles, ra.Role) && ra.Unit != "" && !slices.Contains(out, ra.Unit) {
			out = append(out, ra.Unit)
		}
	}
	return out
}

// queueDefs returns the queues that make sense for p's roles, in display order.
func (a *App) queueDefs(ctx context.Context, p auth.Principal) ([]queueDef, error) {
	full := auth.ListScope(p)
	if full.Empty() {
		return nil, nil
	}
	cal, err := a.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	now := a.now()
	soon, err := cal.AddWorkingMinutes(now, dossier.WorkingDayMinutes)
	if err != nil {
		return nil, fmt.Errorf("queues: due soon: %w", err)
	}
	desks := roleUnits(p, auth.RoleDesk)
	steps := roleUnits(p, auth.RoleSpecialist, auth.RoleLeader)
	leaders := roleUnits(p, auth.RoleLeader)
	var defs []queueDef
	if len(desks) > 0 {
		defs = append(defs, queueDef{key: QueueToReceive, label: "Chờ tiếp nhận", scope: auth.DossierScope{Desks: desks}, states: []string{string(dossier.Submitted)}})
	}
	if len(desks)+len(steps) > 0 {
		// At a desk: received (to hand over) and processed (to return); in an agency: in progress.
		var states []string
		if len(desks) > 0 {
			states = append(states, string(dossier.Received), string(dossier.Processed))
		}
		if len(steps) > 0 {
			states = append(states, string(dossier.InProgress))
		}
		defs = append(defs, queueDef{key: QueueMine, label: "Hồ sơ của tôi", scope: auth.DossierScope{Desks: desks, Units: steps}, states: states})
	}
	defs = append(defs,
		queueDef{key: QueueDueSoon, label: "Sắp đến hạn", scope: full, states: openStates, dueBefore: soon, dueFrom: now},
		queueDef{key: QueueOverdue, label: "Quá hạn", scope: full, states: openStates, dueBefore: now},
		queueDef{key: QueueSupplement, label: "Chờ bổ sung", scope: full, states: []string{string(dossier.SupplementRequested), string(dossier.SupplementRequestedInProcessing)}},
		queueDef{key: QueueSuspended, label: "Tạm dừng", scope: full, states: []string{string(dossier.Suspended)}},
	)
	if len(leaders) > 0 {
		defs = append(defs, queueDef{key: QueueApproval, label: "Chờ phê duyệt", scope: auth.DossierScope{Units: leaders}, states: openStates, leaderStep: leaders})
	}
	return defs, nil
}

// ConsoleQueues returns p's work queues with their counts, counted by the store.
func (a *App) ConsoleQueues(ctx context.Context, p auth.Principal) ([]Queue, error) {
	if p.Kind != auth.KindOfficer {
		return nil, errSignInRequired
	}
	defs, err := a.queueDefs(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]Queue, 0, len(defs))
	for _, q := range defs {
		_, n, err := a.queuePage(ctx, q, ListFilter{Limit: 1})
		if err != nil {
			return nil, err
		}
		out = append(out, Queue{Key: q.key, Label: q.label, Count: n})
	}
	return out, nil
}

// ConsoleQueue lists one page of a queue ("" = everything p may list), narrowed by f (State,
// Procedure, Text, DueBefore, Assignee, Limit, Offset). Names are masked: a list is not a
// reason to read personal data.
func (a *App) ConsoleQueue(ctx context.Context, p auth.Principal, key string, f ListFilter) ([]View, int, error) {
	if p.Kind != auth.KindOfficer {
		return nil, 0, errSignInRequired
	}
	for _, s := range f.State {
		if !slices.Contains(dossier.States, dossier.State(s)) {
			return nil, 0, invalidField("status", "Trạng thái hồ sơ không hợp lệ: "+s+".", "Unknown status "+s+".")
		}
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 20
	}
	var q queueDef
	if key == "" {
		q = queueDef{scope: auth.ListScope(p)}
		if q.scope.Empty() {
			return nil, 0, nil
		}
	} else {
		defs, err := a.queueDefs(ctx, p)
		if err != nil {
			return nil, 0, err
		}
		i := slices.IndexFunc(defs, func(d queueDef) bool { return d.key == key })
		if i < 0 {
			return nil, 0, invalidField("queue", "Hàng đợi không tồn tại hoặc không dành cho vai trò của bạn.", "Unknown queue "+key+".")
		}
		q = defs[i]
	}
	views, total, err := a.queuePage(ctx, q, f)
	if err != nil {
		return nil, 0, err
	}
	for _, v := range views {
		v.Applicant.Name = auth.MaskName(v.Applicant.Name)
		v.Applicant.Address = ""
	}
	return views, total, nil
}

// queuePage runs a queue's query with the user's filters on top.
func (a *App) queuePage(ctx context.Context, q queueDef, f ListFilter) ([]View, int, error) {
	states := q.states
	if len(f.State) > 0 {
		if len(states) == 0 {
			states = f.State
		} else {
			var both []string
			for _, s := range f.State {
				if slices.Contains(states, s) {
					both = append(both, s)
				}
			}
			if len(both) == 0 {
				return nil, 0, nil // the chosen status is not in this queue
			}
			states = both
		}
	}
	due := q.dueBefore
	if !f.DueBefore.IsZero() && (due.IsZero() || f.DueBefore.Before(due)) {
		due = f.DueBefore
	}
	sf := store.DossierFilter{Scope: q.scope, State: states, Procedure: f.Procedure, Text: f.Text, DueBefore: due, Assignee: f.Assignee,
		LeaderUnits: q.leaderStep, Limit: f.Limit, Offset: f.Offset, Order: "due"}
	skip := 0
	if !q.dueFrom.IsZero() {
		// Sorted by due date, the dossiers already overdue come first: count and skip them.
		od := sf
		od.DueBefore, od.Limit, od.Offset = q.dueFrom, 1, 0
		if due.Before(q.dueFrom) {
			od.DueBefore = due
		}
		_, n, err := a.store.Dossiers(ctx, od)
		if err != nil {
			return nil, 0, fmt.Errorf("queue %s: %w", q.key, err)
		}
		skip = n
		sf.Offset += skip
	}
	rows, total, err := a.store.Dossiers(ctx, sf)
	if err != nil {
		return nil, 0, fmt.Errorf("queue %s: %w", q.key, err)
	}
	views, err := viewsOf(rows)
	return views, total - skip, err
}

func viewsOf(rows []store.DossierRow) ([]View, error) {
	out := make([]View, 0, len(rows))
	for _, row := range rows {
		d, err := loadRow(row)
		if err != nil {
			return nil, err
		}
		out = append(out, View{Dossier: d})
	}
	return out, nil
}

// ActionState says whether one action can be taken now on a dossier by an officer, and if not,
// why (in Vietnamese).
type ActionState struct {
	Name    string // API action name (ActionNames)
	LabelVI string
	Allowed bool
	Reason  string // why not, when not allowed
}

// actionLabelsVI are the console's button labels.
var actionLabelsVI = map[string]string{
	"receive":            "Tiếp nhận hồ sơ",
	"request-supplement": "Yêu cầu bổ sung, hoàn thiện",
	"supplement":         "Bổ sung hồ sơ",
	"reject":             "Từ chối tiếp nhận",
	"assign":             "Phân công xử lý",
	"forward":            "Chuyển bước tiếp theo",
	"complete-step":      "Hoàn thành bước",
	"suspend":            "Tạm dừng",
	"resume":             "Tiếp tục giải quyết",
	"extend":             "Gia hạn (kèm văn bản xin lỗi)",
	"approve":            "Phê duyệt",
	"refuse":             "Từ chối giải quyết",
	"issue-result":       "Ban hành kết quả",
	"return-result":      "Trả kết quả",
	"withdraw":           "Rút hồ sơ",
	"rate":               "Đánh giá",
}

// ActionLabelVI is the Vietnamese label of an action.
func ActionLabelVI(action string) string {
	if l, ok := actionLabelsVI[action]; ok {
		return l
	}
	return action
}

// applicantActions are taken by the applicant only (from the portal or the kiosk).
var applicantActions = []string{"supplement", "withdraw", "rate"}

// AllowedActions returns, for each of ActionNames, whether p may take it now on the dossier
// ref (authorization and the state table; Decide may still refuse on a rule such as a
// deadline), with the reason when not. Out of scope is "not found", like Dossier.
func (a *App) AllowedActions(ctx context.Context, p auth.Principal, ref string) ([]ActionState, error) {
	if p.Kind == auth.KindPublic {
		return nil, errSignInRequired
	}
	row, d, err := a.visible(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	return actionStates(p, row, d), nil
}

func actionStates(p auth.Principal, row store.DossierRow, d *dossier.Dossier) []ActionState {
	res := resourceOf(row, d)
	unassigned := res
	unassigned.AssignedTo = ""
	out := make([]ActionState, 0, len(ActionNames))
	for _, name := range ActionNames {
		st := ActionState{Name: name, LabelVI: ActionLabelVI(name)}
		authErr := auth.Authorize(p, auth.Action(name), res)
		switch {
		case authErr != nil && slices.Contains(applicantActions, name):
			st.Reason = "Chỉ người nộp hồ sơ thực hiện thao tác này."
		case authErr != nil && errors.Is(authErr, auth.ErrForbidden) && res.AssignedTo != "" && res.AssignedTo != p.Subject && auth.Authorize(p, auth.Action(name), unassigned) == nil:
			st.Reason = "Bước hiện tại đã được phân công cho cán bộ khác (" + res.AssignedTo + ")."
		case authErr != nil:
			st.Reason = "Vai trò, đơn vị của bạn không có quyền " + strings.ToLower(ActionLabelVI(name)) + " đối với hồ sơ này."
		case !dossier.Allowed(d.State, name):
			st.Reason = "Không thực hiện được khi hồ sơ ở trạng thái «" + dossier.StateNameVI(d.State) + "»."
		default:
			st.Allowed, st.Reason = true, ""
			if r := ruleReason(d, name); r != "" {
				st.Allowed, st.Reason = false, r
			}
		}
		out = append(out, st)
	}
	return out
}

// ruleReason anticipates the aggregate's once-only rules, so the console does not offer a
// button that can only fail.
func ruleReason(d *dossier.Dossier, action string) string {
	switch action {
	case "request-supplement":
		if d.SupplementRequests >= 1 {
			return "Hồ sơ đã được yêu cầu bổ sung một lần; pháp luật chỉ cho phép yêu cầu một lần (Điều 16)."
		}
	case "extend":
		if d.Extensions >= 1 {
			return "Hồ sơ đã được gia hạn một lần; thời hạn chỉ được điều chỉnh một lần (Điều 19)."
		}
	case "receive":
		if m := d.MissingComponents(); len(m) > 0 {
			return "Hồ sơ còn thiếu thành phần bắt buộc: " + strings.Join(m, ", ") + ". Hãy yêu cầu bổ sung hoặc từ chối tiếp nhận."
		}
	case "forward":
		if d.Current >= 0 && d.Current < len(d.Steps) {
			last := true
			for j := d.Current + 1; j < len(d.Steps); j++ {
				if !d.Steps[j].Parallel && d.Steps[j].StartedAt.IsZero() {
					last = false
				}
			}
			if last {
				return "Hồ sơ đã ở bước cuối của quy trình."
			}
		}
	case "issue-result":
		if d.Decision == dossier.Refused {
			return "Hồ sơ đã bị từ chối giải quyết; không có kết quả để ban hành."
		}
		if len(d.Results) > 0 {
			return "Kết quả đã được ban hành."
		}
	case "return-result":
		if d.Decision == dossier.Approved && len(d.Results) == 0 {
			return "Chưa có kết quả giải quyết được ban hành."
		}
	}
	return ""
}

// OfficerName is an officer as the console's assignment list shows them.
type OfficerName struct {
	Username, Name string
}

// UnitOfficers lists the officers holding role in unit, for the leader's assignment form.
// Only an officer who may assign in that unit gets the list.
func (a *App) UnitOfficers(ctx context.Context, p auth.Principal, unit, role string) ([]OfficerName, error) {
	if !slices.Contains(roleUnits(p, auth.RoleLeader), unit) {
		return nil, errDossierNotFound
	}
	all, err := a.store.Officers(ctx)
	if err != nil {
		return nil, fmt.Errorf("unit officers: %w", err)
	}
	var out []OfficerName
	for _, o := range all {
		if o.Disabled {
			continue
		}
		for _, r := range o.Roles {
			if r.Unit == unit && r.Role == role {
				out = append(out, OfficerName{Username: o.Username, Name: o.Name})
				break
			}
		}
	}
	return out, nil
}
