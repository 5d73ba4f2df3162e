package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The JSON exports are documented by review.schema.json and
// trend.schema.json (with score.schema.json for engine/score's types), in
// JSON Schema 2020-12. These tests hold the exports to them with a small
// validator for the keywords the schemas use: type, const, enum,
// properties, required, additionalProperties, items, minItems, maxItems
// and $ref. Every object is closed (additionalProperties false), so a
// field added to the Review or to engine/score fails here until the schema
// documents it.

type schemaSet map[string]map[string]any // file → parsed schema

func loadSchemas(t *testing.T) schemaSet {
	t.Helper()
	set := schemaSet{}
	for _, name := range []string{"score.schema.json", "review.schema.json", "trend.schema.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var s map[string]any
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		set[name] = s
	}
	return set
}

// resolve follows a $ref, relative to the file it appears in.
func (set schemaSet) resolve(file, ref string) (string, map[string]any, error) {
	target, frag, _ := strings.Cut(ref, "#")
	if target == "" {
		target = file
	}
	node := any(set[target])
	if node == nil {
		return "", nil, fmt.Errorf("$ref %q: no schema file %s", ref, target)
	}
	for _, part := range strings.Split(strings.Trim(frag, "/"), "/") {
		if part == "" {
			continue
		}
		m, ok := node.(map[string]any)
		if !ok {
			return "", nil, fmt.Errorf("$ref %q: %s is not an object", ref, part)
		}
		node = m[part]
	}
	m, ok := node.(map[string]any)
	if !ok {
		return "", nil, fmt.Errorf("$ref %q resolves to nothing", ref)
	}
	return target, m, nil
}

// validate checks v (decoded with UseNumber) against schema s of file.
func (set schemaSet) validate(file string, s map[string]any, v any, path string) []string {
	if ref, ok := s["$ref"].(string); ok {
		f, target, err := set.resolve(file, ref)
		if err != nil {
			return []string{path + ": " + err.Error()}
		}
		return set.validate(f, target, v, path)
	}
	var errs []string
	if c, ok := s["const"]; ok && fmt.Sprint(c) != fmt.Sprint(v) {
		errs = append(errs, fmt.Sprintf("%s: %v, want the constant %v", path, v, c))
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", path, v, enum))
	}
	if ty, ok := s["type"]; ok {
		var types []string
		switch x := ty.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, t := range x {
				types = append(types, t.(string))
			}
		}
		if !slices.ContainsFunc(types, func(t string) bool { return isType(v, t) }) {
			return append(errs, fmt.Sprintf("%s: %s is not of type %v", path, jsonType(v), types))
		}
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asStrings(s["required"]) {
			if _, ok := x[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing required %q", path, r))
			}
		}
		for _, k := range sortedKeys(x) {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, set.validate(file, ps, x[k], path+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Sprintf("%s: %q is not in the schema", path, k))
				}
			case map[string]any:
				errs = append(errs, set.validate(file, ap, x[k], path+"."+k)...)
			}
		}
	case []any:
		if n, ok := s["minItems"].(float64); ok && float64(len(x)) < n {
			errs = append(errs, fmt.Sprintf("%s: %d items, want at least %v", path, len(x), n))
		}
		if n, ok := s["maxItems"].(float64); ok && float64(len(x)) > n {
			errs = append(errs, fmt.Sprintf("%s: %d items, want at most %v", path, len(x), n))
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, it := range x {
				errs = append(errs, set.validate(file, items, it, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return errs
}

func isType(v any, t string) bool {
	switch t {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		return ok && !strings.ContainsAny(n.String(), ".eE")
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	}
	return false
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case json.Number:
		return "number"
	}
	return reflect.TypeOf(v).Kind().String()
}

func asStrings(v any) []string {
	var out []string
	if xs, ok := v.([]any); ok {
		for _, x := range xs {
			out = append(out, x.(string))
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func decodeNumbers(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestJSONMatchesSchema validates the golden review and trend, and a
// review of every built-in scenario, against the schemas.
func TestJSONMatchesSchema(t *testing.T) {
	set := loadSchemas(t)
	check := func(t *testing.T, file string, b []byte) {
		t.Helper()
		for _, e := range set.validate(file, set[file], decodeNumbers(t, b), "$") {
			t.Error(e)
		}
	}
	for _, tc := range []struct{ golden, schema string }{
		{goldenName("json"), "review.schema.json"},
		{"trend.json", "trend.schema.json"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + tc.golden)
			if err != nil {
				t.Fatal(err)
			}
			check(t, tc.schema, b)
		})
	}
	t.Run("discussion and edge shapes", func(t *testing.T) {
		// A review without a reference, metadata or lessons, of every
		// library scenario: fields that are omitted or empty elsewhere.
		inputs := libraryInputs(t)
		for _, name := range slices.Sorted(maps.Keys(inputs)) {
			in := inputs[name]
			var buf bytes.Buffer
			if err := JSON(&buf, in); err != nil {
				t.Fatal(err)
			}
			check(t, "review.schema.json", buf.Bytes())
		}
	})
}

// TestSchemaValidatorCatches makes sure the validator fails what it should.
func TestSchemaValidatorCatches(t *testing.T) {
	set := loadSchemas(t)
	good, err := os.ReadFile("testdata/" + goldenName("json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		mutate func(m map[string]any)
	}{
		{"unknown field", func(m map[string]any) { m["surprise"] = true }},
		{"missing field", func(m map[string]any) { delete(m, "timeline") }},
		{"wrong type", func(m map[string]any) { m["events"] = "many" }},
		{"not exercise data", func(m map[string]any) { m["exercise_data"] = false }},
		{"bad enum deep down", func(m map[string]any) {
			m["waterfall"].([]any)[0].(map[string]any)["phase"] = "MTTR"
		}},
		{"fraction where an integer belongs", func(m map[string]any) {
			m["score"].(map[string]any)["result"].(map[string]any)["t0"] = json.Number("1.5")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := decodeNumbers(t, good).(map[string]any)
			tc.mutate(v)
			if errs := set.validate("review.schema.json", set["review.schema.json"], v, "$"); len(errs) == 0 {
				t.Error("the validator passed it")
			}
		})
	}
}

// TestSchemaDocumented: every property of every schema says what it is.
func TestSchemaDocumented(t *testing.T) {
	for file, s := range loadSchemas(t) {
		var walk func(node any, path string)
		walk = func(node any, path string) {
			switch x := node.(type) {
			case map[string]any:
				if props, ok := x["properties"].(map[string]any); ok {
					for _, k := range sortedKeys(props) {
						p, _ := props[k].(map[string]any)
						if d, _ := p["description"].(string); strings.TrimSpace(d) == "" {
							t.Errorf("%s: %s.%s has no description", file, path, k)
						}
					}
				}
				for _, k := range sortedKeys(x) {
					walk(x[k], path+"/"+k)
				}
			case []any:
				for i, e := range x {
					walk(e, fmt.Sprintf("%s[%d]", path, i))
				}
			}
		}
		walk(s, "")
	}
}
