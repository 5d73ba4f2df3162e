// Package scenarios holds firedrill's built-in scenario library.
package scenarios

import "embed"

// Files holds every built-in scenario, named NAME.hcl after the scenario.
//
//go:embed *.hcl
var Files embed.FS
