package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// mdEscaper escapes what GitHub-flavoured Markdown would read as markup in
// free text: emphasis, links, inline HTML (an escaped "<" opens no tag, so
// ">" may stay), code and table pipes.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, "|", `\|`, "\r", "", "\n", " ",
)

func mdSpans(w *bufio.Writer, t text) {
	for _, s := range t {
		switch s.kind {
		case code:
			mdCode(w, s.text)
		case strong:
			mdDelimited(w, "**", s.text)
		case em:
			mdDelimited(w, "*", s.text)
		default:
			w.WriteString(mdEscaper.Replace(s.text))
		}
	}
}

// mdDelimited writes emphasis with any spaces at its edges moved outside
// the delimiters: CommonMark does not close "**Score: **".
func mdDelimited(w *bufio.Writer, delim, s string) {
	inner := strings.TrimSpace(s)
	if inner == "" {
		w.WriteString(s)
		return
	}
	lead := s[:strings.Index(s, inner)]
	trail := s[len(lead)+len(inner):]
	w.WriteString(lead + delim + mdEscaper.Replace(inner) + delim + trail)
}

// mdCode writes a code span; a name with a backtick gets a longer fence.
// Pipes are escaped even in code, as tables require.
func mdCode(w *bufio.Writer, s string) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "|", `\|`)
	if strings.Contains(s, "`") {
		w.WriteString("`` " + s + " ``")
		return
	}
	w.WriteString("`" + s + "`")
}

// mdLineStart escapes a paragraph's first character when Markdown would
// take it for a heading, list or quote.
func mdLineStart(t text) text {
	if len(t) == 0 || t[0].kind != plain || t[0].text == "" {
		return t
	}
	switch t[0].text[0] {
	case '#', '-', '+', '=', '>':
		out := append(text{}, t...)
		out[0].text = `\` + out[0].text
		return out
	}
	return t
}

// renderMarkdown writes blocks as GitHub-flavoured Markdown.
func renderMarkdown(out io.Writer, d *doc) error {
	w := bufio.NewWriter(out)
	for i, bl := range d.blocks {
		if i > 0 {
			w.WriteByte('\n')
		}
		switch x := bl.(type) {
		case heading:
			w.WriteString(strings.Repeat("#", x.level) + " " + mdEscaper.Replace(x.text) + "\n")
		case para:
			if x.class == "notice" {
				w.WriteString("> ")
			}
			mdSpans(w, mdLineStart(x.text))
			w.WriteByte('\n')
		case list:
			for n, item := range x.items {
				if x.ordered {
					w.WriteString(strconv.Itoa(n+1) + ". ")
				} else {
					w.WriteString("- ")
				}
				mdSpans(w, mdLineStart(item))
				w.WriteByte('\n')
			}
		case table:
			mdTable(w, x)
		case figure:
			if x.md == "" {
				continue
			}
			w.WriteString("```text\n" + x.md)
			if !strings.HasSuffix(x.md, "\n") {
				w.WriteByte('\n')
			}
			w.WriteString("```\n")
			if x.caption != "" {
				w.WriteByte('\n')
				mdSpans(w, text{it(x.caption)})
				w.WriteByte('\n')
			}
		}
	}
	return w.Flush()
}

func mdTable(w *bufio.Writer, t table) {
	w.WriteString("|")
	for _, h := range t.head {
		w.WriteString(" " + mdEscaper.Replace(h) + " |")
	}
	w.WriteString("\n|")
	for i := range t.head {
		if i < len(t.num) && t.num[i] {
			w.WriteString("---:|")
		} else {
			w.WriteString("---|")
		}
	}
	w.WriteByte('\n')
	for _, row := range t.rows {
		w.WriteString("|")
		for _, cell := range row {
			w.WriteByte(' ')
			if len(cell) == 0 {
				w.WriteString(" ")
			}
			mdSpans(w, cell)
			w.WriteString(" |")
		}
		w.WriteByte('\n')
	}
}
