package engine

// Tool is one of the responders' own tools. A fault can take tools down (a
// scenario's tools_down): while one is down the query it answers is
// refused, and while telemetry is down no dashboard receives samples.
type Tool string

const (
	ToolTelemetry     Tool = "telemetry"
	ToolLogs          Tool = "logs"
	ToolTraffic       Tool = "traffic"
	ToolVendorChanges Tool = "vendor_changes"
	ToolKnowledge     Tool = "knowledge"
)

// tools is the one table of tools: the query each answers and its name in
// a sentence.
var tools = []struct {
	tool  Tool
	op    Op
	title string
}{
	{ToolTelemetry, OpQueryTelemetry, "the telemetry tool"},
	{ToolLogs, OpQueryLogs, "the log search"},
	{ToolTraffic, OpQueryTraffic, "the traffic view"},
	{ToolVendorChanges, OpQueryVendorChanges, "the vendor change log"},
	{ToolKnowledge, OpSearchKnowledge, "the knowledge base"},
}

// Tools lists every tool.
func Tools() []Tool {
	out := make([]Tool, len(tools))
	for i, t := range tools {
		out[i] = t.tool
	}
	return out
}

// Op is the query the tool answers; "" for an unknown tool.
func (t Tool) Op() Op {
	for _, x := range tools {
		if x.tool == t {
			return x.op
		}
	}
	return ""
}

// Title names the tool in a sentence: "the log search".
func (t Tool) Title() string {
	for _, x := range tools {
		if x.tool == t {
			return x.title
		}
	}
	return string(t)
}

// ToolOf is the tool that answers op, if one does.
func ToolOf(op Op) (Tool, bool) {
	for _, x := range tools {
		if x.op == op {
			return x.tool, true
		}
	}
	return "", false
}
