package report

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

func render(t *testing.T, f Form, in Input) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, f, in); err != nil {
		t.Fatalf("Render(%s): %v", f, err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) || !bytes.Contains(b.Bytes()[max(0, b.Len()-32):], []byte("%%EOF")) {
		t.Fatalf("Render(%s) wrote no complete PDF (%d bytes)", f, b.Len())
	}
	return b.Bytes()
}

func TestParseForm(t *testing.T) {
	for _, f := range Forms {
		got, err := ParseForm(string(f))
		if err != nil || got != f {
			t.Errorf("ParseForm(%q) = %q, %v", f, got, err)
		}
	}
	for _, s := range []string{"", "Receipt", "receipt.pdf", "tracking-book", " refusal"} {
		if _, err := ParseForm(s); !errors.Is(err, ErrUnknownForm) {
			t.Errorf("ParseForm(%q) error %v, want ErrUnknownForm", s, err)
		}
	}
	if err := Applicable("book", dossier.New()); !errors.Is(err, ErrUnknownForm) {
		t.Errorf("Applicable(book) = %v", err)
	}
}

// TestApplicable checks every form against dossiers in every situation: the papers a dossier
// has render, the others are refused with a Vietnamese reason and write nothing.
func TestApplicable(t *testing.T) {
	has := map[string][]Form{
		"submitted":                   nil,
		"supplement before reception": {SupplementRequest},
		"rejected":                    {Refusal},
		"received":                    {Receipt, ControlSheet},
		"in progress":                 {Receipt, ControlSheet},
		"supplement in processing":    {Receipt, SupplementRequest, ControlSheet},
		"extended":                    {Receipt, Apology, ControlSheet},
		"refused":                     {Receipt, Refusal, ControlSheet},
		"withdrawn":                   {Receipt, StopNotice, ControlSheet},
		"closed":                      {SupplementRequest, StopNotice},
		"walk":                        {Receipt, SupplementRequest, Apology, ControlSheet},
	}
	if len(has) != len(fixtures()) {
		t.Fatalf("%d fixtures, %d expectations", len(fixtures()), len(has))
	}
	for name, forms := range has {
		x := fixture(t, name)
		for _, f := range Forms {
			t.Run(name+"/"+string(f), func(t *testing.T) {
				var b bytes.Buffer
				err := Render(&b, f, input(x))
				if slices.Contains(forms, f) {
					if err != nil {
						t.Fatalf("want the form, got %v", err)
					}
					if b.Len() == 0 {
						t.Fatal("nothing written")
					}
					return
				}
				if !errors.Is(err, ErrNotApplicable) {
					t.Fatalf("got %v, want ErrNotApplicable", err)
				}
				var na *NotApplicableError
				if !errors.As(err, &na) || na.Form != f || na.State != x.State {
					t.Fatalf("error %#v does not name the form and state", err)
				}
				if !strings.Contains(na.MessageVI, "Hồ sơ") || !strings.Contains(na.MessageVI, dossier.StateNameVI(x.State)) || na.MessageEN == "" {
					t.Errorf("messages: %q / %q", na.MessageVI, na.MessageEN)
				}
				if b.Len() != 0 {
					t.Errorf("a refused form wrote %d bytes", b.Len())
				}
			})
		}
	}
	if err := Render(&bytes.Buffer{}, Receipt, Input{}); err == nil {
		t.Error("Render without a dossier succeeded")
	}
}

