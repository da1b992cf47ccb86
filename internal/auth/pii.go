package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Purposes name what a sealed value is. The purpose is bound into the ciphertext (as AES-GCM
// additional data) and into the blind index, so a phone number cannot be passed off as a
// personal ID by copying one column into another.
const (
	PurposePersonalID = "personal_id"
	PurposePhone      = "phone"
	PurposeTOTPSecret = "totp_secret"
)

// keyLen is the length of every key: AES-256 and a 256-bit HMAC key.
const keyLen = 32

// Keyring holds the keys that protect personal data at rest: one or more AES-256-GCM keys,
// each with a numeric id (the highest id is the primary, used for new data; older ones only
// decrypt), and one separate index key for blind indexes. The index key never rotates with
// the encryption keys, so exact look-ups keep working across a rotation. A Keyring is
// immutable and safe for concurrent use.
type Keyring struct {
	keys     map[uint32]cipher.AEAD
	raw      map[uint32][]byte
	primary  uint32
	indexKey []byte
}

var (
	// ErrUnknownKey means a sealed value names a key id the keyring does not hold.
	ErrUnknownKey = errors.New("unknown encryption key")
	// ErrDecrypt means a sealed value was tampered with, is for another purpose, or is not a
	// sealed value at all.
	ErrDecrypt = errors.New("cannot decrypt")
)

// keyringJSON is the stored form. It is JSON so that it fits a file or an environment
// variable and can be read by a person checking which keys exist.
type keyringJSON struct {
	Version  int            `json:"version"`
	IndexKey string         `json:"index_key"`
	Keys     []keyJSONEntry `json:"keys"`
}

type keyJSONEntry struct {
	ID  uint32 `json:"id"`
	Key string `json:"key"`
}

// GenerateKeyring returns a new keyring with one fresh encryption key (id 1) and a fresh
// index key.
func GenerateKeyring() *Keyring {
	k, err := newKeyring(map[uint32][]byte{1: randomKey()}, randomKey())
	if err != nil {
		panic(err) // fresh keys of the right length cannot fail
	}
	return k
}

func randomKey() []byte {
	b := make([]byte, keyLen)
	rand.Read(b)
	return b
}

func newKeyring(raw map[uint32][]byte, indexKey []byte) (*Keyring, error) {
	if len(raw) == 0 {
		return nil, errors.New("keyring: no encryption key")
	}
	if len(indexKey) != keyLen {
		return nil, fmt.Errorf("keyring: index key is %d bytes, want %d", len(indexKey), keyLen)
	}
	k := &Keyring{keys: map[uint32]cipher.AEAD{}, raw: map[uint32][]byte{}, indexKey: slices.Clone(indexKey)}
	for id, key := range raw {
		if id == 0 {
			return nil, errors.New("keyring: key id 0 is reserved")
		}
		if len(key) != keyLen {
			return nil, fmt.Errorf("keyring: key %d is %d bytes, want %d", id, len(key), keyLen)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %d: %w", id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %d: %w", id, err)
		}
		k.keys[id] = aead
		k.raw[id] = slices.Clone(key)
		k.primary = max(k.primary, id)
	}
	return k, nil
}

// ParseKeyring reads a keyring written by MarshalKeyring (from a file or an environment
// variable; surrounding white space is ignored).
func ParseKeyring(b []byte) (*Keyring, error) {
	var j keyringJSON
	dec := json.NewDecoder(strings.NewReader(strings.TrimSpace(string(b))))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	if dec.More() {
		return nil, errors.New("keyring: trailing data")
	}
	if j.Version != 1 {
		return nil, fmt.Errorf("keyring: unsupported version %d", j.Version)
	}
	idx, err := base64.StdEncoding.DecodeString(j.IndexKey)
	if err != nil {
		return nil, fmt.Errorf("keyring: index_key: %w", err)
	}
	raw := map[uint32][]byte{}
	for i, e := range j.Keys {
		if _, dup := raw[e.ID]; dup {
			return nil, fmt.Errorf("keyring: keys[%d]: duplicate id %d", i, e.ID)
		}
		key, err := base64.StdEncoding.DecodeString(e.Key)
		if err != nil {
			return nil, fmt.Errorf("keyring: keys[%d]: %w", i, err)
		}
		raw[e.ID] = key
	}
	return newKeyring(raw, idx)
}

// MarshalKeyring writes k in the form ParseKeyring reads. The output is secret.
func MarshalKeyring(k *Keyring) ([]byte, error) {
	j := keyringJSON{Version: 1, IndexKey: base64.StdEncoding.EncodeToString(k.indexKey)}
	for _, id := range k.KeyIDs() {
		j.Keys = append(j.Keys, keyJSONEntry{ID: id, Key: base64.StdEncoding.EncodeToString(k.raw[id])})
	}
	out, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	return append(out, '\n'), nil
}

