package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost parameters. They are stored inside every hash (PHC
// string format), so raising them later only makes NeedsRehash report old hashes, which are
// then upgraded at the next successful sign-in.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // iterations
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultPasswordParams follow the OWASP minimum for argon2id (19 MiB, 2 passes, 1 lane):
// strong enough for staff passwords while a sign-in still costs a few tens of milliseconds on
// the two-core machines provinces actually run.
var DefaultPasswordParams = PasswordParams{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// MaxPasswordBytes bounds passwords so that a multi-megabyte "password" cannot be used to burn
// CPU in the hash; 256 bytes is far beyond any passphrase a person types.
const MaxPasswordBytes = 256

// MinPasswordRunes is the minimum length ValidatePasswordPolicy accepts.
const MinPasswordRunes = 10

// Limits on parameters read back from a stored hash, so that a corrupted or planted row
// cannot make verification allocate gigabytes or loop for minutes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
	maxKeyLen    = 128
	maxSaltLen   = 64
)

var (
	// ErrPasswordEmpty is returned when hashing an empty password.
	ErrPasswordEmpty = errors.New("password is empty")
	// ErrPasswordTooLong is returned when hashing a password longer than MaxPasswordBytes.
	ErrPasswordTooLong = errors.New("password is too long")
	// ErrMalformedHash is returned when a stored hash is not a PHC argon2id string we accept.
	ErrMalformedHash = errors.New("malformed password hash")
)

// HashPassword hashes pw with argon2id and DefaultPasswordParams and a fresh random salt,
// returning "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (unpadded standard base64).
func HashPassword(pw string) (string, error) {
	return HashPasswordWith(pw, DefaultPasswordParams)
}

// HashPasswordWith is HashPassword with explicit parameters (tests use cheap ones).
func HashPasswordWith(pw string, p PasswordParams) (string, error) {
	if pw == "" {
		return "", ErrPasswordEmpty
	}
	if len(pw) > MaxPasswordBytes {
		return "", ErrPasswordTooLong
	}
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // crypto/rand.Read never fails (Go 1.24+)
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodePHC(p, salt, key), nil
}

// VerifyPassword reports whether pw matches the stored hash, comparing in constant time. An
// empty or over-long password never matches. The error is non-nil only when the stored hash is
// malformed, which the caller should log as an internal fault rather than as a failed sign-in.
func VerifyPassword(encoded, pw string) (bool, error) {
	p, salt, want, err := decodePHC(encoded)
	if err != nil {
		return false, err
	}
	if pw == "" || len(pw) > MaxPasswordBytes {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when a username does not exist, so that the response time
// does not tell an attacker which usernames are real.
var dummyHash = encodePHC(DefaultPasswordParams, make([]byte, DefaultPasswordParams.SaltLen), make([]byte, DefaultPasswordParams.KeyLen))

// DummyVerify spends the same time as VerifyPassword on a default-cost hash and always
// reports false. Call it when the account does not exist.
func DummyVerify(pw string) bool {
	if pw == "" || len(pw) > MaxPasswordBytes {
		pw = "x"
	}
	_, _ = VerifyPassword(dummyHash, pw)
	return false
}

// NeedsRehash reports whether a stored hash was made with parameters other than
// DefaultPasswordParams (or is unreadable), so the caller should store a fresh hash after the
// next successful verification.
func NeedsRehash(encoded string) bool {
	p, salt, key, err := decodePHC(encoded)
	if err != nil {
		return true
	}
	d := DefaultPasswordParams
	return p.Memory != d.Memory || p.Time != d.Time || p.Threads != d.Threads ||
		uint32(len(salt)) != d.SaltLen || uint32(len(key)) != d.KeyLen
}

// ValidatePasswordPolicy checks a new password chosen by an officer. It returns a
// *ValidationError whose Message is Vietnamese.
func ValidatePasswordPolicy(pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordRunes:
		return invalid("password", fmt.Sprintf("shorter than %d characters", MinPasswordRunes),
			fmt.Sprintf("Mật khẩu phải có ít nhất %d ký tự.", MinPasswordRunes))
	case len(pw) > MaxPasswordBytes:
		return invalid("password", fmt.Sprintf("longer than %d bytes", MaxPasswordBytes),
			fmt.Sprintf("Mật khẩu không được dài quá %d ký tự.", MaxPasswordBytes))
	case !utf8.ValidString(pw):
		return invalid("password", "not valid UTF-8", "Mật khẩu chứa ký tự không hợp lệ.")
	case strings.TrimSpace(pw) == "" || allSameRune(pw):
		return invalid("password", "a single repeated character",
			"Mật khẩu không được chỉ gồm một ký tự lặp lại.")
	}
	return nil
}

func allSameRune(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}

func (p PasswordParams) check() error {
	if p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB || p.Time < 1 || p.Time > maxTime ||
		p.Threads < 1 || p.SaltLen < 8 || p.SaltLen > maxSaltLen || p.KeyLen < 16 || p.KeyLen > maxKeyLen {
		return fmt.Errorf("argon2id parameters out of range: %+v", p)
	}
	return nil
}

var b64 = base64.RawStdEncoding

func encodePHC(p PasswordParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

func decodePHC(s string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformedHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", ErrMalformedHash, parts[2])
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return p, nil, nil, ErrMalformedHash
	}
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(params[i], name)
		if !ok {
			return p, nil, nil, ErrMalformedHash
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, params[i])
		}
		switch i {
		case 0:
			p.Memory = uint32(n)
		case 1:
			p.Time = uint32(n)
		case 2:
			if n > 255 {
				return p, nil, nil, ErrMalformedHash
			}
			p.Threads = uint8(n)
		}
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt", ErrMalformedHash)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: hash", ErrMalformedHash)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %v", ErrMalformedHash, err)
	}
	return p, salt, key, nil
}
