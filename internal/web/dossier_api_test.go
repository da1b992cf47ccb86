package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/audit"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

const (
	anID    = "019085001234" // Nguyễn Văn An, demo identity vneid-demo-0001
	anPhone = "0912345678"
)

func dt02Form() map[string]any {
	return map[string]any{
		"nguoi_nop_ho_ten": "Nguyễn Văn An", "nguoi_nop_so_dinh_danh": anID, "nguoi_nop_dien_thoai": anPhone,
		"ten_nha_dau_tu": "Công ty TNHH Chè Tân Cương Xanh", "ma_so_doanh_nghiep": "4601234567", "ten_du_an": "Nhà máy chế biến chè",
	}
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func steps(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, s := range m["steps"].([]any) {
		out = append(out, s.(map[string]any))
	}
	return out
}

// TestDossierWalk walks an interconnected procedure (DT.02: the provincial People's Committee
// approves an investment with three departments consulted in parallel) through the HTTP API:
// online submission → supplement before reception → reception → hand-over across agencies
// with parallel consultations → suspension and resumption → extension with apology →
// approval → electronic result → return → rating. On both engines.
func TestDossierWalk(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		site := newSite(t, s)
		ctx := context.Background()
		at := site.Clock.Set

		at(vn(2, 20, 0))
		an := site.applicant("vneid-demo-0001")
		var hashes = map[string]string{}
		for _, comp := range []string{"VB", "DX"} {
			r := an.upload("/api/v1/files", strings.ToLower(comp)+".pdf", pdfBytes(comp), nil)
			if r.Status != 201 {
				t.Fatalf("upload %s: %d %s", comp, r.Status, r.Body)
			}
			hashes[comp] = str(r.json(t), "hash")
		}
		body := map[string]any{"procedure": "DT.02", "channel": "online", "form": dt02Form(), "documents": []map[string]any{
			{"component": "VB", "name": "vb.pdf", "hash": hashes["VB"], "digitized": true},
			{"component": "DX", "name": "dx.pdf", "hash": hashes["DX"], "digitized": true},
		}}
		r := an.post("/api/v1/dossiers", body, map[string]string{"Idempotency-Key": "an-1"})
		if r.Status != 201 {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		d := r.json(t)
		id := str(d, "id")
		if d["code"] != nil || str(d, "status") != "submitted" || str(d, "authority") != "van-phong-ubnd" || str(d, "receiving_unit") != "ttpvhcc" || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("submitted dossier: %s (etag %s)", r.Body, r.Header.Get("ETag"))
		}
		// The same key and body is the same dossier; the same key with another body a conflict.
		if r2 := an.post("/api/v1/dossiers", body, map[string]string{"Idempotency-Key": "an-1"}); r2.Status != 200 || str(r2.json(t), "id") != id {
			t.Fatalf("replay: %d %s", r2.Status, r2.Body)
		}
		body2 := map[string]any{"procedure": "DT.02", "channel": "online", "form": dt02Form()}
		if r2 := an.post("/api/v1/dossiers", body2, map[string]string{"Idempotency-Key": "an-1"}); r2.Status != 409 || !strings.Contains(string(r2.Body), "idempotency_key_reused") {
			t.Fatalf("reused key with another body: %d %s", r2.Status, r2.Body)
		}
		if n, _ := s.QueryIntForTest(ctx, "SELECT COUNT(*) FROM dossiers"); n != 1 {
			t.Fatalf("%d dossiers after replays, want 1", n)
		}

		desk := site.officer("ttpvhcc.desk")
		at(vn(3, 8, 0))
		d = desk.act(t, id, "request-supplement", map[string]any{"components": []string{"PL"}, "reason": "Thiếu phụ lục kèm theo đề xuất dự án"}, 200)
		if str(d, "status") != "supplement_requested" {
			t.Fatalf("after request: %s", str(d, "status"))
		}
		at(vn(3, 10, 0))
		an = site.applicant("vneid-demo-0001") // the evening's session has expired
		r = an.upload("/api/v1/files", "phu-luc.pdf", pdfBytes("PL"), nil)
		pl := str(r.json(t), "hash")
		d = an.act(t, id, "supplement", map[string]any{"documents": []map[string]any{{"component": "PL", "name": "phu-luc.pdf", "hash": pl, "digitized": true}}}, 200)
		if str(d, "status") != "submitted" {
			t.Fatalf("after supplement: %s", str(d, "status"))
		}

		at(vn(3, 14, 0))
		d = desk.act(t, id, "receive", nil, 200)
		code := str(d, "code")
		if !strings.HasSuffix(code, "-261103-0001") || str(d, "status") != "received" || d["due_at"] == nil || d["received_at"] == nil {
			t.Fatalf("receipt: code %q: %v", code, d)
		}
		due, _ := time.Parse(time.RFC3339, str(d, "due_at"))
		// A second supplement request is refused, citing the rule (LEGAL §3, once per dossier).
		r = desk.post("/api/v1/dossiers/"+code+"/actions/request-supplement", map[string]any{"components": []string{"VB"}, "reason": "Thiếu"}, nil)
		if r.Status != 409 || !strings.Contains(string(r.Body), "Điều") {
			t.Fatalf("second supplement request: %d %s", r.Status, r.Body)
		}
		// The receipt's PDF.
		r = desk.get("/api/v1/dossiers/" + code + "/forms/receipt.pdf")
		if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.Body), "%PDF") {
			t.Fatalf("receipt pdf: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		if text := pdfText(t, r.Body); text != "" {
			dueText := fmt.Sprintf("%s, ngày %s tháng %s năm %d", due.In(vnZone()).Format("15 giờ 04 phút"), due.In(vnZone()).Format("02"), due.In(vnZone()).Format("01"), due.Year())
			if !strings.Contains(text, "Mã hồ sơ: "+code) || !strings.Contains(text, "Ngày hẹn trả kết quả: "+dueText) {
				t.Errorf("receipt text lacks code %s or due date %q:\n%s", code, dueText, text)
			}
		}

		at(vn(3, 15, 0))
		d = desk.act(t, code, "forward", nil, 200)
		st := steps(d)
		if str(d, "status") != "in_progress" || st[1]["started_at"] == nil || st[2]["started_at"] == nil {
			t.Fatalf("after forward: %s", d)
		}
		// An officer of an uninvolved agency does not even see the dossier.
		if r := site.officer("so-tu-phap.specialist").post("/api/v1/dossiers/"+code+"/actions/complete-step", map[string]any{}, nil); r.Status != 404 {
			t.Fatalf("out-of-scope action: %d %s", r.Status, r.Body)
		}
		at(vn(4, 9, 0))
		site.officer("so-tai-chinh.leader").act(t, code, "assign", map[string]any{"to": "so-tai-chinh.specialist"}, 200)
		at(vn(4, 16, 0))
		for i, unit := range []string{"so-xay-dung", "so-nong-nghiep-moi-truong", "so-cong-thuong"} {
			site.officer(unit+".specialist").act(t, code, "complete-step", map[string]any{"step": 2 + i, "outcome": "Thống nhất"}, 200)
		}
		at(vn(5, 9, 0))
		d = site.officer("so-tai-chinh.specialist").act(t, code, "forward", nil, 200)
		if st := steps(d); st[1]["finished_at"] == nil || st[5]["started_at"] == nil || str(st[5], "unit") != "van-phong-ubnd" {
			t.Fatalf("hand-over to the People's Committee's office: %v", st)
		}
		vp := site.officer("van-phong-ubnd.specialist")
		at(vn(5, 10, 0))
		d = vp.act(t, code, "suspend", map[string]any{"reason": "Chờ nhà đầu tư giải trình bổ sung"}, 200)
		if str(d, "status") != "suspended" {
			t.Fatalf("suspend: %s", str(d, "status"))
		}
		at(vn(9, 9, 0))
		d = vp.act(t, code, "resume", nil, 200)
		resumedDue, _ := time.Parse(time.RFC3339, str(d, "due_at"))
		if !resumedDue.After(due) {
			t.Fatalf("resume did not move the due date: %s -> %s", due, resumedDue)
		}
		leader := site.officer("van-phong-ubnd.leader")
		at(vn(9, 10, 0))
		newDue := resumedDue.AddDate(0, 0, 4)
		d = leader.act(t, code, "extend", map[string]any{"new_due": newDue.Format(time.RFC3339), "reason": "Cần xác minh thực địa dự án"}, 200)
		if d["extended"] != true {
			t.Fatalf("extend: %v", d)
		}
		if r := leader.get("/api/v1/dossiers/" + code + "/forms/apology.pdf"); r.Status != 200 {
			t.Fatalf("apology pdf: %d %s", r.Status, r.Body)
		}
		// A second extension is refused.
		if r := leader.post("/api/v1/dossiers/"+code+"/actions/extend", map[string]any{"new_due": newDue.AddDate(0, 0, 2).Format(time.RFC3339), "reason": "Lần nữa"}, nil); r.Status != 409 {
			t.Fatalf("second extension: %d %s", r.Status, r.Body)
		}
		at(vn(10, 9, 0))
		d = vp.act(t, code, "forward", nil, 200)
		version := int64(d["version"].(float64))
		at(vn(10, 10, 0))
		// A stale If-Match is 412 and writes nothing.
		r = leader.post("/api/v1/dossiers/"+code+"/actions/approve", map[string]any{"note": "Đồng ý"}, map[string]string{"If-Match": fmt.Sprintf(`"%d"`, version-1)})
		if r.Status != 412 {
			t.Fatalf("stale approve: %d %s", r.Status, r.Body)
		}
		r = leader.post("/api/v1/dossiers/"+code+"/actions/approve", map[string]any{"note": "Đồng ý chủ trương"}, map[string]string{"If-Match": fmt.Sprintf(`"%d"`, version)})
		if r.Status != 200 || str(r.json(t), "status") != "processed" {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		at(vn(10, 10, 30))
		leader.act(t, code, "issue-result", map[string]any{"documents": []map[string]any{{"name": "Quyết định chấp thuận chủ trương đầu tư", "doc_type": "KQ.CTDT", "electronic": true, "to_vault": true}}}, 200)
		at(vn(10, 11, 0))
		d = desk.act(t, code, "return-result", map[string]any{"method": "electronic"}, 200)
		if str(d, "status") != "returned" {
			t.Fatalf("return: %s", str(d, "status"))
		}
		at(vn(10, 14, 0))
		an = site.applicant("vneid-demo-0001")
		d = an.act(t, code, "rate", map[string]any{"score": 5, "comment": "Nhanh, rõ ràng"}, 200)
		if d["rating"].(float64) != 5 {
			t.Fatalf("rating: %v", d["rating"])
		}

		// The history: every command's event, hash-chained.
		r = an.get("/api/v1/dossiers/" + code + "/events")
		var evs struct {
			Events []struct {
				Seq        int64
				Type, Hash string
				PrevHash   string `json:"prev_hash"`
			}
		}
		if err := jsonUnmarshal(r.Body, &evs); err != nil {
			t.Fatal(err)
		}
		var types []string
		prev := audit.Genesis
		for i, e := range evs.Events {
			types = append(types, e.Type)
			if e.Seq != int64(i+1) || e.PrevHash != prev || len(e.Hash) != 64 {
				t.Errorf("event %d (%s): seq %d prev %s (want %s)", i, e.Type, e.Seq, e.PrevHash, prev)
			}
			prev = e.Hash
		}
		want := "submitted supplement_requested supplemented received forwarded assigned step_completed step_completed step_completed forwarded suspended resumed extended forwarded approved result_issued result_returned rated"
		if got := strings.Join(types, " "); got != want {
			t.Errorf("events:\n got %s\nwant %s", got, want)
		}
		if n, err := s.VerifyChains(ctx, nil); err != nil || n != len(evs.Events) {
			t.Errorf("verify chains: %d events, %v", n, err)
		}
		// The control sheet lists every hand-over with its verdict.
		r = desk.get("/api/v1/dossiers/" + code + "/forms/control-sheet.pdf")
		if r.Status != 200 {
			t.Fatalf("control sheet: %d %s", r.Status, r.Body)
		}
		if text := pdfText(t, r.Body); text != "" {
			for _, w := range []string{"Trước hạn", "Sở Tài chính", "Sở Xây dựng"} {
				if !strings.Contains(text, w) {
					t.Errorf("control sheet lacks %q", w)
				}
			}
		}

		// Public look-up: status and masked name, nothing else personal.
		r = site.public().get("/api/v1/lookup/" + code)
		if r.Status != 200 || !strings.Contains(string(r.Body), `"returned"`) || strings.Contains(string(r.Body), "Nguyễn Văn An") || strings.Contains(string(r.Body), anPhone) || strings.Contains(string(r.Body), anID) {
			t.Fatalf("lookup: %d %s", r.Status, r.Body)
		}
		// Officers' reads of personal data are logged and visible to inspectors (not others).
		if r := desk.get("/api/v1/dossiers/" + code); r.Status != 200 || !strings.Contains(string(r.Body), anPhone) {
			t.Fatalf("desk view: %d", r.Status)
		}
		r = site.officer("inspector").get("/api/v1/access-log?dossier=" + id)
		if r.Status != 200 || !strings.Contains(string(r.Body), `"officer":"ttpvhcc.desk"`) || !strings.Contains(string(r.Body), "api:GET /api/v1/dossiers/{code}") {
			t.Fatalf("access log: %d %s", r.Status, r.Body)
		}
		if r := desk.get("/api/v1/access-log"); r.Status != 403 {
			t.Fatalf("desk reads the access log: %d", r.Status)
		}
		// Personal data is never stored in plain text.
		dump, err := s.DumpTextForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{anID, anPhone} {
			if strings.Contains(dump, secret) {
				for _, line := range strings.Split(dump, "\n") {
					if strings.Contains(line, secret) {
						t.Errorf("plaintext %s stored: %.200s", secret, line)
					}
				}
			}
		}
		if !strings.Contains(dump, id) {
			t.Errorf("the dump does not even contain the dossier id; the check above proves nothing")
		}
	})
}
