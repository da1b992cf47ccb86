package calendar

import "errors"

// Error kinds, for callers that map them to user-facing (Vietnamese) messages with errors.Is.
// The wrapped message says which value was wrong and why.
var (
	// ErrOutOfRange: a date or year outside the calendar's year range.
	ErrOutOfRange = errors.New("out of the supported year range")
	// ErrNoSuchDate: a calendar or lunar date that does not exist.
	ErrNoSuchDate = errors.New("no such date")
	// ErrInvalidDuration: a duration that cannot be parsed or used.
	ErrInvalidDuration = errors.New("invalid duration")
	// ErrInvalidNotice: a yearly notice that breaks a rule; it changes nothing.
	ErrInvalidNotice = errors.New("invalid notice")
	// ErrInvalidConfig: a configuration or session list that breaks a rule.
	ErrInvalidConfig = errors.New("invalid calendar configuration")
)
