package app

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the edges: the web layer maps kinds to HTTP statuses and the CLI
// to exit codes, so a handler never decides a status on its own.
type Kind int

// The error kinds, from the caller's point of view.
const (
	KindInternal        Kind = iota // a bug or an outage: the user sees a generic sentence
	KindInvalid                     // bad input: 400 / 422
	KindNotFound                    // absent or out of the caller's scope: 404
	KindConflict                    // illegal in the current state or a duplicate: 409
	KindStale                       // optimistic concurrency: 412
	KindUnauthenticated             // sign in first: 401
	KindForbidden                   // signed in, not allowed: 403
	KindTooMany                     // rate limited: 429
	KindTooLarge                    // body or file too large: 413
	KindUnavailable                 // a dependency is down: 503
)

// Error is an error with a kind and two safe messages, Vietnamese first. Err keeps the cause
// for the log; it is never shown to users.
type Error struct {
	Kind      Kind
	Code      string            // stable machine code, e.g. "supplement_once"
	MessageVI string            // shown to users
	MessageEN string            // shown to users choosing English and to API clients
	Fields    map[string]string // per-field Vietnamese messages for forms
	Err       error
}

func (e *Error) Error() string {
	msg := e.MessageEN
	if msg == "" {
		msg = e.MessageVI
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", msg, e.Err)
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of a kind with both messages.
func Errorf(kind Kind, code, vi, en string) *Error {
	return &Error{Kind: kind, Code: code, MessageVI: vi, MessageEN: en}
}

// KindOf returns the kind of err: the kind of the first *Error in its chain, else KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