// TestReceipt is the "done when": the receipt's text holds the code and the due date
// the calendar computed, and everything LEGAL §5.1 lists.
func TestReceipt(t *testing.T) {
	x := fixture(t, "walk")
	pdf := render(t, Receipt, input(x))
	writeSample(t, "giay-tiep-nhan.pdf", pdf)
	text := pdfText(t, pdf)
	wantText(t, text,
		"UBND TỈNH THÁI NGUYÊN", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Thái Nguyên, ngày 26 tháng 11 năm 2026",
		"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
		"Mã hồ sơ: "+walkCode,
		"Ông/Bà: Nguyễn Thị Lan",
		"Địa chỉ: Số 12, tổ 5, phường Phan Đình Phùng, tỉnh Thái Nguyên",
		"0912 345 678", "lan.nguyen@example.vn",
		"Nội dung yêu cầu giải quyết: Chấp thuận chủ trương đầu tư dự án đầu tư (mã thủ tục 1.009645)",
		"Cơ quan giải quyết: Văn phòng Ủy ban nhân dân tỉnh",
		"Văn bản đề nghị thực hiện dự án đầu tư", "Giấy chứng nhận đăng ký doanh nghiệp",
		"Bản điện tử, từ Kho quản lý dữ liệu điện tử", "Đề xuất dự án đầu tư", "Bản vẽ tổng mặt bằng",
		"Thời gian giải quyết hồ sơ theo quy định: 5 ngày làm việc",
		"Thời gian nhận hồ sơ: 15 giờ 30 phút, ngày 26 tháng 11 năm 2026",
		// Extended once: the current appointment, and the one it replaced.
		"Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 10 tháng 12 năm 2026",
		"ngày hẹn trước đó: 15 giờ 30 phút, ngày 07 tháng 12 năm 2026",
		"Nhận kết quả: Trực tuyến",
		"NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Văn Bình",
		lookupURL,
	)
	// The two drawings (BV) are one line with their count.
	wantText(t, text, "Bản vẽ tổng mặt bằng Bản điện tử 02")
	if n := pdfPages(t, pdf); n != 1 {
		t.Errorf("receipt has %d pages, want 1", n)
	}
	if size := pdfPageSize(t, pdf); !strings.HasPrefix(size, "595.") || !strings.HasSuffix(size, "841.89") {
		t.Errorf("page size %s pt, want A4 portrait", size)
	}

	// A desk dossier without extension: the due date is exactly the calendar's, 5 working days
	// after reception, and the result is collected at the desk.
	x = fixture(t, "received")
	due, err := workingCalendar(t).Due(receiveAt, calendar.Duration{Value: 5, Unit: calendar.WorkingDay})
	if err != nil || !due.Equal(x.DueAt) {
		t.Fatalf("due %s (%v), dossier %s", due, err, x.DueAt)
	}
	text = pdfText(t, render(t, Receipt, input(x)))
	wantText(t, text,
		"Ngày hẹn trả kết quả: 15 giờ 30 phút, ngày 03 tháng 12 năm 2026", "Hình thức nộp hồ sơ: Trực tiếp",
		"Bản giấy, đã số hóa", "Nhận kết quả: Bộ phận Một cửa – Trung tâm Phục vụ hành chính công tỉnh")
	if strings.Contains(text, "ngày hẹn trước đó") {
		t.Error("a receipt without extension mentions a previous date")
	}

	// Documents attached after reception are not on the receipt.
	late := dossier.Document{Component: "BV", Name: "Bản vẽ bổ sung", Digitized: true}
	x = play(t, append(fixtures()["received"], cmd{vnAt(11, 27, 9, 0), desk, dossier.AttachDocument{Document: late}})...)
	if g := receivedDocuments(x); len(g) != 3 {
		t.Errorf("receipt lists %d components, want the 3 received: %+v", len(g), g)
	}
}

// TestControlSheet: one row per hand-over, in order, each with its verdict in Vietnamese.
func TestControlSheet(t *testing.T) {
	x := fixture(t, "walk")
	sheet := x.ControlSheet()
	var verdicts []dossier.Timeliness
	for _, h := range sheet {
		verdicts = append(verdicts, h.Verdict)
	}
	// The walk is built to have all three: the consultation answered an hour late.
	want := []dossier.Timeliness{dossier.OnTime, dossier.OnTime, dossier.Late, dossier.Early, dossier.Early, dossier.Early}
	if !slices.Equal(verdicts, want) {
		t.Fatalf("aggregate verdicts %v, want %v", verdicts, want)
	}
	pdf := render(t, ControlSheet, input(x))
	writeSample(t, "phieu-kiem-soat.pdf", pdf)
	text := pdfText(t, pdf)
	wantText(t, text, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mã hồ sơ: "+walkCode,
		"Kèm theo hồ sơ của: Nguyễn Thị Lan", "Thời gian tạm dừng (không tính vào thời hạn): 2 ngày làm việc",
		"Tình trạng hồ sơ: đã trả kết quả", "Thống nhất, đề nghị bổ sung phương án phòng cháy")
	for label, n := range map[string]int{"Trước hạn": 3, "Đúng hạn": 2, "Quá hạn": 1} {
		if got := strings.Count(text, label); got != n {
			t.Errorf("%q printed %d times, want %d", label, got, n)
		}
	}
	// Rows in hand-over order: each step's name appears after the previous one.
	pos := 0
	for _, h := range sheet {
		i := strings.Index(text[pos:], h.Name)
		if i < 0 {
			t.Fatalf("row %q missing or out of order", h.Name)
		}
		pos += i + len(h.Name)
	}

	// An open step is judged at the printing time.
	x = fixture(t, "in progress") // step 1 (Sở Tài chính) due Tue 1 Dec 10:00
	in := input(x)
	in.Now = vnAt(11, 30, 9, 0)
	wantText(t, pdfText(t, render(t, ControlSheet, in)), "Đang xử lý")
	in.Now = vnAt(12, 2, 9, 0)
	wantText(t, pdfText(t, render(t, ControlSheet, in)), "Đang xử lý, quá hạn")
}

