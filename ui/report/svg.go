package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Charts are inline SVG written by hand: no script, no font, no external
// reference, and every text escaped. Colours come from the Okabe–Ito
// palette, which stays distinguishable for the common colour-vision
// deficiencies; every series is also named in a legend, never colour alone.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"}

// svgw builds one SVG element.
type svgw struct{ strings.Builder }

func f1(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

func (s *svgw) open(w, h float64, label string) {
	fmt.Fprintf(s, `<svg viewBox="0 0 %s %s" role="img" aria-label="%s">`+"\n", f1(w), f1(h), esc(label))
	s.WriteString("<title>" + esc(label) + "</title>\n")
}

func (s *svgw) close() { s.WriteString("</svg>\n") }

// hatch defines the pattern that fills a bar whose phase never ended; each
// chart has its own id, since ids must be unique in the page.
func (s *svgw) hatch(id string) {
	s.WriteString(`<defs><pattern id="` + id + `" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
		`<rect width="6" height="6" fill="#eef0f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8c959f" stroke-width="2"/></pattern></defs>` + "\n")
}

func (s *svgw) line(x1, y1, x2, y2 float64, class string) {
	fmt.Fprintf(s, `<line x1="%s" y1="%s" x2="%s" y2="%s" class="%s"/>`+"\n", f1(x1), f1(y1), f1(x2), f1(y2), class)
}

func (s *svgw) text(x, y float64, anchor, class, t string) {
	fmt.Fprintf(s, `<text x="%s" y="%s" text-anchor="%s" class="%s">%s</text>`+"\n", f1(x), f1(y), anchor, class, esc(t))
}

// axisStep picks a tick step that gives at most about eight ticks.
func axisStep(span time.Duration) time.Duration {
	for _, m := range []time.Duration{1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 720, 1440} {
		if step := m * time.Minute; span/step <= 8 {
			return step
		}
	}
	return 24 * time.Hour
}

// hm prints a tick label: hours and minutes.
func hm(d time.Duration) string {
	m := int64(d / time.Minute)
	return fmt.Sprintf("%d:%02d", m/60, m%60)
}

// barRow is one row of a bar chart of durations.
type barRow struct {
	label    string
	from, to time.Duration
	par      time.Duration // where the par mark goes, on the axis
	hasPar   bool
	over     bool
	censored bool
	na       bool
	ref      time.Duration // where the reference run's mark goes
	hasRef   bool
	value    string
	title    string
	point    bool // a single instant (impact), drawn as a diamond
}

// barLayout is the geometry of a bar chart: wide for screens and paper,
// narrow (labels above the bars) for phones, where the wide chart's text
// would shrink to nothing.
type barLayout struct {
	w, left, right, top, rowH float64
	labelAbove                bool
}

var (
	wideBars   = barLayout{w: 760, left: 150, right: 120, top: 30, rowH: 28}
	narrowBars = barLayout{w: 400, left: 18, right: 84, top: 30, rowH: 40, labelAbove: true}
)

// legendItem is one entry of a chart's legend: its mark at (x, y) and name.
type legendItem struct {
	mark  func(x, y float64) string
	width float64
	name  string
}

// layoutLegend places legend items in rows that fit between left and right.
func layoutLegend(items []legendItem, left, right float64) (pos [][2]float64, rows int) {
	lx, row := left, 0
	for _, it := range items {
		wd := it.width + 6 + 6.4*float64(len(it.name)) + 14
		if lx+wd > right && lx > left {
			lx, row = left, row+1
		}
		pos = append(pos, [2]float64{lx, float64(row)})
		lx += wd
	}
	return pos, row + 1
}

// chartFrame is what the bar and strip charts share: a time axis along the
// top that ends on a tick, a row per measure below it, and a legend under
// the rows.
type chartFrame struct {
	l          barLayout
	maxT, step time.Duration
	bottom     float64 // of the rows
	legend     []legendItem
	pos        [][2]float64 // of each legend item: x, row
	h          float64      // of the whole chart
}

func newChartFrame(maxT time.Duration, rows int, legend []legendItem, l barLayout) chartFrame {
	if maxT <= 0 {
		maxT = time.Minute
	}
	step := axisStep(maxT)
	// End the axis on a tick, so the last par mark never sits on the edge.
	maxT = (maxT + step - 1) / step * step
	f := chartFrame{l: l, maxT: maxT, step: step, bottom: l.top + l.rowH*float64(rows), legend: legend}
	var lrows int
	f.pos, lrows = layoutLegend(legend, l.left, l.w-10)
	f.h = f.bottom + 28 + 18*float64(lrows)
	return f
}

// x is where a time falls on the axis.
func (f chartFrame) x(d time.Duration) float64 {
	plot := f.l.w - f.l.left - f.l.right
	return f.l.left + plot*float64(d)/float64(f.maxT)
}

// grid draws the ticks, each labelled by tick, and the axis on the left.
func (f chartFrame) grid(s *svgw, tick func(time.Duration) string) {
	for t := time.Duration(0); t <= f.maxT; t += f.step {
		s.line(f.x(t), f.l.top-4, f.x(t), f.bottom, "grid")
		s.text(f.x(t), f.l.top-10, "middle", "small", tick(t))
	}
	s.line(f.l.left, f.l.top-4, f.l.left, f.bottom, "axis")
}

// drawLegend draws the legend under the rows.
func (f chartFrame) drawLegend(s *svgw) {
	for i, it := range f.legend {
		lx, ly := f.pos[i][0], f.bottom+24+18*f.pos[i][1]
		s.WriteString(it.mark(lx, ly))
		s.text(lx+it.width+6, ly+4, "start", "small", it.name)
	}
}

// responsiveBars draws a bar chart twice, wide and narrow; the style sheet
// shows the one that fits the screen (and the wide one on paper).
func responsiveBars(id, label string, rows []barRow, maxT time.Duration, elapsed bool) string {
	return `<div class="wide">` + "\n" + barChart(id, label, rows, maxT, elapsed, wideBars) + "</div>\n" +
		`<div class="narrow">` + "\n" + barChart(id+"-n", label, rows, maxT, elapsed, narrowBars) + "</div>\n"
}

// barChart draws rows of bars on a time axis from 0 to max; elapsed says
// tick labels are times since the start ("+0:15") rather than durations.
func barChart(id, label string, rows []barRow, maxT time.Duration, elapsed bool, l barLayout) string {
	legend := []legendItem{
		{func(x, y float64) string {
			return fmt.Sprintf(`<rect x="%s" y="%s" width="14" height="10" class="good"/>`, f1(x), f1(y-5))
		}, 14, "within par"},
		{func(x, y float64) string {
			return fmt.Sprintf(`<rect x="%s" y="%s" width="14" height="10" class="bad"/>`, f1(x), f1(y-5))
		}, 14, "over par"},
		{func(x, y float64) string {
			return fmt.Sprintf(`<rect x="%s" y="%s" width="14" height="10" fill="url(#%s)" class="open"/>`, f1(x), f1(y-5), id)
		}, 14, "did not happen"},
		{func(x, y float64) string {
			return fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="par"/>`, f1(x+3), f1(y-7), f1(x+3), f1(y+7))
		}, 6, "par"},
	}
	if hasRef(rows) {
		legend = append(legend, legendItem{func(x, y float64) string {
			return fmt.Sprintf(`<circle cx="%s" cy="%s" r="4" class="ref"/>`, f1(x+4), f1(y))
		}, 8, "reference run (expert bots)"})
	}
	f := newChartFrame(maxT, len(rows), legend, l)

	var s svgw
	s.open(l.w, f.h, label)
	s.hatch(id)
	f.grid(&s, func(t time.Duration) string {
		if elapsed {
			return "+" + hm(t)
		}
		return hm(t)
	})
	for i, r := range rows {
		y := l.top + l.rowH*float64(i)
		mid := y + l.rowH/2
		if l.labelAbove {
			mid = y + 27
		}
		s.WriteString("<g>")
		if r.title != "" {
			s.WriteString("<title>" + esc(r.title) + "</title>")
		}
		s.WriteString("\n")
		if l.labelAbove {
			s.text(l.left+4, y+13, "start", "label", r.label)
		} else {
			s.text(l.left-8, mid+4, "end", "label", r.label)
		}
		s.bar(r, f.x, mid, id)
		s.text(l.w-l.right+8, mid+4, "start", "label", r.value)
		s.WriteString("</g>\n")
	}
	f.drawLegend(&s)
	s.close()
	return s.String()
}

