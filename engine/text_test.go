package engine

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{"plain", "claims are failing", "claims are failing", ""},
		{"newlines and tabs stay", "a\n\tb", "a\n\tb", ""},
		{"windows line ends", "a\r\nb", "a\nb", ""},
		{"right-to-left script stays", "שלום مرحبا", "שלום مرحبا", ""},
		{"escape", "\x1b[31mred", "", "U+001B"},
		{"bell", "ding\a", "", "U+0007"},
		{"carriage return", "over\rwrite", "", "U+000D"},
		{"backspace", "a\bb", "", "U+0008"},
		{"nul", "a\x00b", "", "U+0000"},
		{"delete", "a\x7fb", "", "U+007F"},
		{"c1 control", "a\u0085b", "", "U+0085"},
		{"right-to-left override", "invoice\u202Efdp.exe", "", "U+202E"},
		{"left-to-right embedding", "\u202Aa", "", "U+202A"},
		{"first strong isolate", "\u2068a", "", "U+2068"},
		{"invalid utf-8", "a\xffb", "", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CleanText(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("CleanText(%q) = %q, %v; want an error naming %s", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("CleanText(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// FuzzCleanText: whatever comes in, what comes out is valid UTF-8 with no
// control character but newline and tab and no bidirectional control, and
// cleaning it again changes nothing.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "hello", "a\r\nb", "\x1b]0;title\a", "\u202Egnp.exe", "\xff\xfe", "tab\there"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CleanText(s)
		if err != nil {
			if got != "" {
				t.Fatalf("a refusal returned text %q", got)
			}
			return
		}
		if !utf8.ValidString(got) {
			t.Fatalf("%q is not valid UTF-8", got)
		}
		for _, r := range got {
			if (unicode.Is(unicode.Cc, r) && r != '\n' && r != '\t') || bidiControl(r) {
				t.Fatalf("%q kept %U", got, r)
			}
		}
		if again, err := CleanText(got); err != nil || again != got {
			t.Fatalf("cleaning %q again gave %q, %v", got, again, err)
		}
	})
}

// TestTextFieldsCoverEveryString: every string field of an Action (and of
// the string kinds it is made of) is in TextFields exactly once, so the
// door's check cannot miss one added later.
func TestTextFieldsCoverEveryString(t *testing.T) {
	var a Action
	v := reflect.ValueOf(&a).Elem()
	want := map[uintptr]string{}
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.String {
			want[v.Field(i).Addr().Pointer()] = v.Type().Field(i).Name
		}
	}
	seen := map[uintptr]bool{}
	for _, f := range a.TextFields() {
		if f.Ptr == nil {
			t.Fatal("TextFields has an empty slot: textFields is larger than the list")
		}
		p := reflect.ValueOf(f.Ptr).Pointer()
		if seen[p] {
			t.Errorf("%s listed twice", f.Name)
		}
		seen[p] = true
		delete(want, p)
	}
	for _, name := range want {
		t.Errorf("Action.%s is a string TextFields does not list", name)
	}
}