// TestControlSheetPages: a dossier consulted by thirty communes runs over several pages, the
// table header repeated on each, no row lost.
func TestControlSheetPages(t *testing.T) {
	script := slices.Clone(fixtures()["in progress"])
	n := names()
	for i := 1; i <= 30; i++ {
		key := fmt.Sprintf("xa-%02d", i)
		n.Units[key] = fmt.Sprintf("Ủy ban nhân dân xã số %d", i)
		script = append(script, cmd{vnAt(11, 27, 8, i), stcExpert, dossier.Forward{
			To: key, Parallel: true, ShareMinutes: 480, StepName: fmt.Sprintf("Lấy ý kiến xã số %d", i)}})
	}
	x := play(t, script...)
	in := input(x)
	in.Names = n
	pdf := render(t, ControlSheet, in)
	text := pdfText(t, pdf)
	pages := pdfPages(t, pdf)
	if pages < 3 {
		t.Errorf("%d rows on %d pages", len(x.ControlSheet()), pages)
	}
	if got := strings.Count(text, "Bước xử lý, cơ quan giao – nhận"); got != pages {
		t.Errorf("table header printed %d times on %d pages", got, pages)
	}
	for i := 1; i <= 30; i++ {
		wantText(t, text, fmt.Sprintf("Lấy ý kiến xã số %d Giao: Sở Tài chính Nhận: Ủy ban nhân dân xã số %d", i, i))
	}
	wantText(t, text, fmt.Sprintf("Trang %d/%d", pages, pages), "NGƯỜI LẬP PHIẾU")
}

func TestSupplementRequest(t *testing.T) {
	x := fixture(t, "supplement before reception")
	text := pdfText(t, render(t, SupplementRequest, input(x)))
	wantText(t, text, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Kính gửi: Ông/Bà Nguyễn Thị Lan",
		"Ngày nộp hồ sơ: 08 giờ 00 phút, ngày 25 tháng 11 năm 2026",
		"Trung tâm Phục vụ hành chính công tỉnh đề nghị ông/bà bổ sung",
		"Giấy chứng nhận đăng ký doanh nghiệp", "Đề xuất dự án đầu tư",
		"Lý do: Thiếu giấy chứng nhận và đề xuất dự án",
		// Điều 19: 15 days after the request.
		"trong 15 ngày kể từ 09 giờ 00 phút, ngày 25 tháng 11 năm 2026 (đến 09 giờ 00 phút, ngày 10 tháng 12 năm 2026)",
		"NGƯỜI HƯỚNG DẪN", "Trần Văn Bình")
	if strings.Contains(text, "tính lại từ đầu") {
		t.Error("a request before reception speaks of restarting the processing time")
	}

	// In processing, the unit that held the dossier asks, and the clock restarts afterwards.
	x = fixture(t, "supplement in processing")
	text = pdfText(t, render(t, SupplementRequest, input(x)))
	wantText(t, text, "UBND TỈNH THÁI NGUYÊN SỞ TÀI CHÍNH", "Sở Tài chính đề nghị ông/bà bổ sung", "Bản vẽ tổng mặt bằng",
		"Mã hồ sơ: "+walkCode, "Lý do: Cần bản vẽ tổng mặt bằng để thẩm định", "tính lại từ đầu")
}

func TestRefusal(t *testing.T) {
	text := pdfText(t, render(t, Refusal, input(fixture(t, "rejected"))))
	wantText(t, text, "PHIẾU TỪ CHỐI TIẾP NHẬN HỒ SƠ", "thông báo không tiếp nhận hồ sơ",
		"Lý do: Thủ tục không thuộc thẩm quyền giải quyết của tỉnh", "NGƯỜI TIẾP NHẬN HỒ SƠ",
		"Thái Nguyên, ngày 25 tháng 11 năm 2026")

	text = pdfText(t, render(t, Refusal, input(fixture(t, "refused"))))
	wantText(t, text, "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ", "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH", "Mã hồ sơ: "+walkCode,
		"Văn phòng Ủy ban nhân dân tỉnh thông báo không giải quyết hồ sơ",
		"Lý do: Dự án không phù hợp quy hoạch sử dụng đất", "THỦ TRƯỞNG CƠ QUAN", "Thái Nguyên, ngày 30 tháng 11 năm 2026")
}

