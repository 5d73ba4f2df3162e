package server

import "testing"

func TestHashCodeForgivesRetyping(t *testing.T) {
	code := newCode()
	want := hashCode(code)
	for _, typed := range []string{
		code,
		normalizeCode(code),
		"  " + code + " ",
		lower(code),
		spaced(code),
	} {
		if got := hashCode(typed); got != want {
			t.Errorf("hashCode(%q) = %s, want the hash of %q", typed, got, code)
		}
	}
	for _, other := range []string{"", code[:len(code)-1], code + "A", newCode()} {
		if hashCode(other) == want {
			t.Errorf("hashCode(%q) matches %q", other, code)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"abc-DEF ghi", "ABCDEFGHI"},
		{"---", ""},
		{"k3f7q-ab2cd", "K3F7QAB2CD"},
		{"é-x", "ÉX"},
	}
	for _, c := range cases {
		if got := normalizeCode(c.in); got != c.want {
			t.Errorf("normalizeCode(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func BenchmarkHashCode(b *testing.B) {
	code := newCode()
	b.ReportAllocs()
	for b.Loop() {
		hashCode(code)
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// spaced writes the code in groups of four with spaces, as someone reading
// it aloud to another might.
func spaced(s string) string {
	var out []byte
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			continue
		}
		if n > 0 && n%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
		n++
	}
	return string(out)
}