// bar draws one row's bar, par mark and reference mark around y = mid.
func (s *svgw) bar(r barRow, x func(time.Duration) float64, mid float64, id string) {
	switch {
	case r.na:
		s.text(x(0)+6, mid+4, "start", "small", "not applicable")
		return
	case r.point:
		fmt.Fprintf(s, `<path d="M%s %sl6 6-6 6-6-6z" class="bad"/>`+"\n", f1(x(r.from)), f1(mid-6))
		return
	}
	x0, x1 := x(r.from), x(r.to)
	if x1-x0 < 2 {
		x1 = x0 + 2
	}
	switch {
	case r.censored:
		fmt.Fprintf(s, `<rect x="%s" y="%s" width="%s" height="14" fill="url(#%s)" class="open"/>`+"\n", f1(x0), f1(mid-7), f1(x1-x0), id)
	case r.hasPar && r.over:
		// Within par in green, the overrun in red, so the bar shows how
		// much of it was over.
		xp := x(r.par)
		fmt.Fprintf(s, `<rect x="%s" y="%s" width="%s" height="14" class="good"/>`+"\n", f1(x0), f1(mid-7), f1(max(xp-x0, 0)))
		fmt.Fprintf(s, `<rect x="%s" y="%s" width="%s" height="14" class="bad"/>`+"\n", f1(xp), f1(mid-7), f1(x1-xp))
	case r.hasPar:
		fmt.Fprintf(s, `<rect x="%s" y="%s" width="%s" height="14" class="good"/>`+"\n", f1(x0), f1(mid-7), f1(x1-x0))
	default:
		fmt.Fprintf(s, `<rect x="%s" y="%s" width="%s" height="14" fill="#6e7781"/>`+"\n", f1(x0), f1(mid-7), f1(x1-x0))
	}
	if r.hasPar {
		s.line(x(r.par), mid-11, x(r.par), mid+11, "par")
	}
	if r.hasRef {
		fmt.Fprintf(s, `<circle cx="%s" cy="%s" r="4" class="ref"/>`+"\n", f1(x(r.ref)), f1(mid))
	}
}

