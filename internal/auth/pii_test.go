package auth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSealOpen(t *testing.T) {
	k := GenerateKeyring()
	for _, v := range []string{"019085012345", "0912345678", "", "Nguyễn Văn An"} {
		s := k.Seal(PurposePersonalID, v)
		if !strings.HasPrefix(s, "k1:") {
			t.Errorf("sealed %q lacks the key prefix", s)
		}
		got, err := k.Open(PurposePersonalID, s)
		if err != nil || got != v {
			t.Errorf("Open(Seal(%q)) = %q, %v", v, got, err)
		}
	}
	if a, b := k.Seal(PurposePhone, "0912345678"), k.Seal(PurposePhone, "0912345678"); a == b {
		t.Errorf("two seals of one value are equal: the nonce is not fresh")
	}
}

func TestOpenRejects(t *testing.T) {
	k := GenerateKeyring()
	other := GenerateKeyring()
	s := k.Seal(PurposePersonalID, "019085012345")
	_, body, _ := strings.Cut(s, ":")
	raw, _ := base64.StdEncoding.DecodeString(body)
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 1
		return "k1:" + base64.StdEncoding.EncodeToString(b)
	}
	tests := []struct {
		name    string
		k       *Keyring
		purpose string
		sealed  string
		want    error
	}{
		{"tampered nonce", k, PurposePersonalID, flip(0), ErrDecrypt},
		{"tampered ciphertext", k, PurposePersonalID, flip(15), ErrDecrypt},
		{"tampered tag", k, PurposePersonalID, flip(len(raw) - 1), ErrDecrypt},
		{"wrong purpose", k, PurposePhone, s, ErrDecrypt},
		{"wrong keyring", other, PurposePersonalID, s, ErrDecrypt},
		{"key id changed", k.Rotated(), PurposePersonalID, "k2:" + body, ErrDecrypt},
		{"unknown key", k, PurposePersonalID, "k9:" + body, ErrUnknownKey},
		{"plaintext", k, PurposePersonalID, "019085012345", ErrDecrypt},
		{"no id", k, PurposePersonalID, "k:" + body, ErrDecrypt},
		{"leading zero id", k, PurposePersonalID, "k01:" + body, ErrDecrypt},
		{"bad base64", k, PurposePersonalID, "k1:!!!", ErrDecrypt},
		{"too short", k, PurposePersonalID, "k1:AAAA", ErrDecrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.k.Open(tt.purpose, tt.sealed); !errors.Is(err, tt.want) {
				t.Errorf("Open = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCiphertextHidesDigits(t *testing.T) {
	k := GenerateKeyring()
	for _, id := range []string{"019085012345", "001200000001", "0912345678"} {
		for range 50 {
			s := k.Seal(PurposePersonalID, id)
			if strings.Contains(s, id) || strings.Contains(s, id[len(id)-6:]) {
				t.Fatalf("sealed %q contains the plaintext digits of %s", s, id)
			}
			if ix := k.BlindIndex(PurposePersonalID, id); strings.Contains(ix, id[len(id)-6:]) {
				t.Fatalf("blind index %q contains the plaintext digits", ix)
			}
		}
	}
}

func TestRotation(t *testing.T) {
	k1 := GenerateKeyring()
	sealed := k1.Seal(PurposePhone, "0912345678")
	index := k1.BlindIndex(PurposePhone, "0912345678")

	k2 := k1.Rotated()
	if diff := cmp.Diff([]uint32{1, 2}, k2.KeyIDs()); diff != "" || k2.Primary() != 2 {
		t.Fatalf("after rotation ids %v primary %d", k2.KeyIDs(), k2.Primary())
	}
	if k1.Primary() != 1 {
		t.Errorf("Rotated changed the original keyring")
	}
	resealed, changed, err := k2.Reseal(PurposePhone, sealed)
	if err != nil || !changed || !strings.HasPrefix(resealed, "k2:") {
		t.Fatalf("Reseal = %q, %v, %v", resealed, changed, err)
	}
	again, changed, err := k2.Reseal(PurposePhone, resealed)
	if err != nil || changed || again != resealed {
		t.Errorf("second Reseal = %q, %v, %v; want unchanged", again, changed, err)
	}
	if _, _, err := k2.Reseal(PurposePersonalID, sealed); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Reseal with the wrong purpose = %v", err)
	}
	if got := k2.BlindIndex(PurposePhone, "0912345678"); got != index {
		t.Errorf("blind index changed with the rotation")
	}

	k3, err := k2.Without(1)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k3.Open(PurposePhone, resealed); err != nil || got != "0912345678" {
		t.Errorf("Open after dropping key 1 = %q, %v", got, err)
	}
	if _, err := k3.Open(PurposePhone, sealed); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Open of an old value after dropping its key = %v, want ErrUnknownKey", err)
	}
	if _, err := k3.Without(2); err == nil {
		t.Errorf("dropping the primary key succeeded")
	}
	if _, err := k3.Without(7); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("dropping an absent key = %v", err)
	}

	// Round trip through the stored form.
	b, err := MarshalKeyring(k2)
	if err != nil {
		t.Fatal(err)
	}
	k2b, err := ParseKeyring(b)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k2b.Open(PurposePhone, sealed); err != nil || got != "0912345678" {
		t.Errorf("reparsed keyring Open(old) = %q, %v", got, err)
	}
	if got, err := k2b.Open(PurposePhone, resealed); err != nil || got != "0912345678" {
		t.Errorf("reparsed keyring Open(new) = %q, %v", got, err)
	}
	if k2b.Primary() != 2 || k2b.BlindIndex(PurposePhone, "0912345678") != index {
		t.Errorf("reparsed keyring differs")
	}
}

