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
		{"escape in the id", `{"type":"chat","id":"a\u001b[2J","text":"a"}`, false, ""},
		{"override in the id", `{"type":"chat","id":"a\u202e1","text":"a"}`, false, ""},
		{"newline in the id", `{"type":"chat","id":"a\nb","text":"a"}`, false, ""},
		{"duplicate key", `{"type":"chat","id":"d1","text":"hi","text":"bye"}`, false, "d1"},
		{"duplicate key in another case", `{"type":"chat","id":"d2","text":"hi","TEXT":"bye"}`, false, "d2"},
		{"duplicate nested key", `{"type":"action","id":"d3","action":{"op":"chat","op":"page"}}`, false, "d3"},
		{"duplicate type", `{"type":"hello","type":"chat","id":"d4","text":"x"}`, false, "d4"},
		{"same key in sibling objects", `{"type":"action","id":"a2","action":{"op":"acknowledge","record":"INC0001"}}`, true, "a2"},
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

func TestCheckKeys(t *testing.T) {
	tests := []struct {
		json, dup string
	}{
		{`{"a":1,"b":{"a":2},"c":[{"a":1},{"a":1}]}`, ""},
		{`{"a":1,"a":2}`, "a"},
		{`{"a":{"b":1,"b":2}}`, "a.b"},
		{`{"a":[{"b":1},{"c":1,"c":2}]}`, "a[].c"},
		{`{"a":[[{"x":{"y":1,"Y":2}}]]}`, "a[][].x.Y"},
		{`{"k":1,"\u212a":2}`, "\u212a"}, // the Kelvin sign folds to k, as encoding/json matches it
		{`{"a":"b","b":"a"}`, ""},
		{`{"a":{},"b":{},"c":[]}`, ""},
		{`[{"a":1},{"a":1}]`, ""},
	}
	for _, tt := range tests {
		err := CheckKeys([]byte(tt.json))
		var dk *DuplicateKeyError
		switch {
		case tt.dup == "" && err != nil:
			t.Errorf("CheckKeys(%s) = %v, want nil", tt.json, err)
		case tt.dup != "" && (!errors.As(err, &dk) || dk.Path != tt.dup):
			t.Errorf("CheckKeys(%s) = %v, want a duplicate at %q", tt.json, err, tt.dup)
		}
	}
	if err := CheckKeys([]byte(`{"a":`)); err == nil {
		t.Error("CheckKeys took broken JSON")
	}
	f, err := DecodeClient([]byte(`{"type":"chat","id":"d1","text":"hi","text":"bye"}`))
	if err == nil || !strings.Contains(err.Error(), `"text" appears twice`) {
		t.Fatalf("DecodeClient of a duplicate key = %+v, %v; want an error naming text", f, err)
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
// frame, with no key twice and a printable id, or a DecodeError.
func FuzzDecodeClient(f *testing.F) {
	for _, s := range []string{
		`{"type":"hello"}`, `{"type":"action","id":"a","action":{"op":"chat","text":"x"}}`,
		`{"type":"control","id":"c","control":"end"}`, `{"type":"chat","id":"c","text":"/oncall"}`, `{}`, `null`,
		`{"type":"chat","id":"c","text":"a","Text":"b"}`, `{"type":"action","id":"a","action":{"op":"x","op":"y"}}`,
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
		if err := CheckKeys(b); err != nil {
			t.Fatalf("decoded a frame that CheckKeys refuses: %v", err)
		}
		if !printable(fr.ID()) {
			t.Fatalf("decoded a frame whose id %q is not printable", fr.ID())
		}
		if id := fr.ID(); FrameID(b) != id {
			t.Fatalf("FrameID %q, but the frame's id is %q", FrameID(b), id)
		}
	})
}

// TestErrorFromEscapes: an error frame quoting what a client sent never
// carries a control character or a bidirectional control itself.
func TestErrorFromEscapes(t *testing.T) {
	tests := []struct{ reason, want string }{
		{"plain words", "plain words"},
		{"unknown field \"a\x1b[2Jb\"", `unknown field "a\u001B[2Jb"`},
		{"line\nbreak\tand tab", "line\nbreak\tand tab"},
		{"invoice\u202Efdp.exe", `invoice\u202Efdp.exe`},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		if got := ErrorFrom("x", &DecodeError{Reason: tt.reason}).Message; got != tt.want {
			t.Errorf("ErrorFrom(%q) = %q, want %q", tt.reason, got, tt.want)
		}
	}
}