func hasRef(rows []barRow) bool {
	for _, r := range rows {
		if r.hasRef {
			return true
		}
	}
	return false
}

// lineChart draws the error rate of each impacted service over the
// exercise, with the injects above the plot and the key actions below,
// numbered to match the key that follows the chart.
func lineChart(id, label string, ss []series, ms []marker, end, t0, impactEnd time.Duration, hasT0, ended bool) string {
	const w, left, right = 760.0, 56.0, 16.0
	const top = 58.0 // room for the inject markers
	const plotH = 220.0
	plotW := w - left - right
	bottom := top + plotH
	if end <= 0 {
		end = time.Minute
	}
	x := func(d time.Duration) float64 { return left + plotW*float64(d)/float64(end) }
	peak := 0.0
	for _, sr := range ss {
		for _, pt := range sr.points {
			peak = max(peak, pt.v)
		}
	}
	yMax := niceCeil(peak)
	y := func(v float64) float64 { return bottom - plotH*v/yMax }

	// The key actions go in rows below the axis labels; the legend after.
	injRows := placeMarkers(ms, "inject", x)
	actRows := placeMarkers(ms, "action", x)
	nAct := rowsUsed(actRows)
	legendY := bottom + 34 + 20*float64(nAct) + 14
	legendRows := legendLines(ss, w-left-right)
	h := legendY + 18*float64(legendRows) + 6

	var s svgw
	s.open(w, h, label)
	ticks := yTicks(yMax)
	for i := 0; i <= ticks; i++ {
		v := yMax * float64(i) / float64(ticks)
		s.line(left, y(v), w-right, y(v), "grid")
		s.text(left-6, y(v)+4, "end", "small", strconv.FormatFloat(math.Round(1e4*v)/100, 'f', -1, 64)+"%")
	}
	step := axisStep(end)
	for t := time.Duration(0); t <= end; t += step {
		s.line(x(t), bottom, x(t), bottom+4, "axis")
		s.text(x(t), bottom+16, "middle", "small", "+"+hm(t))
	}
	s.line(left, bottom, w-right, bottom, "axis")
	s.line(left, top, left, bottom, "axis")
	if hasT0 {
		s.line(x(t0), top, x(t0), bottom, "t0")
		s.text(x(t0)+4, top+12, "start", "small", "impact starts")
	}
	if ended {
		s.line(x(impactEnd), top, x(impactEnd), bottom, "t0")
		s.text(x(impactEnd)+4, top+12, "start", "small", "impact ends")
	}
	for i, sr := range ss {
		pts := thin(sr.points, int(plotW))
		if len(pts) == 0 {
			continue
		}
		var b strings.Builder
		for j, pt := range pts {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(f1(x(pt.at)) + "," + f1(y(min(pt.v, yMax))))
		}
		fmt.Fprintf(&s, `<polyline points="%s" class="line" stroke="%s"><title>%s</title></polyline>`+"\n",
			b.String(), palette[i%len(palette)], esc(sr.service+": error rate"))
	}
	// Injects above the plot, actions below the axis labels.
	for _, m := range injRows {
		yy := top - 12 - 18*float64(m.row)
		s.markerAt(m, yy, "inject")
	}
	for _, m := range actRows {
		yy := bottom + 34 + 20*float64(m.row)
		s.markerAt(m, yy, "action")
	}
	// Legend: a swatch and a name per service.
	lx, ly := left, legendY
	for i, sr := range ss {
		wd := 26 + 7*float64(len(sr.service))
		if lx+wd > w-right && lx > left {
			lx, ly = left, ly+18
		}
		fmt.Fprintf(&s, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="3"/>`+"\n", f1(lx), f1(ly), f1(lx+16), f1(ly), palette[i%len(palette)])
		s.text(lx+20, ly+4, "start", "small", sr.service)
		lx += wd
	}
	s.close()
	return s.String()
}

// placed is a marker with the row it is drawn in, so that markers close in
// time stack instead of overlapping.
type placed struct {
	marker
	x   float64
	row int
}

func placeMarkers(ms []marker, kind string, x func(time.Duration) float64) []placed {
	const gap = 24.0 // a label's width
	var out []placed
	var last []float64 // per row, the x of the latest marker
	for _, m := range ms {
		if m.kind != kind {
			continue
		}
		px := x(m.at)
		row := -1
		for r, lx := range last {
			if px-lx >= gap {
				row = r
				break
			}
		}
		if row < 0 {
			if len(last) < 3 {
				row = len(last)
				last = append(last, px)
			} else {
				// Three rows full: overlap in the least recent row.
				row = 0
				for r := range last {
					if last[r] < last[row] {
						row = r
					}
				}
			}
		}
		last[row] = px
		out = append(out, placed{m, px, row})
	}
	return out
}

func rowsUsed(ps []placed) int {
	n := 0
	for _, p := range ps {
		n = max(n, p.row+1)
	}
	return n
}

func (s *svgw) markerAt(m placed, y float64, class string) {
	fmt.Fprintf(s, `<g><title>%s</title><rect x="%s" y="%s" width="22" height="14" rx="3" class="%s"/>`,
		esc(m.id+" "+at(m.at)+" "+m.who+": "+m.text), f1(m.x-11), f1(y-10), class)
	fmt.Fprintf(s, `<text x="%s" y="%s" text-anchor="middle" class="tick">%s</text></g>`+"\n", f1(m.x), f1(y+1), esc(m.id))
}

// legendLines counts the rows the service legend needs.
func legendLines(ss []series, width float64) int {
	rows, lx := 1, 0.0
	for _, sr := range ss {
		wd := 26 + 7*float64(len(sr.service))
		if lx+wd > width && lx > 0 {
			rows, lx = rows+1, 0
		}
		lx += wd
	}
	return rows
}

// yTicks divides the axis into steps that print as round percentages.
func yTicks(yMax float64) int {
	switch yMax {
	case 0.75:
		return 3
	case 0.02, 0.2:
		return 4
	}
	return 5
}

// niceCeil rounds a peak error rate up to a readable axis maximum.
func niceCeil(v float64) float64 {
	for _, c := range []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1} {
		if v <= c {
			return c
		}
	}
	return math.Ceil(v)
}

// thin keeps at most two points per pixel column (the lowest and the
// highest, in time order), so a long exercise draws the same shape with a
// bounded number of points.
func thin(pts []point, columns int) []point {
	if len(pts) <= 2*columns || columns <= 0 {
		return pts
	}
	first, last := pts[0].at, pts[len(pts)-1].at
	span := float64(last - first)
	var out []point
	col := -1
	var lo, hi point
	flush := func() {
		if col < 0 {
			return
		}
		if lo.at <= hi.at {
			out = append(out, lo)
			if hi != lo {
				out = append(out, hi)
			}
		} else {
			out = append(out, hi, lo)
		}
	}
	for _, pt := range pts {
		c := int(float64(columns-1) * float64(pt.at-first) / span)
		if c != col {
			flush()
			col, lo, hi = c, pt, pt
			continue
		}
		if pt.v < lo.v {
			lo = pt
		}
		if pt.v > hi.v {
			hi = pt
		}
	}
	flush()
	return out
}

// stripRow is one phase of the trend chart: every run's duration, the
// median with its interval, and the par.
type stripRow struct {
	label          string
	n              int
	dots           []dot
	median, lo, hi time.Duration
	par            time.Duration
	hasPar         bool
}

type dot struct {
	d        time.Duration
	censored bool
	run      string
}

// stripChart draws a strip plot: the distribution of each phase over runs.
func stripChart(label string, rows []stripRow, maxT time.Duration, l barLayout) string {
	legend := []legendItem{
		{func(x, y float64) string {
			return fmt.Sprintf(`<circle cx="%s" cy="%s" r="4" fill="#0072B2" fill-opacity=".55"/>`, f1(x+4), f1(y))
		}, 8, "a run"},
		{func(x, y float64) string {
			return fmt.Sprintf(`<circle cx="%s" cy="%s" r="4" fill="#fff" stroke="#0072B2" stroke-width="1.5"/>`, f1(x+4), f1(y))
		}, 8, "did not happen"},
		{func(x, y float64) string {
			return fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#0b5cad" stroke-width="3"/>`, f1(x+3), f1(y-7), f1(x+3), f1(y+7))
		}, 6, "median"},
		{func(x, y float64) string {
			return fmt.Sprintf(`<rect x="%s" y="%s" width="14" height="10" fill="#cfe3f5"/>`, f1(x), f1(y-5))
		}, 14, "its 95% interval"},
		{func(x, y float64) string {
			return fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="par"/>`, f1(x+3), f1(y-7), f1(x+3), f1(y+7))
		}, 6, "par"},
	}
	f := newChartFrame(maxT, len(rows), legend, l)
	x := f.x
	var s svgw
	s.open(l.w, f.h, label)
	f.grid(&s, hm)
	for i, r := range rows {
		y := l.top + l.rowH*float64(i)
		mid := y + l.rowH/2
		if l.labelAbove {
			mid = y + 27
			s.text(l.left+4, y+13, "start", "label", r.label)
		} else {
			s.text(l.left-8, mid+4, "end", "label", r.label)
		}
		if r.n > 0 {
			fmt.Fprintf(&s, `<rect x="%s" y="%s" width="%s" height="16" fill="#cfe3f5"><title>%s</title></rect>`+"\n",
				f1(x(r.lo)), f1(mid-8), f1(max(x(r.hi)-x(r.lo), 2)), esc(fmt.Sprintf("median %s, 95%% interval %s–%s, n=%d", dur(r.median), dur(r.lo), dur(r.hi), r.n)))
			fmt.Fprintf(&s, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#0b5cad" stroke-width="3"/>`+"\n", f1(x(r.median)), f1(mid-9), f1(x(r.median)), f1(mid+9))
		}
		for _, d := range r.dots {
			fill := `fill="#0072B2" fill-opacity=".55"`
			if d.censored {
				fill = `fill="#fff" stroke="#0072B2" stroke-width="1.5"`
			}
			fmt.Fprintf(&s, `<circle cx="%s" cy="%s" r="4" %s><title>%s</title></circle>`+"\n", f1(x(d.d)), f1(mid), fill, esc(d.run+": "+dur(d.d)))
		}
		if r.hasPar {
			s.line(x(r.par), mid-11, x(r.par), mid+11, "par")
		}
		value := "no runs"
		switch {
		case r.n > 0 && l.labelAbove:
			value = dur(r.median) // the narrow gutter has room for the time only
		case r.n > 0:
			value = "median " + dur(r.median)
		}
		s.text(l.w-l.right+8, mid+4, "start", "small", value)
	}
	f.drawLegend(&s)
	s.close()
	return s.String()
}
