package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// newCode returns a fresh join or facilitator code: rand.Text's 26 base32
// characters carry 130 bits, so codes cannot be guessed, only handed out.
// They are grouped in fives for reading aloud: "K3F7Q-…".
func newCode() string {
	s := rand.Text()
	var parts []string
	for len(s) > 5 {
		parts = append(parts, s[:5])
		s = s[5:]
	}
	return strings.Join(append(parts, s), "-")
}

// hashCode is how a code is stored and looked up; the code itself is never
// kept. Dashes, spaces and case are forgiven, as people retype codes.
func hashCode(code string) string {
	norm := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}
