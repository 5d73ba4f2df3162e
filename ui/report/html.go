package report

import (
	_ "embed"
	"html"
	"html/template"
	"io"
	"strings"
)

// style.css is inlined into every HTML file: the file must open anywhere,
// offline, and make no request (no fonts, no scripts, no images).
//
//go:embed style.css
var styleCSS string

// page is the shell every HTML document shares. html/template escapes what
// goes in; the body is rendered by htmlBlocks, which escapes every text it
// writes, and is XHTML-compatible (void elements closed) so that a strict
// XML parser can check it.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<meta name="generator" content="firedrill"/>
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header>
{{.Head}}</header>
{{if .Nav}}<nav aria-label="Sections"><ol>{{range .Nav}}<li><a href="#{{.ID}}">{{.Text}}</a></li>{{end}}</ol></nav>
{{end}}<main>
{{.Body}}</main>
<footer><p>{{.Footer}}</p></footer>
</body>
</html>
`))

type navItem struct{ ID, Text string }

// renderHTML writes blocks as one self-contained HTML page.
func renderHTML(w io.Writer, d *doc, footer string) error {
	var head, body strings.Builder
	var nav []navItem
	open := false
	// The title and the exercise-data notice come before the section
	// links, so the first thing a reader sees is what this is.
	blocks := d.blocks
	for len(blocks) > 0 {
		if h, ok := blocks[0].(heading); ok && h.level == 1 {
			htmlBlock(&head, h)
		} else if p, ok := blocks[0].(para); ok && p.class == "notice" {
			htmlBlock(&head, p)
		} else {
			break
		}
		blocks = blocks[1:]
	}
	for _, bl := range blocks {
		if h, ok := bl.(heading); ok && h.level == 2 {
			if open {
				body.WriteString("</section>\n")
			}
			body.WriteString(`<section id="` + esc(h.id) + `">` + "\n")
			open = true
			nav = append(nav, navItem{h.id, h.text})
		}
		htmlBlock(&body, bl)
	}
	if open {
		body.WriteString("</section>\n")
	}
	return page.Execute(w, struct {
		Title, Footer string
		CSS           template.CSS
		Nav           []navItem
		Head, Body    template.HTML
	}{d.title, footer, template.CSS(styleCSS), nav, template.HTML(head.String()), template.HTML(body.String())})
}

// esc escapes text for HTML and XML alike (&, <, >, ', ").
func esc(s string) string { return html.EscapeString(s) }

func htmlSpans(b *strings.Builder, t text) {
	for _, s := range t {
		switch s.kind {
		case code:
			b.WriteString("<code>" + esc(s.text) + "</code>")
		case strong:
			b.WriteString("<strong>" + esc(s.text) + "</strong>")
		case em:
			b.WriteString("<em>" + esc(s.text) + "</em>")
		default:
			b.WriteString(esc(s.text))
		}
	}
}

func htmlBlock(b *strings.Builder, bl block) {
	switch x := bl.(type) {
	case heading:
		tag := "h" + string(rune('0'+min(max(x.level, 1), 6)))
		b.WriteString("<" + tag)
		if x.id != "" && x.level != 2 {
			b.WriteString(` id="` + esc(x.id) + `"`)
		}
		b.WriteString(">" + esc(x.text) + "</" + tag + ">\n")
	case para:
		b.WriteString("<p")
		if x.class != "" {
			b.WriteString(` class="` + esc(x.class) + `"`)
		}
		b.WriteString(">")
		htmlSpans(b, x.text)
		b.WriteString("</p>\n")
	case list:
		tag := "ul"
		if x.ordered {
			tag = "ol"
		}
		b.WriteString("<" + tag + ">\n")
		for _, item := range x.items {
			b.WriteString("<li>")
			htmlSpans(b, item)
			b.WriteString("</li>\n")
		}
		b.WriteString("</" + tag + ">\n")
	case table:
		htmlTable(b, x)
	case figure:
		b.WriteString(`<figure class="chart">` + "\n" + x.svg)
		if x.caption != "" {
			b.WriteString("<figcaption>" + esc(x.caption) + "</figcaption>\n")
		}
		b.WriteString("</figure>\n")
	}
}

func htmlTable(b *strings.Builder, t table) {
	b.WriteString(`<div class="scroll"><table`)
	if t.class != "" {
		b.WriteString(` class="` + esc(t.class) + `"`)
	}
	b.WriteString(">\n")
	num := func(i int) bool { return i < len(t.num) && t.num[i] }
	// A key–value table has no header worth a row; Markdown needs one, HTML
	// does not.
	if strings.Join(t.head, "") == "" {
		b.WriteString("<tbody>\n")
		htmlRows(b, t, num)
		b.WriteString("</tbody>\n</table></div>\n")
		return
	}
	b.WriteString("<thead><tr>")
	for i, h := range t.head {
		if num(i) {
			b.WriteString(`<th scope="col" class="num">`)
		} else {
			b.WriteString(`<th scope="col">`)
		}
		b.WriteString(esc(h) + "</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	htmlRows(b, t, num)
	b.WriteString("</tbody>\n</table></div>\n")
}

func htmlRows(b *strings.Builder, t table, num func(int) bool) {
	for _, row := range t.rows {
		b.WriteString("<tr>")
		for i, cell := range row {
			if num(i) {
				b.WriteString(`<td class="num">`)
			} else {
				b.WriteString("<td>")
			}
			htmlSpans(b, cell)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
}
