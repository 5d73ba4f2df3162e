package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeClient(t *testing.T) {
	tests := []struct {
		name  string
		frame string
		ok    bool
		id    string
	}{
		{"hello", `{"type":"hello","resume_after":12}`, true, ""},
		{"action", `{"type":"action","id":"a1","action":{"op":"acknowledge","record":"INC0001"}}`, true, "a1"},
		{"chat", `{"type":"chat","id":"c1","channel":"group:x","text":"hi"}`, true, "c1"},
		{"control", `{"type":"control","id":"k1","control":"speed","speed":10}`, true, "k1"},
		{"not JSON", `{"type":`, false, ""},
		{"array", `[1,2]`, false, ""},
		{"no type", `{"id":"x"}`, false, "x"},
		{"unknown type", `{"type":"nope","id":"x"}`, false, "x"},
		{"unknown field", `{"type":"chat","id":"x","text":"hi","extra":1}`, false, "x"},
		{"two objects", `{"type":"chat","id":"x","text":"a"}{"type":"chat"}`, false, ""},
		{"no id", `{"type":"chat","text":"hi"}`, false, ""},
		{"long id", `{"type":"chat","id":"` + string(make([]byte, 0)) + `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","text":"a"}`, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := DecodeClient([]byte(tt.frame))
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if n := count(f); n != 1 {
					t.Fatalf("%d frame fields set, want 1", n)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("want a DecodeError, got %v", err)
			}
			if de.ID != tt.id {
				t.Errorf("id %q, want %q", de.ID, tt.id)
			}
			if e := ErrorFrom(de.ID, err); e.Code != CodeBadRequest || e.Message == "" {
				t.Errorf("error frame %+v", e)
			}
		})
	}
}

func count(f ClientFrame) int {
	n := 0
	for _, set := range []bool{f.Hello != nil, f.Action != nil, f.Chat != nil, f.Control != nil} {
		if set {
			n++
		}
	}
	return n
}

func TestFrameID(t *testing.T) {
	cases := []struct{ frame, want string }{
		{`{"type":"chat","id":"c7","text":"hi"}`, "c7"},
		{`{"type":"teleport","id":"x"}`, "x"},
		{`{"id":"a1","type":"action","action":{"op":"ack"},"extra":1}`, "a1"},
		{`{"type":"hello"}`, ""},
		{`{"type":"chat","id":7}`, ""},
		{`{"type":"chat","id":"` + strings.Repeat("i", MaxIDLength+1) + `"}`, ""},
		{`not json`, ""},
	}
	for _, c := range cases {
		if got := FrameID([]byte(c.frame)); got != c.want {
			t.Errorf("FrameID(%s) = %q, want %q", c.frame, got, c.want)
		}
	}
}

// FuzzDecodeClient: no input panics, and every input is either exactly one
// frame or a DecodeError.
func FuzzDecodeClient(f *testing.F) {
	for _, s := range []string{
		`{"type":"hello"}`, `{"type":"action","id":"a","action":{"op":"chat","text":"x"}}`,
		`{"type":"control","id":"c","control":"end"}`, `{"type":"chat","id":"c","text":"/oncall"}`, `{}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := DecodeClient(b)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error of type %T", err)
			}
			if de.ID != "" && FrameID(b) != de.ID {
				t.Fatalf("FrameID %q, but the decode error echoes %q", FrameID(b), de.ID)
			}
			return
		}
		if count(fr) != 1 {
			t.Fatalf("decoded %d frames", count(fr))
		}
		if id := fr.ID(); FrameID(b) != id {
			t.Fatalf("FrameID %q, but the frame's id is %q", FrameID(b), id)
		}
	})
}
