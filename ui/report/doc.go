// Package report writes the post-exercise review of one exercise, and the
// trend across runs of a scenario, as Markdown, self-contained HTML (inline
// CSS and SVG, no external requests), JSON (documented by review.schema.json
// and trend.schema.json, with score.schema.json for engine/score's types)
// and an after-action report / improvement plan in the layout public-sector
// exercise programmes file (Markdown).
//
// screenshot.sh renders an HTML review in headless Chromium at desktop and
// phone width and saves the PNGs for a person to look at.
//
// The report never recomputes a score (ARCHITECTURE.md, "Packages"): every figure
// comes from engine/score. It only picks events from the log for the
// timeline, the detection and response tables and the charts' series, and
// words and arranges what the scoring found. Output is deterministic: no map
// is iterated unsorted and the wall clock is never read (the date comes in
// Meta), so golden files can pin it byte for byte.
//
// Every export marks itself as exercise data, so it never mixes with
// production incident metrics, and names every measure in words ("time to
// restore"), never by an acronym that means four things in the industry.
package report
