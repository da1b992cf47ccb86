package catalog

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/motcua/motcua/internal/org"
)

var clockRE = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// Validate checks procedures as one import: every problem of every procedure, plus duplicate
// codes across the file, against the directory (agency keys). It returns nil or a
// *ValidationError; callers store nothing when it is not nil.
func Validate(ps []*Procedure, dir *org.Directory) error {
	var all []Problem
	first := map[string]int{}
	for i, p := range ps {
		row := i + 1
		all = append(all, p.problems(row, dir)...)
		if p.Code == "" {
			continue
		}
		if r, dup := first[p.Code]; dup {
			all = append(all, Problem{Row: row, Code: p.Code, Field: "code",
				Message: fmt.Sprintf("trùng mã thủ tục với dòng %d", r)})
		} else {
			first[p.Code] = row
		}
	}
	if len(all) > 0 {
		return &ValidationError{Problems: all}
	}
	return nil
}

// Validate checks one procedure (row 1) against the directory.
func (p *Procedure) Validate(dir *org.Directory) error {
	if ps := p.problems(1, dir); len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}

type checker struct {
	row  int
	code string
	ps   []Problem
}

func (c *checker) add(field, format string, args ...any) {
	c.ps = append(c.ps, Problem{Row: c.row, Code: c.code, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) required(field, value string) bool {
	if strings.TrimSpace(value) == "" {
		c.add(field, "thiếu trường bắt buộc")
		return false
	}
	return true
}

func (c *checker) oneOf(field, value string, allowed ...string) {
	if !c.required(field, value) {
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	c.add(field, "giá trị %q không hợp lệ; cho phép: %s", value, strings.Join(allowed, ", "))
}

func (c *checker) date(field, value string) {
	if value == "" {
		return
	}
	if _, err := time.Parse("2006-01-02", value); err != nil {
		c.add(field, "ngày %q sai định dạng YYYY-MM-DD", value)
	}
}

func (p *Procedure) problems(row int, dir *org.Directory) []Problem {
	c := &checker{row: row, code: p.Code}
	if c.required("code", p.Code) && strings.ContainsFunc(p.Code, unicode.IsControl) {
		// Codes key the index's rollups and are listed between control characters there.
		c.add("code", "mã thủ tục chứa ký tự điều khiển")
	}
	c.required("name", p.Name)
	c.required("field", p.Field)
	c.oneOf("level", string(p.Level), string(LevelCommune), string(LevelProvince))
	c.oneOf("authority.level", string(p.Authority.Level), string(LevelCommune), string(LevelProvince))
	if p.Authority.Level != "" && p.Level != "" && p.Authority.Level != p.Level {
		c.add("authority.level", "cấp cơ quan có thẩm quyền (%s) khác cấp thủ tục (%s)", p.Authority.Level, p.Level)
	}
	if c.required("authority.agency", p.Authority.Agency) {
		c.agency("authority.agency", p.Authority.Agency, p.Authority.Level, dir)
	}
	c.oneOf("online_level", string(p.OnlineLevel), string(OnlineFull), string(OnlinePartial), string(OnlineNone))
	if p.ApplicantKind != "" {
		c.oneOf("applicant_kind", p.ApplicantKind, "citizen", "organization", "any")
	}
	p.checkTime(c)
	fields := map[string]string{}
	if c.form(p.Form) {
		cf, _ := compileForm(p.Form)
		fields = cf.types
	}
	for i := range p.Fees {
		p.Fees[i].check(c, fmt.Sprintf("fees[%d]", i), fields)
	}
	seen := map[string]int{}
	for i, d := range p.Documents {
		f := fmt.Sprintf("documents[%d]", i)
		if c.required(f+".code", d.Code) {
			if j, dup := seen[d.Code]; dup {
				c.add(f+".code", "trùng mã thành phần hồ sơ %q với documents[%d]", d.Code, j)
			} else {
				seen[d.Code] = i
			}
		}
		c.required(f+".name", d.Name)
		c.oneOf(f+".form", d.Form, FormOriginal, FormCopy, FormCertifiedCopy)
		if d.Count < 1 {
			c.add(f+".count", "số lượng phải từ 1 trở lên")
		}
	}
	c.required("result.name", p.Result.Name)
	c.required("result.doc_type", p.Result.DocType)
	p.checkProcess(c, dir)
	if len(p.LegalBasis) == 0 {
		c.add("legal_basis", "thiếu căn cứ pháp lý")
	}
	for i, l := range p.LegalBasis {
		c.required(fmt.Sprintf("legal_basis[%d]", i), l)
	}
	if pub := p.Publication; pub != nil {
		c.date("publication.decided_on", pub.DecidedOn)
		c.date("publication.basis_effective_on", pub.BasisEffectiveOn)
		c.date("publication.published_on", pub.PublishedOn)
	}
	return c.ps
}

// agency checks an agency key used by the authority or a step: commune-level keys are the
// implicit bodies of every commune; anything else must be a provincial agency of the directory.
func (c *checker) agency(field, key string, level Level, dir *org.Directory) {
	switch key {
	case AgencyCommuneCommittee, AgencyCommunePolice:
		if level == LevelProvince {
			c.add(field, "%q là cơ quan cấp xã, không thể là cơ quan có thẩm quyền của thủ tục cấp tỉnh", key)
		}
		return
	}
	if level == LevelCommune {
		c.add(field, "thủ tục cấp xã phải do %q hoặc %q giải quyết, có %q", AgencyCommuneCommittee, AgencyCommunePolice, key)
		return
	}
	if dir != nil && !dir.IsAgency(key) {
		c.add(field, "không có cơ quan %q trong danh mục đơn vị", key)
	}
}

func (p *Procedure) checkTime(c *checker) {
	t := p.ProcessingTime
	c.oneOf("processing_time.unit", t.Unit, UnitWorkingDay, UnitWorkingHour, UnitWorkingMinute, UnitCalendarDay, UnitMonth, UnitSameDay)
	switch {
	case t.Unit == UnitSameDay && t.Value != 0:
		c.add("processing_time.value", "thời hạn trong ngày phải có giá trị 0")
	case t.Unit != UnitSameDay && t.Value <= 0:
		c.add("processing_time.value", "thời hạn giải quyết phải lớn hơn 0")
	}
	if t.Cutoff != "" && !clockRE.MatchString(t.Cutoff) {
		c.add("processing_time.cutoff", "giờ %q sai định dạng HH:MM", t.Cutoff)
	}
}

// form checks that the schema exists, is an object schema, and compiles; it reports whether
// the schema is usable.
func (c *checker) form(raw []byte) bool {
	if len(raw) == 0 {
		c.add("form", "thiếu biểu mẫu (JSON Schema)")
		return false
	}
	if _, err := compileForm(raw); err != nil {
		c.add("form", "JSON Schema không hợp lệ: %v", err)
		return false
	}
	var top struct {
		Type any `json:"type"`
	}
	if err := json.Unmarshal(raw, &top); err != nil || top.Type != "object" {
		c.add("form.type", "biểu mẫu phải có \"type\": \"object\"")
		return false
	}
	return true
}

func (f *Fee) check(c *checker, path string, formTypes map[string]string) {
	c.required(path+".name", f.Name)
	c.oneOf(path+".kind", f.Kind, "le_phi", "phi")
	if f.Per != "" {
		c.oneOf(path+".per", f.Per, "copy", "page", "dossier")
	}
	if f.Amount == nil && len(f.Tiers) == 0 {
		c.add(path+".amount", "thiếu mức thu (amount) hoặc bậc (tiers)")
	}
	if f.Amount != nil && len(f.Tiers) > 0 {
		c.add(path+".amount", "không được khai báo cả mức thu (amount) và bậc (tiers)")
	}
	if f.Amount != nil && *f.Amount < 0 {
		c.add(path+".amount", "mức thu không được âm")
	}
	if (f.Per == "copy" || f.Per == "page") && f.CountField == "" {
		c.add(path+".count_field", "phí theo %s cần trường số lượng (count_field)", f.Per)
	}
	if len(f.Tiers) > 0 && f.Per != "copy" && f.Per != "page" {
		c.add(path+".tiers", "bậc phí chỉ dùng với per = page hoặc copy")
	}
	for _, fld := range []struct{ name, val string }{{"count_field", f.CountField}, {"multiplier_field", f.MultiplierField}} {
		if fld.val == "" {
			continue
		}
		typ, ok := formTypes[fld.val]
		switch {
		case !ok:
			c.add(path+"."+fld.name, "biểu mẫu không có trường %q", fld.val)
		case typ != "integer":
			c.add(path+"."+fld.name, "trường %q phải có kiểu integer", fld.val)
		}
	}
	checkTiers(c, path+".tiers", f.Tiers)
	if f.MaxPerCopy < 0 {
		c.add(path+".max_per_copy", "mức trần không được âm")
	}
	if f.Reduced != nil {
		if f.Reduced.Amount < 0 {
			c.add(path+".reduced.amount", "mức thu không được âm")
		}
		if f.Amount != nil && f.Reduced.Amount > *f.Amount {
			c.add(path+".reduced.amount", "mức giảm lớn hơn mức thu")
		}
		c.required(path+".reduced.for", f.Reduced.For)
	}
	if f.OnlineAmount != nil {
		if *f.OnlineAmount < 0 {
			c.add(path+".online_amount", "mức thu không được âm")
		}
		if f.Amount != nil && *f.OnlineAmount > *f.Amount {
			c.add(path+".online_amount", "mức thu trực tuyến lớn hơn mức thu")
		}
	}
}

// checkTiers requires tiers to start at 1 and follow each other without overlap or gap; only
// the last may be open-ended (to omitted), so that every count has exactly one price.
func checkTiers(c *checker, path string, tiers []Tier) {
	next := 1
	for i, t := range tiers {
		f := fmt.Sprintf("%s[%d]", path, i)
		if t.Amount < 0 {
			c.add(f+".amount", "mức thu không được âm")
		}
		switch {
		case t.From < next:
			c.add(f+".from", "bậc chồng lấn bậc trước (bắt đầu từ %d, cần %d)", t.From, next)
		case t.From > next:
			c.add(f+".from", "bậc bị hở từ %d đến %d", next, t.From-1)
		}
		if t.To == 0 {
			if i != len(tiers)-1 {
				c.add(f+".to", "chỉ bậc cuối cùng được để trống giới hạn trên")
				return
			}
			continue
		}
		if t.To < t.From {
			c.add(f+".to", "giới hạn trên %d nhỏ hơn giới hạn dưới %d", t.To, t.From)
			return
		}
		next = t.To + 1
	}
}

// WorkingMinutes is the processing time as working minutes, the yardstick the non-parallel
// step shares must add up to. ok is false where no fixed equivalent exists (months).
//
// Calendar days: the seed counts a period of d calendar days as d - 2*(d/7) working days,
// i.e. each full week holds a weekend and the remaining days are taken as working days (10
// days -> 8, 15 -> 11, 17 -> 13). It is the largest number of working days such a period can
// contain, so step deadlines never exceed the legal one by construction. Holidays are ignored:
// they only shorten the real period, which the deadline computation handles.
// Same-day procedures are one working day.
func (t ProcessingTime) WorkingMinutes() (minutes int, ok bool) {
	const day = 8 * 60
	switch t.Unit {
	case UnitWorkingDay:
		return t.Value * day, true
	case UnitWorkingHour:
		return t.Value * 60, true
	case UnitWorkingMinute:
		return t.Value, true
	case UnitSameDay:
		return day, true
	case UnitCalendarDay:
		return (t.Value - 2*(t.Value/7)) * day, true
	}
	return 0, false
}

func (p *Procedure) checkProcess(c *checker, dir *org.Directory) {
	if len(p.Process) == 0 {
		c.add("process", "thiếu quy trình nội bộ")
		return
	}
	total, sharesOK := 0, true
	for i, s := range p.Process {
		f := fmt.Sprintf("process[%d]", i)
		c.required(f+".name", s.Name)
		c.oneOf(f+".role", s.Role, "desk", "specialist", "leader")
		switch {
		case s.Unit == StepUnitReceivingDesk, s.Unit == StepUnitAuthority:
		case strings.HasPrefix(s.Unit, StepUnitAgencyPrefix):
			key := strings.TrimPrefix(s.Unit, StepUnitAgencyPrefix)
			switch {
			case key == "":
				c.add(f+".unit", "thiếu mã cơ quan sau \"agency:\"")
			case key == AgencyCommuneCommittee || key == AgencyCommunePolice:
			case dir != nil && !dir.IsAgency(key):
				c.add(f+".unit", "không có cơ quan %q trong danh mục đơn vị", key)
			}
		default:
			c.add(f+".unit", "đơn vị %q không hợp lệ; dùng receiving_desk, authority hoặc agency:MÃ", s.Unit)
		}
		c.oneOf(f+".share.unit", s.Share.Unit, UnitWorkingHour, UnitWorkingDay, UnitWorkingMinute)
		if s.Share.Value <= 0 {
			c.add(f+".share.value", "thời gian của bước phải lớn hơn 0")
			sharesOK = false
		}
		if s.Share.Minutes() == 0 {
			sharesOK = false
		}
		if !s.Parallel {
			total += s.Share.Minutes()
		}
	}
	want, ok := p.ProcessingTime.WorkingMinutes()
	if ok && sharesOK && total != want {
		c.add("process", "tổng thời gian các bước tuần tự là %s, khác thời hạn giải quyết %s", hours(total), hours(want))
	}
}

func hours(min int) string {
	if min%60 == 0 {
		return fmt.Sprintf("%d giờ làm việc", min/60)
	}
	return fmt.Sprintf("%d phút làm việc", min)
}
