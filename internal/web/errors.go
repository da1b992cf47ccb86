package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/store"
)

// statusOf is the one table from error kinds to HTTP statuses.
var statusOf = map[app.Kind]int{
	app.KindInternal:        http.StatusInternalServerError,
	app.KindInvalid:         http.StatusBadRequest,
	app.KindNotFound:        http.StatusNotFound,
	app.KindConflict:        http.StatusConflict,
	app.KindStale:           http.StatusPreconditionFailed,
	app.KindUnauthenticated: http.StatusUnauthorized,
	app.KindForbidden:       http.StatusForbidden,
	app.KindTooMany:         http.StatusTooManyRequests,
	app.KindTooLarge:        http.StatusRequestEntityTooLarge,
	app.KindUnavailable:     http.StatusServiceUnavailable,
}

// safe is what a user may read about an error: never the cause.
type safe struct {
	Status    int               `json:"-"`
	Code      string            `json:"code"`
	MessageVI string            `json:"message"`
	MessageEN string            `json:"message_en"`
	Fields    map[string]string `json:"fields,omitempty"`
}

// classify turns any error into its status and safe messages. Errors that are not *app.Error
// (store and driver errors, bugs) become a generic 500 unless they are well-known store errors.
func classify(err error) safe {
	var ae *app.Error
	if errors.As(err, &ae) {
		s := safe{Status: statusOf[ae.Kind], Code: ae.Code, MessageVI: ae.MessageVI, MessageEN: ae.MessageEN, Fields: ae.Fields}
		if s.Status == 0 {
			s.Status = http.StatusInternalServerError
		}
		if s.Code == "" {
			s.Code = http.StatusText(s.Status)
		}
		return s
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return safe{Status: http.StatusRequestEntityTooLarge, Code: "too_large", MessageVI: "Dữ liệu gửi lên quá lớn.", MessageEN: "The request body is too large."}
	case errors.Is(err, store.ErrNotFound):
		return safe{Status: http.StatusNotFound, Code: "not_found", MessageVI: "Không tìm thấy.", MessageEN: "Not found."}
	case errors.Is(err, store.ErrStale):
		return safe{Status: http.StatusPreconditionFailed, Code: "stale", MessageVI: "Dữ liệu đã được người khác thay đổi; hãy tải lại trang.", MessageEN: "Someone else changed this; reload and try again."}
	case errors.Is(err, store.ErrConflict):
		return safe{Status: http.StatusConflict, Code: "conflict", MessageVI: "Dữ liệu bị trùng.", MessageEN: "Duplicate data."}
	}
	return safe{Status: http.StatusInternalServerError, Code: "internal", MessageVI: "Hệ thống gặp sự cố. Xin vui lòng thử lại sau.", MessageEN: "Something went wrong on our side. Please try again later."}
}

// logError logs the cause of a failed request: server errors at error level, client errors at
// debug level so that probing does not flood the log.
func logError(log *slog.Logger, r *http.Request, s safe, err error) {
	attrs := []any{"request_id", RequestID(r.Context()), "method", r.Method, "path", r.URL.Path, "status", s.Status, "err", err}
	if s.Status >= 500 {
		log.Error("request failed", attrs...)
	} else {
		log.Debug("request refused", attrs...)
	}
}
