package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The HTML is written XHTML-compatible (every element closed, void
// elements self-closed, only XML's entities), so a strict XML parser is a
// validator here: unbalanced tags, stray "<" or "&", bad attributes all
// fail. On top of that, checkHTML enforces what "self-contained" means: no
// script, no embedded objects, no stylesheet or image links, and no URL
// that leaves the file in any src, href or CSS url().

// forbidden elements: anything that runs code or fetches something.
var forbidden = map[string]bool{
	"script": true, "iframe": true, "object": true, "embed": true, "link": true,
	"img": true, "video": true, "audio": true, "source": true, "base": true, "form": true, "image": true, "use": true,
}

// voids are the HTML elements that must be self-closed for XML.
var voids = map[string]bool{"meta": true, "br": true, "hr": true, "img": true, "input": true, "link": true, "col": true, "wbr": true}

// cssURL finds url(...) in CSS; cssImport finds @import.
var (
	cssURL    = regexp.MustCompile(`url\(\s*['"]?([^'")\s]*)`)
	cssImport = regexp.MustCompile(`@import`)
)

// external reports whether a reference leaves the document: anything but a
// fragment ("#id") or nothing.
func external(ref string) bool {
	ref = strings.TrimSpace(ref)
	return ref != "" && !strings.HasPrefix(ref, "#")
}

// checkHTML parses doc strictly and returns every problem it finds.
func checkHTML(doc []byte) []error {
	var errs []error
	if !bytes.HasPrefix(doc, []byte("<!DOCTYPE html>\n")) {
		errs = append(errs, errors.New("does not start with <!DOCTYPE html>"))
	}
	// URLs may appear in text (a vendor's portal quoted in an inject),
	// never where a browser would fetch them: attributes and CSS below.
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var stack []string
	ids := map[string]bool{}
	seenRoot := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return append(errs, fmt.Errorf("not well-formed: %w", err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if len(stack) == 0 {
				if seenRoot || name != "html" {
					errs = append(errs, fmt.Errorf("root element <%s>, want one <html>", name))
				}
				seenRoot = true
			}
			stack = append(stack, name)
			if forbidden[name] {
				errs = append(errs, fmt.Errorf("<%s> element", name))
			}
			for _, a := range t.Attr {
				an := strings.ToLower(a.Name.Local)
				switch {
				case strings.HasPrefix(an, "on"):
					errs = append(errs, fmt.Errorf("<%s> has an event handler %s", name, an))
				case an == "src" || an == "href" || an == "action" || an == "srcset" || an == "poster" || an == "data" || an == "xmlns":
					if external(a.Value) {
						errs = append(errs, fmt.Errorf("<%s %s=%q> refers outside the file", name, an, a.Value))
					}
				case an == "style" || an == "fill" || an == "stroke":
					for _, m := range cssURL.FindAllStringSubmatch(a.Value, -1) {
						if external(m[1]) {
							errs = append(errs, fmt.Errorf("<%s %s> has url(%s)", name, an, m[1]))
						}
					}
				case an == "id":
					if ids[a.Value] {
						errs = append(errs, fmt.Errorf("duplicate id %q", a.Value))
					}
					ids[a.Value] = true
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] == "style" {
				css := string(t)
				for _, m := range cssURL.FindAllStringSubmatch(css, -1) {
					if external(m[1]) {
						errs = append(errs, fmt.Errorf("style sheet has url(%s)", m[1]))
					}
				}
				if cssImport.MatchString(css) {
					errs = append(errs, errors.New("style sheet has @import"))
				}
			}
		case xml.Directive:
			if !strings.EqualFold(string(t), "DOCTYPE html") {
				errs = append(errs, fmt.Errorf("directive <!%s>", t))
			}
		}
	}
	if !seenRoot {
		errs = append(errs, errors.New("no <html> element"))
	}
	// Void elements written as <br></br> parse as XML but not as HTML.
	for v := range voids {
		if bytes.Contains(doc, []byte("</"+v+">")) {
			errs = append(errs, fmt.Errorf("void element <%s> closed with </%s>", v, v))
		}
	}
	return errs
}

func assertWellFormed(t *testing.T, name string, doc []byte) {
	t.Helper()
	for _, err := range checkHTML(doc) {
		t.Errorf("%s: %v", name, err)
	}
}

// TestCheckHTML makes sure the checker catches what it is for.
func TestCheckHTML(t *testing.T) {
	const head = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/><title>x</title></head><body>"
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"fine", `<p>a &amp; b <a href="#top">top</a></p><svg><rect fill="url(#hatch)"/></svg>`, true},
		{"URL in text is fine", `<p>see https://status.example</p>`, true},
		{"unclosed", `<p>open`, false},
		{"misnested", `<p><strong>x</p></strong>`, false},
		{"raw ampersand", `<p>a & b</p>`, false},
		{"html entity", `<p>&nbsp;</p>`, false},
		{"script", `<script>alert(1)</script>`, false},
		{"external href", `<a href="https://example.com/">x</a>`, false},
		{"protocol-relative src", `<svg><image href="//cdn.example/x.png"/></svg>`, false},
		{"css url", `<div style="background:url(https://example.com/x.png)">x</div>`, false},
		{"event handler", `<p onclick="x()">x</p>`, false},
		{"duplicate id", `<p id="a">x</p><p id="a">y</p>`, false},
		{"void closed HTML-style", `<p>a<br></br>b</p>`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := checkHTML([]byte(head + tc.body + "</body></html>\n"))
			if tc.ok && len(errs) > 0 {
				t.Errorf("flagged a good document: %v", errs)
			}
			if !tc.ok && len(errs) == 0 {
				t.Error("passed a bad document")
			}
		})
	}
}

