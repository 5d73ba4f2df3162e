package tui

import "github.com/gdamore/tcell/v2"

// styleT is short for the style type in drawing code.
type styleT = tcell.Style

// Styles. Colours carry meaning only together with words, so the console
// reads the same on a monochrome terminal.
var (
	stDefault  = tcell.StyleDefault
	stHeader   = tcell.StyleDefault.Reverse(true)
	stTitle    = tcell.StyleDefault.Bold(true).Underline(true)
	stDim      = tcell.StyleDefault.Dim(true)
	stSelected = tcell.StyleDefault.Reverse(true)
	stTabOn    = tcell.StyleDefault.Reverse(true).Bold(true)
	stError    = tcell.StyleDefault.Foreground(tcell.ColorRed)
	stOK       = tcell.StyleDefault.Foreground(tcell.ColorGreen)
	stWarn     = tcell.StyleDefault.Foreground(tcell.ColorYellow)
	stPage     = tcell.StyleDefault.Foreground(tcell.ColorRed).Bold(true)
	stInject   = tcell.StyleDefault.Foreground(tcell.ColorYellow)
	stBot      = tcell.StyleDefault.Foreground(tcell.ColorTeal)
	stResult   = tcell.StyleDefault.Foreground(tcell.ColorGreen)
	stTruth    = tcell.StyleDefault.Foreground(tcell.ColorFuchsia)
	stDecision = tcell.StyleDefault.Foreground(tcell.ColorAqua).Bold(true)
	stSystem   = tcell.StyleDefault.Foreground(tcell.ColorSilver).Italic(true)
)

// lineStyle is how a feed line of kind k looks.
func lineStyle(l *Line) tcell.Style {
	switch l.Kind {
	case lineCommand:
		if l.Cmd != nil && l.Cmd.State == Failed {
			return stError
		}
		return stDim
	case lineBot:
		return stBot
	case lineInject, lineVendor:
		return stInject
	case linePage, lineAlert:
		return stPage
	case lineResult, lineRemedy:
		return stResult
	case lineDecision:
		return stDecision
	case lineError:
		return stError
	case lineTruth:
		return stTruth
	case lineSystem, lineHelp:
		return stSystem
	}
	return stDefault
}