// KeyIDs returns the ids of the encryption keys in increasing order; the last is primary.
func (k *Keyring) KeyIDs() []uint32 {
	ids := make([]uint32, 0, len(k.raw))
	for id := range k.raw {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Primary is the id of the key new values are sealed with.
func (k *Keyring) Primary() uint32 { return k.primary }

// Rotated returns a copy of k with a fresh primary key. Old keys stay for decryption until
// every row has been Resealed and Without removes them (`motcua keys rotate`).
func (k *Keyring) Rotated() *Keyring {
	raw := maps.Clone(k.raw)
	raw[k.primary+1] = randomKey()
	nk, err := newKeyring(raw, k.indexKey)
	if err != nil {
		panic(err) // the existing keys were valid
	}
	return nk
}

// Without returns a copy of k without key id, once nothing is sealed with it any more. The
// primary key cannot be removed.
func (k *Keyring) Without(id uint32) (*Keyring, error) {
	if id == k.primary {
		return nil, fmt.Errorf("keyring: key %d is the primary key", id)
	}
	if _, ok := k.raw[id]; !ok {
		return nil, fmt.Errorf("keyring: key %d: %w", id, ErrUnknownKey)
	}
	raw := maps.Clone(k.raw)
	delete(raw, id)
	return newKeyring(raw, k.indexKey)
}

// additionalData binds a ciphertext to its purpose and key id, so that neither can be
// changed without failing authentication.
func additionalData(purpose string, id uint32) []byte {
	return []byte("motcua/pii/v1\x00" + purpose + "\x00" + strconv.FormatUint(uint64(id), 10))
}

// Seal encrypts plaintext for purpose with the primary key: "k<id>:" followed by
// base64(nonce || AES-256-GCM ciphertext). Each call uses a fresh random nonce, so equal
// values give different ciphertexts (use BlindIndex to find equal values).
func (k *Keyring) Seal(purpose, plaintext string) string {
	return k.sealWith(k.primary, purpose, plaintext)
}

func (k *Keyring) sealWith(id uint32, purpose, plaintext string) string {
	aead := k.keys[id]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	rand.Read(nonce)
	out := aead.Seal(nonce, nonce, []byte(plaintext), additionalData(purpose, id))
	return "k" + strconv.FormatUint(uint64(id), 10) + ":" + base64.StdEncoding.EncodeToString(out)
}

// Open decrypts a value sealed for purpose. It fails with ErrUnknownKey when the key is no
// longer held and ErrDecrypt when the value was altered or sealed for another purpose.
func (k *Keyring) Open(purpose, sealed string) (string, error) {
	id, body, err := splitSealed(sealed)
	if err != nil {
		return "", err
	}
	aead, ok := k.keys[id]
	if !ok {
		return "", fmt.Errorf("key k%d: %w", id, ErrUnknownKey)
	}
	if len(body) < aead.NonceSize()+aead.Overhead() {
		return "", fmt.Errorf("%w: too short", ErrDecrypt)
	}
	ns := aead.NonceSize()
	plain, err := aead.Open(nil, body[:ns], body[ns:], additionalData(purpose, id))
	if err != nil {
		return "", fmt.Errorf("%w: %s value", ErrDecrypt, purpose)
	}
	return string(plain), nil
}

func splitSealed(sealed string) (uint32, []byte, error) {
	prefix, b64body, ok := strings.Cut(sealed, ":")
	idText, hasK := strings.CutPrefix(prefix, "k")
	if !ok || !hasK || idText == "" || idText[0] == '0' || idText[0] == '+' {
		return 0, nil, fmt.Errorf("%w: not a sealed value", ErrDecrypt)
	}
	id, err := strconv.ParseUint(idText, 10, 32)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: key id", ErrDecrypt)
	}
	body, err := base64.StdEncoding.DecodeString(b64body)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: encoding", ErrDecrypt)
	}
	return uint32(id), body, nil
}

// Reseal re-encrypts a sealed value under the primary key, for key rotation. It reports
// whether the value changed; values already under the primary key are returned as they are,
// so a rotation interrupted half way can simply be run again.
func (k *Keyring) Reseal(purpose, sealed string) (string, bool, error) {
	id, _, err := splitSealed(sealed)
	if err != nil {
		return "", false, err
	}
	plain, err := k.Open(purpose, sealed)
	if err != nil {
		return "", false, err
	}
	if id == k.primary {
		return sealed, false, nil
	}
	return k.Seal(purpose, plain), true, nil
}

// BlindIndex returns a keyed hash (hex HMAC-SHA256 under the index key) of value for
// purpose, stored beside the sealed value so that exact look-ups ("dossiers of this personal
// ID") work without decrypting every row. Without the index key it reveals nothing, even for
// a value space as small as 12-digit IDs. Callers normalize value first (trim, no spaces).
func (k *Keyring) BlindIndex(purpose, value string) string {
	m := hmac.New(sha256.New, k.indexKey)
	m.Write([]byte("motcua/index/v1\x00" + purpose + "\x00"))
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