func TestApology(t *testing.T) {
	x := fixture(t, "extended")
	wantText(t, pdfText(t, render(t, Apology, input(x))), "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Kính gửi: Ông/Bà Nguyễn Thị Lan",
		"Ngày 26 tháng 11 năm 2026, Trung tâm Phục vụ hành chính công tỉnh tiếp nhận hồ sơ",
		"Thời gian hẹn trả kết quả giải quyết hồ sơ: 15 giờ 30 phút, ngày 03 tháng 12 năm 2026",
		"Lý do: Cần xác minh thực địa", "Văn phòng Ủy ban nhân dân tỉnh xin lỗi ông/bà",
		"Ngày hẹn trả kết quả mới: 17 giờ 00 phút, ngày 10 tháng 12 năm 2026",
		"Thái Nguyên, ngày 27 tháng 11 năm 2026", "THỦ TRƯỞNG CƠ QUAN")
}

func TestStopNotice(t *testing.T) {
	wantText(t, pdfText(t, render(t, StopNotice, input(fixture(t, "withdrawn")))),
		"THÔNG BÁO", "Về việc dừng giải quyết hồ sơ", "Mã hồ sơ: "+walkCode,
		"Ngày 27 tháng 11 năm 2026, ông/bà đã đề nghị dừng giải quyết (rút) hồ sơ",
		"Lý do: Doanh nghiệp thay đổi địa điểm dự án", "Căn cứ Điều 21 Nghị định 118/2025/NĐ-CP",
		"kể từ 09 giờ 00 phút, ngày 27 tháng 11 năm 2026")
	text := pdfText(t, render(t, StopNotice, input(fixture(t, "closed"))))
	wantText(t, text, "Ngày 25 tháng 11 năm 2026, Trung tâm Phục vụ hành chính công tỉnh đã đề nghị ông/bà bổ sung",
		"Đã quá 15 ngày", "Căn cứ Điều 19 Nghị định 118/2025/NĐ-CP", "Ngày nộp hồ sơ: 08 giờ 00 phút, ngày 25 tháng 11 năm 2026")
	if strings.Contains(text, "Mã hồ sơ") {
		t.Error("a dossier never received has no code to print")
	}
}

// TestTextSafety: whatever the applicant typed prints without breaking the PDF: decomposed
// diacritics are composed, characters the font's encoding cannot carry are replaced, control
// characters dropped; an organization is addressed as such; an unknown unit prints its key.
func TestTextSafety(t *testing.T) {
	script := slices.Clone(fixtures()["received"])
	sub := script[0].c.(dossier.Submit)
	sub.Applicant.Kind = "organization"
	sub.Applicant.Name = "Co\u0302ng ty TNHH Nguye\u0302\u0303n Gia \U0001F600\x07Phát"
	sub.Authority = "so-chua-co-ten"
	script[0].c = sub
	x := play(t, script...)
	text := pdfText(t, render(t, Receipt, input(x)))
	wantText(t, text, "Tổ chức: Công ty TNHH Nguyễn Gia \uFFFDPhát", "Cơ quan giải quyết: so-chua-co-ten")
}

// TestDeterministic: the same dossier printed at the same time is the same file, so a reprint
// can be compared byte for byte; the printing time is part of it.
func TestDeterministic(t *testing.T) {
	in := input(fixture(t, "walk"))
	a, b := render(t, Receipt, in), render(t, Receipt, in)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same input differ")
	}
	in.Now = in.Now.Add(time.Minute)
	if bytes.Equal(a, render(t, Receipt, in)) {
		t.Error("the printing time does not change the file")
	}
	// Without a printing time the file is still a function of the input (dated by the last
	// event), never of the machine's clock.
	in.Now = time.Time{}
	a = render(t, Receipt, in)
	time.Sleep(1100 * time.Millisecond) // PDF dates have one-second resolution
	if !bytes.Equal(a, render(t, Receipt, in)) {
		t.Error("a rendering without Input.Now depends on the clock")
	}
}

// TestConcurrentRender: the embedded fonts are shared by concurrent renderings (run with -race).
func TestConcurrentRender(t *testing.T) {
	in := input(fixture(t, "walk"))
	want := render(t, Receipt, in)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b bytes.Buffer
			if err := Render(&b, Receipt, in); err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(b.Bytes(), want) {
				errs <- errors.New("concurrent rendering differs")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// BenchmarkReceipt measures one receipt of the full walk, font embedding included.
func BenchmarkReceipt(b *testing.B) {
	in := input(fixture(b, "walk"))
	var buf bytes.Buffer
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, Receipt, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}
