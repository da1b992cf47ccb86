package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// Server-rendered SVG charts for the index pages: no script, no chart library. Every chart is
// an image with a <title> and a <desc> (role="img", aria-labelledby), and the page puts the
// same figures in a table beside it, for screen readers and for copying.

// chartBar is one horizontal bar: a label, a value out of max, and the text shown after it.
type chartBar struct {
	Label string
	Value float64
	Max   float64
	Text  string
}

// chartSeq numbers charts so that title and desc ids are unique within a page.
type chartSeq struct{ n int }

// barChart draws horizontal bars, one per row with its label above it, so the chart stays
// legible when scaled down to a phone's width. The chart's own width is 400 units; CSS scales it.
func (c *chartSeq) barChart(title, desc string, bars []chartBar) template.HTML {
	c.n++
	id := "chart-" + strconv.Itoa(c.n)
	const width, row, barH, left = 400.0, 40.0, 14.0, 0.0
	height := row*float64(len(bars)) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-labelledby="%s-t %s-d" viewBox="0 0 %g %g" xmlns="http://www.w3.org/2000/svg">`, id, id, width, height)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, template.HTMLEscapeString(title), id, template.HTMLEscapeString(desc))
	for i, bar := range bars {
		y := float64(i)*row + 4
		frac := 0.0
		if bar.Max > 0 {
			frac = min(max(bar.Value/bar.Max, 0), 1)
		}
		fmt.Fprintf(&b, `<text x="%g" y="%g" class="chart-label">%s</text>`, left, y+14, template.HTMLEscapeString(bar.Label))
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end" class="chart-value">%s</text>`, width, y+14, template.HTMLEscapeString(bar.Text))
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" rx="3" class="chart-track"/>`, left, y+20, width-left, barH)
		if frac > 0 {
			fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%.1f" height="%g" rx="3" class="chart-bar"/>`, left, y+20, (width-left)*frac, barH)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text above is escaped
}

// vnInt formats a count with the Vietnamese thousands separator: 184513 → "184.513".
func vnInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// vnDec formats a figure with a decimal comma and at most 2 decimals: 99.76 → "99,76".
func vnDec(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return strings.Replace(s, ".", ",", 1)
}

// vnRate formats an optional percentage: "99,76%", or "N/A" when there is none.
func vnRate(r *float64) string {
	if r == nil {
		return "N/A"
	}
	return vnDec(*r) + "%"
}
