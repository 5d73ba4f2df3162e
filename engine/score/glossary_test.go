package score

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateLanguage = flag.Bool("update", false, "rewrite the measures section of engine/scenario/LANGUAGE.md")

const (
	language      = "../scenario/LANGUAGE.md"
	measuresStart = "<!-- measures: generated from engine/score's Phase.Definition by `go test ./engine/score -update`; do not edit by hand -->"
	measuresEnd   = "<!-- end of measures -->"
)

// glossary is the measures section as LANGUAGE.md carries it.
func glossary() string {
	var b strings.Builder
	b.WriteString("\n")
	for _, p := range Phases() {
		b.WriteString("- **" + strings.ToUpper(p.Name()[:1]) + p.Name()[1:] + ".** " + p.Definition() + "\n")
	}
	b.WriteString("\n" + Intervals + "\n")
	return b.String()
}

// TestGlossaryInLanguage: the language reference states every measure's
// definition exactly as the scorer does, so an author and a review read
// the same words.
func TestGlossaryInLanguage(t *testing.T) {
	raw, err := os.ReadFile(language)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	i, j := strings.Index(text, measuresStart), strings.Index(text, measuresEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no measures section between %q and %q", language, measuresStart, measuresEnd)
	}
	got := text[i+len(measuresStart) : j]
	if *updateLanguage {
		text = text[:i+len(measuresStart)] + glossary() + text[j:]
		if err := os.WriteFile(language, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != glossary() {
		t.Errorf("the measures in %s differ from Phase.Definition; run go test ./engine/score -update", language)
	}
}
