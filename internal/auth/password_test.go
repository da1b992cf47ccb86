package auth

import (
	"errors"
	"strings"
	"testing"
)

// cheap parameters keep the unit tests fast; the defaults are exercised once.
var testParams = PasswordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPasswordDefaultFormat(t *testing.T) {
	h, err := HashPassword("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not use the PHC argon2id format with default parameters", h)
	}
	if NeedsRehash(h) {
		t.Errorf("NeedsRehash(default hash) = true")
	}
	ok, err := VerifyPassword(h, "mật khẩu đủ dài")
	if err != nil || !ok {
		t.Errorf("VerifyPassword(right) = %v, %v", ok, err)
	}
}

func TestVerifyPassword(t *testing.T) {
	h, err := HashPasswordWith("correct horse battery", testParams)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := HashPasswordWith("correct horse battery", testParams)
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Errorf("two hashes of one password are equal: salt is not random")
	}
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"right", "correct horse battery", true},
		{"wrong", "correct horse batterY", false},
		{"prefix", "correct horse", false},
		{"empty", "", false},
		{"over long", strings.Repeat("a", MaxPasswordBytes+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerifyPassword(h, tt.pw)
			if err != nil {
				t.Fatalf("VerifyPassword: %v", err)
			}
			if got != tt.want {
				t.Errorf("VerifyPassword(%q) = %v, want %v", tt.pw, got, tt.want)
			}
		})
	}
}

func TestHashPasswordRejects(t *testing.T) {
	if _, err := HashPasswordWith("", testParams); !errors.Is(err, ErrPasswordEmpty) {
		t.Errorf("empty: err = %v, want ErrPasswordEmpty", err)
	}
	if _, err := HashPasswordWith(strings.Repeat("x", MaxPasswordBytes+1), testParams); !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("too long: err = %v, want ErrPasswordTooLong", err)
	}
	if _, err := HashPasswordWith(strings.Repeat("x", MaxPasswordBytes), testParams); err != nil {
		t.Errorf("exactly MaxPasswordBytes: %v", err)
	}
	if _, err := HashPasswordWith("abcdefghijk", PasswordParams{Memory: 1 << 30, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}); err == nil {
		t.Errorf("absurd memory parameter accepted")
	}
}

func TestNeedsRehash(t *testing.T) {
	cheap, err := HashPasswordWith("abcdefghijk", testParams)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		hash string
		want bool
	}{
		{"weaker params", cheap, true},
		{"garbage", "not a hash", true},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuu", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NeedsRehash(tt.hash); got != tt.want {
				t.Errorf("NeedsRehash = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	good, err := HashPasswordWith("abcdefghijk", testParams)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	tests := map[string]string{
		"empty":            "",
		"argon2i":          strings.Replace(good, "argon2id", "argon2i", 1),
		"version 16":       strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":      strings.Replace(good, "m=64", "m=99999999", 1),
		"zero time":        strings.Replace(good, "t=1", "t=0", 1),
		"params reordered": strings.Replace(good, "m=64,t=1,p=1", "t=1,m=64,p=1", 1),
		"bad salt":         strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"short hash":       strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"extra field":      good + "$x",
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := VerifyPassword(h, "abcdefghijk"); !errors.Is(err, ErrMalformedHash) {
				t.Errorf("VerifyPassword(%q) err = %v, want ErrMalformedHash", h, err)
			}
		})
	}
}

func TestDummyVerify(t *testing.T) {
	for _, pw := range []string{"", "something", strings.Repeat("a", 300)} {
		if DummyVerify(pw) {
			t.Errorf("DummyVerify(%q) = true", pw)
		}
	}
}

func TestValidatePasswordPolicy(t *testing.T) {
	tests := []struct {
		pw      string
		wantErr bool
	}{
		{"", true},
		{"ngắn quá", true},
		{"123456789", true},
		{"aaaaaaaaaaaa", true},
		{"          ", true},
		{"1234567890", false},
		{"Mật khẩu dài", false},
		{"đđđđđđđđđđ", true},
		{"đăngnhập10", false},
		{strings.Repeat("ab", 129), true},
	}
	for _, tt := range tests {
		t.Run(tt.pw, func(t *testing.T) {
			err := ValidatePasswordPolicy(tt.pw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Field != "password" || !strings.Contains(ve.Message, "Mật khẩu") {
					t.Errorf("err = %#v, want a ValidationError on password with a Vietnamese message", err)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("errors.Is(err, ErrInvalid) = false")
				}
			}
		})
	}
}

func FuzzVerifyPassword(f *testing.F) {
	good, err := HashPasswordWith("abcdefghijk", testParams)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, "abcdefghijk")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "x")
	f.Add("$$$$$", "")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		p, _, _, err := decodePHC(hash)
		if err != nil {
			return
		}
		if p.Memory > 1<<14 || p.Time > 4 { // keep each fuzz run cheap
			return
		}
		ok, err := VerifyPassword(hash, pw)
		if err != nil {
			t.Fatalf("decodable hash failed to verify: %v", err)
		}
		if ok && (pw == "" || len(pw) > MaxPasswordBytes) {
			t.Fatalf("empty or over-long password matched")
		}
	})
}

func BenchmarkHashPasswordDefault(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
