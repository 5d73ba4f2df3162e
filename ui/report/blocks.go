package report

// The review is written once, as a list of blocks (headings, paragraphs,
// lists, tables, figures), and rendered to Markdown or HTML: the formats
// then cannot drift apart, and each renderer owns its escaping.

// span is a run of inline text.
type span struct {
	kind spanKind
	text string
}

type spanKind uint8

const (
	plain spanKind = iota
	code           // identifiers: names of alerts, records, faults
	strong
	em
)

// text is a cell or line of spans.
type text []span

func txt(s string) text   { return text{{plain, s}} }
func codes(s string) text { return text{{code, s}} }
func bold(s string) text  { return text{{strong, s}} }

// and appends spans.
func (t text) and(more ...span) text { return append(t, more...) }

func p(s string) span  { return span{plain, s} }
func c(s string) span  { return span{code, s} }
func b(s string) span  { return span{strong, s} }
func it(s string) span { return span{em, s} }

// maybeCode prints a name as code, or a dash when there is none.
func maybeCode(s string) text {
	if s == "" {
		return txt("—")
	}
	return codes(s)
}

type block interface{ isBlock() }

type heading struct {
	level int // 1–4
	id    string
	text  string
}

// para is a paragraph; class styles it in HTML ("notice", "lead", "muted").
type para struct {
	text  text
	class string
}

type list struct {
	items   []text
	ordered bool
}

// table is a table; num marks right-aligned (numeric) columns.
type table struct {
	head  []string
	num   []bool
	rows  [][]text
	class string
}

// figure is a chart: SVG for HTML, and for Markdown a plain-text rendering
// (or nothing, when a chart has no useful text form).
type figure struct {
	svg     string
	caption string
	md      string
}

func (heading) isBlock() {}
func (para) isBlock()    {}
func (list) isBlock()    {}
func (table) isBlock()   {}
func (figure) isBlock()  {}

// doc collects blocks.
type doc struct {
	title  string
	blocks []block
}

func (d *doc) h(level int, id, s string) { d.blocks = append(d.blocks, heading{level, id, s}) }
func (d *doc) para(t text)               { d.blocks = append(d.blocks, para{text: t}) }
func (d *doc) paraClass(cl string, t text) {
	d.blocks = append(d.blocks, para{text: t, class: cl})
}
func (d *doc) list(items []text) {
	if len(items) > 0 {
		d.blocks = append(d.blocks, list{items: items})
	}
}
func (d *doc) table(t table) { d.blocks = append(d.blocks, t) }
func (d *doc) fig(f figure)  { d.blocks = append(d.blocks, f) }

// none adds the paragraph that says a section has nothing in it, so an
// empty section still reads as considered rather than forgotten.
func (d *doc) none(s string) { d.paraClass("muted", txt(s)) }