// TestHTMLSelfContained checks the golden review and trend, and every
// built-in scenario played by bots, whatever its shape (a discussion
// scenario without telemetry, a scenario without alerts).
func TestHTMLSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, fixture(t)); err != nil {
		t.Fatal(err)
	}
	assertWellFormed(t, "review", buf.Bytes())
	buf.Reset()
	if err := Trend(&buf, "html", load(t, goldenScenario), trendRuns(t)); err != nil {
		t.Fatal(err)
	}
	assertWellFormed(t, "trend", buf.Bytes())

	inputs := libraryInputs(t)
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		t.Run(name, func(t *testing.T) {
			for _, format := range Formats {
				var out bytes.Buffer
				if err := Write(&out, format, inputs[name]); err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				if format == "html" {
					assertWellFormed(t, name, out.Bytes())
				}
			}
		})
	}
}

// TestHostileText feeds markup and URLs through every free-text field a
// person types; the HTML must stay well-formed and fetch nothing, and the
// Markdown must not turn them into live HTML or links.
func TestHostileText(t *testing.T) {
	in := fixture(t)
	const evil = `<script>alert("x")</script> <img src="https://evil.example/x.png"/> [link](https://evil.example) | & ]]> --> `
	in.Meta.Facilitator = evil
	in.Meta.Notes = []string{evil, "# not a heading", "- not a list"}
	in.Meta.Participants = append(in.Meta.Participants, Participant{Name: evil, Role: evil})
	in.Meta.ActionItems = append(in.Meta.ActionItems, ActionItem{Action: evil, Owner: evil, Issue: evil})
	var h bytes.Buffer
	if err := HTML(&h, in); err != nil {
		t.Fatal(err)
	}
	assertWellFormed(t, "hostile", h.Bytes())
	for _, format := range []string{"md", "aar"} {
		var m bytes.Buffer
		if err := Write(&m, format, in); err != nil {
			t.Fatal(err)
		}
		// Each must appear only escaped: preceded by a backslash.
		for _, bad := range []string{`<script>`, `<img`, `](https://`, "\n# not a heading", "\n- not a list"} {
			re := regexp.MustCompile(`(^|[^\\])` + regexp.QuoteMeta(bad))
			if re.Match(m.Bytes()) {
				t.Errorf("%s: %q survived unescaped", format, bad)
			}
		}
	}
}
