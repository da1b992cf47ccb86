// Package integration holds the clients of the systems outside the province that MotCua
// talks to. They do I/O and nothing else: what to send and what an answer means for a dossier
// is decided in package app.
package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// NationalPortal delivers dossier status messages to the National Public Service Portal
// (Cổng Dịch vụ công quốc gia), which publishes every dossier's progress to its applicant and
// counts it for indicator 1.4 of QĐ 766.
//
// The protocol: one POST per message to Endpoint with the message's JSON as the body,
// "Authorization: Bearer Token" when a token is set, and "Idempotency-Key: Key" so that a
// message delivered twice (the outbox delivers at least once) is recorded once. Any 2xx answer
// acknowledges the message; its body may be a JSON object with a "reference" (the portal's
// own identifier of the record), kept in the dossier's history. 408, 425, 429 and 5xx answers
// and network failures are temporary; any other answer is a rejection the portal will repeat,
// which the caller retries far less often and logs as a warning.
type NationalPortal struct {
	Endpoint string
	Token    string
	Client   *http.Client // nil: a client with a 30-second timeout
}

// ParseEndpoint checks a portal endpoint given in the configuration: an absolute http or
// https URL.
func ParseEndpoint(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an http(s) address", s)
	}
	return u.String(), nil
}

// Delivery is the outcome of one message.
type Delivery struct {
	Reference string // the portal's reference, when it gave one
}

// RejectedError is a non-temporary refusal by the portal (a 4xx other than 408, 425 and 429).
type RejectedError struct {
	Status int
	Body   string
}

// Error implements error.
func (e *RejectedError) Error() string {
	return fmt.Sprintf("national portal refused the message: HTTP %d: %s", e.Status, e.Body)
}

// IsRejected reports whether err is the portal's refusal rather than a temporary failure.
func IsRejected(err error) bool {
	var r *RejectedError
	return errors.As(err, &r)
}

// maxAnswer bounds how much of an answer is read.
const maxAnswer = 64 << 10

// Send delivers one message.
func (p *NationalPortal) Send(ctx context.Context, key string, payload []byte) (Delivery, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.Endpoint, bytes.NewReader(payload))
	if err != nil {
		return Delivery{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Idempotency-Key", key)
	if p.Token != "" {
		req.Header.Set("Authorization", "Bearer "+p.Token)
	}
	c := p.Client
	if c == nil {
		c = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return Delivery{}, fmt.Errorf("national portal: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return Delivery{}, fmt.Errorf("national portal: reading the answer: %w", err)
	}
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		var ack struct {
			Reference string `json:"reference"`
		}
		// The reference is optional: an empty or non-JSON body still acknowledges.
		_ = json.Unmarshal(body, &ack)
		return Delivery{Reference: strings.TrimSpace(ack.Reference)}, nil
	case s == http.StatusRequestTimeout, s == http.StatusTooEarly, s == http.StatusTooManyRequests, s >= 500:
		return Delivery{}, fmt.Errorf("national portal: HTTP %d: %s", s, short(body))
	default:
		return Delivery{}, &RejectedError{Status: s, Body: short(body)}
	}
}

// short is an answer body cut for an error message.
func short(b []byte) string {
	s := strings.TrimSpace(string(b))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
