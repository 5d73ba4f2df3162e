package tui

import (
	"math"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/uniseg"
)

// region is a clipped rectangle of the screen. Drawing outside it does
// nothing, so no layout arithmetic can write past a pane or off a 20×10
// screen.
type region struct {
	s          tcell.Screen
	x, y, w, h int
}

// sub returns the part of r at (x, y) relative to r, clipped to r.
func (r region) sub(x, y, w, h int) region {
	x, y = max(x, 0), max(y, 0)
	w = max(0, min(w, r.w-x))
	h = max(0, min(h, r.h-y))
	return region{s: r.s, x: r.x + x, y: r.y + y, w: w, h: h}
}

// put draws text at (col, row) of r, cut at r's right edge, and returns
// the columns it used.
func (r region) put(col, row int, text string, st tcell.Style) int {
	if row < 0 || row >= r.h || col < 0 || col >= r.w || text == "" {
		return 0
	}
	s, w := fit(text, r.w-col)
	if w > 0 {
		r.s.PutStrStyled(r.x+col, r.y+row, s, st)
	}
	return w
}

// bar fills a row of r with st and draws text on it.
func (r region) bar(row int, text string, st tcell.Style) {
	if row < 0 || row >= r.h {
		return
	}
	used := r.put(0, row, text, st)
	r.put(used, row, blanks(r.w-used), st)
}

// fill paints r with spaces in st.
func (r region) fill(st tcell.Style) {
	for row := range r.h {
		r.put(0, row, blanks(r.w), st)
	}
}

// spaces backs blanks, so padding a row allocates nothing.
var spaces = strings.Repeat(" ", 512)

func blanks(n int) string {
	if n <= 0 {
		return ""
	}
	if n > len(spaces) {
		return strings.Repeat(" ", n)
	}
	return spaces[:n]
}

// fit cuts s to at most w columns, whole grapheme clusters only.
func fit(s string, w int) (string, int) {
	if ascii(s) {
		if len(s) <= w {
			return s, len(s)
		}
		return s[:max(0, w)], max(0, w)
	}
	used, state, i := 0, -1, 0
	rest := s
	for rest != "" {
		var cluster string
		var cw int
		cluster, rest, cw, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if used+cw > w {
			break
		}
		used += cw
		i += len(cluster)
	}
	return s[:i], used
}

// width is how many columns s takes.
func width(s string) int {
	if ascii(s) {
		return len(s)
	}
	return uniseg.StringWidth(s)
}

// ascii reports whether s is printable ASCII, where a byte is a column.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// clean makes untrusted text safe to draw: control characters (escape
// sequences included) become spaces, tabs too. Newlines are kept for wrap.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)) {
			return ' '
		}
		return r
	}, s)
}

// wrap breaks text into lines of at most w columns, at spaces where it
// can, keeping the text's own line breaks. The first line may be shorter
// (first columns) to leave room for a prefix drawn before it.
func wrap(text string, first, w int) []string {
	if w <= 0 {
		return nil
	}
	first = max(1, min(first, w))
	var out []string
	limit := first
	for _, para := range strings.Split(clean(text), "\n") {
		line, lw := "", 0
		for _, word := range strings.Fields(para) {
			ww := width(word)
			switch {
			case lw == 0 && ww <= limit:
				line, lw = word, ww
			case lw > 0 && lw+1+ww <= limit:
				line, lw = line+" "+word, lw+1+ww
			default:
				if lw > 0 {
					out = append(out, line)
					limit = w
				}
				// Break a word longer than a line.
				for ww > limit {
					head, hw := fit(word, limit)
					if hw == 0 {
						break
					}
					out = append(out, head)
					limit = w
					word = word[len(head):]
					ww = width(word)
				}
				line, lw = word, ww
			}
		}
		out = append(out, line)
		limit = w
	}
	return out
}

// sparkBlocks are the eight heights of a sparkline cell.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws the last n values as bars scaled from 0 to the largest
// (at least floor, so noise near zero stays flat).
func sparkline(vals []float64, n int) string {
	return spark(vals, n, 0, 0)
}

// spark scales vals between lo (or their minimum when lo < 0) and their
// maximum, at least floor.
func spark(vals []float64, n int, lo, floor float64) string {
	if n <= 0 || len(vals) == 0 {
		return ""
	}
	if len(vals) > n {
		vals = vals[len(vals)-n:]
	}
	hi, lowest := floor, math.Inf(1)
	for _, v := range vals {
		hi = math.Max(hi, v)
		lowest = math.Min(lowest, v)
	}
	if lo < 0 {
		lo = lowest
	}
	var b strings.Builder
	for _, v := range vals {
		i := 0
		if hi > lo {
			i = int((v - lo) / (hi - lo) * float64(len(sparkBlocks)-1))
		}
		i = max(0, min(i, len(sparkBlocks)-1))
		b.WriteRune(sparkBlocks[i])
	}
	return b.String()
}