func TestBlindIndex(t *testing.T) {
	k := GenerateKeyring()
	a := k.BlindIndex(PurposePersonalID, "019085012345")
	if a != k.BlindIndex(PurposePersonalID, "019085012345") {
		t.Errorf("blind index is not deterministic")
	}
	if a == k.BlindIndex(PurposePhone, "019085012345") {
		t.Errorf("blind index ignores the purpose")
	}
	if a == k.BlindIndex(PurposePersonalID, "019085012346") {
		t.Errorf("blind index collides on neighbours")
	}
	if a == GenerateKeyring().BlindIndex(PurposePersonalID, "019085012345") {
		t.Errorf("blind index does not depend on the key")
	}
	if len(a) != 64 {
		t.Errorf("blind index %q is not 64 hex characters", a)
	}
}

func TestParseKeyring(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"valid", `{"version":1,"index_key":"` + key + `","keys":[{"id":1,"key":"` + key + `"},{"id":3,"key":"` + key + `"}]}`, false},
		{"surrounding space", "\n  " + `{"version":1,"index_key":"` + key + `","keys":[{"id":1,"key":"` + key + `"}]}` + "\n", false},
		{"no keys", `{"version":1,"index_key":"` + key + `","keys":[]}`, true},
		{"version 2", `{"version":2,"index_key":"` + key + `","keys":[{"id":1,"key":"` + key + `"}]}`, true},
		{"short key", `{"version":1,"index_key":"` + key + `","keys":[{"id":1,"key":"` + short + `"}]}`, true},
		{"short index key", `{"version":1,"index_key":"` + short + `","keys":[{"id":1,"key":"` + key + `"}]}`, true},
		{"id zero", `{"version":1,"index_key":"` + key + `","keys":[{"id":0,"key":"` + key + `"}]}`, true},
		{"duplicate id", `{"version":1,"index_key":"` + key + `","keys":[{"id":1,"key":"` + key + `"},{"id":1,"key":"` + key + `"}]}`, true},
		{"unknown field", `{"version":1,"index_key":"` + key + `","keys":[{"id":1,"key":"` + key + `"}],"x":1}`, true},
		{"trailing data", `{"version":1,"index_key":"` + key + `","keys":[{"id":1,"key":"` + key + `"}]} {}`, true},
		{"empty", ``, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKeyring([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && k.Primary() != k.KeyIDs()[len(k.KeyIDs())-1] {
				t.Errorf("primary %d is not the newest key of %v", k.Primary(), k.KeyIDs())
			}
		})
	}
}

func FuzzParseKeyring(f *testing.F) {
	b, err := MarshalKeyring(GenerateKeyring().Rotated())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"version":1}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		k, err := ParseKeyring(in)
		if err != nil {
			return
		}
		out, err := MarshalKeyring(k)
		if err != nil {
			t.Fatal(err)
		}
		k2, err := ParseKeyring(out)
		if err != nil {
			t.Fatalf("marshalled keyring does not parse: %v", err)
		}
		s := k.Seal(PurposePhone, "0912345678")
		if got, err := k2.Open(PurposePhone, s); err != nil || got != "0912345678" {
			t.Fatalf("round-tripped keyring cannot open: %q, %v", got, err)
		}
	})
}

func FuzzOpen(f *testing.F) {
	k := GenerateKeyring()
	f.Add(k.Seal(PurposePersonalID, "019085012345"))
	f.Add("k1:AAAA")
	f.Add("k4294967296:AAAA")
	f.Fuzz(func(t *testing.T, sealed string) {
		// Nothing but a value this keyring sealed may open; nothing may panic.
		if v, err := k.Open(PurposePersonalID, sealed); err == nil && v != "019085012345" {
			t.Fatalf("forged value opened to %q", v)
		}
	})
}

func BenchmarkSeal(b *testing.B) {
	k := GenerateKeyring()
	for b.Loop() {
		k.Seal(PurposePersonalID, "019085012345")
	}
}

func BenchmarkOpen(b *testing.B) {
	k := GenerateKeyring()
	s := k.Seal(PurposePersonalID, "019085012345")
	for b.Loop() {
		if _, err := k.Open(PurposePersonalID, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	k := GenerateKeyring()
	for b.Loop() {
		k.BlindIndex(PurposePersonalID, "019085012345")
	}
}
