package scenario

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// Loader parses and validates scenario files. It keeps every file it read so
// diagnostics can be printed with their source lines.
type Loader struct {
	parser *hclparse.Parser
}

// NewLoader returns an empty Loader.
func NewLoader() *Loader {
	return &Loader{parser: hclparse.NewParser()}
}

// LoadFile reads, decodes and validates the scenario in path.
func (l *Loader) LoadFile(path string) (*Scenario, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read scenario file",
			Detail:   fmt.Sprintf("%s. Check the path and its permissions.", err),
		}}
	}
	return l.Load(path, src)
}

// Load decodes and validates one scenario from src; filename names it in
// diagnostics. The scenario is returned only when there are no errors.
func (l *Loader) Load(filename string, src []byte) (*Scenario, hcl.Diagnostics) {
	file, diags := l.parser.ParseHCL(src, filename)
	if diags.HasErrors() {
		// Syntax errors leave a body the schema would misread.
		return nil, diags
	}
	sc, more := decodeFile(file)
	diags = append(diags, more...)
	if sc == nil {
		return nil, diags
	}
	sc.Source = src
	diags = append(diags, sc.validate()...)
	sortByPosition(diags)
	if diags.HasErrors() {
		return nil, diags
	}
	sc.foldConditions()
	return sc, diags
}

// WriteDiagnostics prints diags in HCL's format: file, line and column, the
// source line with the range marked, the summary and the detail.
func (l *Loader) WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, width uint, color bool) error {
	return hcl.NewDiagnosticTextWriter(w, l.parser.Files(), width, color).WriteDiagnostics(diags)
}

// Lookup helpers for the engine and the brief. They assume a validated
// scenario, whose references all resolve.

// Group returns the group named name.
func (sc *Scenario) Group(name string) *Group { return find(sc, KindGroup, name, sc.Groups) }

// Service returns the service named name.
func (sc *Scenario) Service(name string) *Service { return find(sc, KindService, name, sc.Services) }

// Rotation returns the rotation named name.
func (sc *Scenario) Rotation(name string) *Rotation {
	return find(sc, KindRotation, name, sc.Rotations)
}

// Vendor returns the vendor named name.
func (sc *Scenario) Vendor(name string) *Vendor { return find(sc, KindVendor, name, sc.Vendors) }

// Alert returns the alert rule named name.
func (sc *Scenario) Alert(name string) *Alert { return find(sc, KindAlert, name, sc.Alerts) }

// Runbook returns the runbook named name.
func (sc *Scenario) Runbook(name string) *Runbook { return find(sc, KindRunbook, name, sc.Runbooks) }

// Fault returns the fault named name.
func (sc *Scenario) Fault(name string) *Fault { return find(sc, KindFault, name, sc.Faults) }

// Remedy returns the remedy named name.
func (sc *Scenario) Remedy(name string) *Remedy { return find(sc, KindRemedy, name, sc.Remedies) }

// Hypothesis finds a hypothesis, declared or implied, by name.
func (sc *Scenario) Hypothesis(name string) *Hypothesis {
	return find(sc, KindHypothesis, name, sc.Hypotheses)
}

// Inject returns the inject named name.
func (sc *Scenario) Inject(name string) *Inject { return find(sc, KindInject, name, sc.Injects) }

// Decision returns the decision named name.
func (sc *Scenario) Decision(name string) *Decision {
	return find(sc, KindDecision, name, sc.Decisions)
}

// People returns every person in the scenario, in the order groups list them.
func (sc *Scenario) People() []string {
	out := make([]string, len(sc.index[KindPerson]))
	for name, i := range sc.index[KindPerson] {
		out[i] = name
	}
	return out
}

// GroupsOf returns the groups a person belongs to, in declaration order.
func (sc *Scenario) GroupsOf(person string) []*Group {
	var out []*Group
	for _, g := range sc.Groups {
		if contains(g.Members, person) {
			out = append(out, g)
		}
	}
	return out
}

// ServiceOwner returns the service-level owner of a service.
func (sc *Scenario) ServiceOwner(s *Service) string {
	if s.Owner != "" {
		return s.Owner
	}
	if g := sc.Group(s.Group.Name); g != nil {
		return g.Owner
	}
	return ""
}

func find[T any](sc *Scenario, k Kind, name string, list []*T) *T {
	if i, ok := sc.index[k][name]; ok {
		return list[i]
	}
	return nil
}

// Resolve loads a scenario given as a file path or as the name of one in
// library (a folder of NAME.hcl files, usually the embedded one). Anything
// that ends in .hcl or contains a path separator is a path.
func (l *Loader) Resolve(arg string, library fs.FS) (*Scenario, hcl.Diagnostics) {
	if strings.HasSuffix(arg, ".hcl") || strings.ContainsRune(arg, os.PathSeparator) {
		return l.LoadFile(arg)
	}
	src, err := fs.ReadFile(library, arg+".hcl")
	if err != nil {
		names, _ := LibraryNames(library)
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unknown scenario",
			Detail:   fmt.Sprintf("There is no built-in scenario %q and no file of that name. Built-in: %s.%s", arg, strings.Join(names, ", "), suggest(arg, names)),
		}}
	}
	return l.Load("scenarios/"+arg+".hcl", src)
}

// LibraryNames lists the scenarios in library by name, sorted.
func LibraryNames(library fs.FS) ([]string, error) {
	entries, err := fs.Glob(library, "*.hcl")
	if err != nil {
		return nil, fmt.Errorf("scenario: list library: %w", err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = strings.TrimSuffix(e, ".hcl")
	}
	sort.Strings(names)
	return names, nil
}

// sortByPosition orders diagnostics as they appear in the file, so people
// can fix them top to bottom.
func sortByPosition(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		if a == nil || b == nil {
			return a != nil
		}
		return a.Start.Byte < b.Start.Byte
	})
}

// RotationMembers returns a rotation's members in order: its own list, else
// its group's members.
func (sc *Scenario) RotationMembers(r *Rotation) []string {
	if len(r.Members) > 0 {
		return r.Members
	}
	if g := sc.Group(r.Group.Name); g != nil {
		return g.Members
	}
	return nil
}

// OnCallOrder returns members in paging order at virtual time t: the person
// holding the pager first, then the rest of the rotation. Shifts are counted
// from midnight of the fiction's first day, so the scenario's start clock
// decides who is on call when the exercise begins.
func OnCallOrder(members []string, shift, startClock, t time.Duration) []string {
	if len(members) == 0 || shift <= 0 {
		return nil
	}
	first := int((startClock+t)/shift) % len(members)
	out := make([]string, len(members))
	for i := range members {
		out[i] = members[(first+i)%len(members)]
	}
	return out
}

// LoadLibrary loads every scenario in library, in name order.
func LoadLibrary(library fs.FS) ([]*Scenario, hcl.Diagnostics) {
	names, err := LibraryNames(library)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list scenarios", Detail: err.Error()}}
	}
	var out []*Scenario
	var diags hcl.Diagnostics
	for _, n := range names {
		sc, more := NewLoader().Resolve(n, library)
		diags = append(diags, more...)
		if sc != nil {
			out = append(out, sc)
		}
	}
	return out, diags
}
