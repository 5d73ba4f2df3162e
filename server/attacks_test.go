package server

// The attacks of the operator-hardening issue ("What was found"), each
// replayed against a real server over HTTP and websockets, with the bound
// that now holds. The memory attack runs against a real `firedrill serve`
// (memory_test.go).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// badRunes are every control character but newline and tab, and every
// bidirectional embedding, override and isolate: what engine.CleanText
// refuses.
func badRunes() []rune {
	var rs []rune
	for r := rune(0); r <= 0x9F; r++ {
		if unicode.Is(unicode.Cc, r) && r != '\n' && r != '\t' {
			rs = append(rs, r)
		}
	}
	for _, span := range [][2]rune{{0x202A, 0x202E}, {0x2066, 0x2069}} {
		for r := span[0]; r <= span[1]; r++ {
			rs = append(rs, r)
		}
	}
	return rs
}

// dirty reports the first rune of any string in a JSON frame (keys
// included) that engine.CleanText would refuse.
func dirty(frame []byte) (rune, bool) {
	var v any
	if err := json.Unmarshal(frame, &v); err != nil {
		return 0, false
	}
	var walk func(any) (rune, bool)
	check := func(s string) (rune, bool) {
		for _, r := range s {
			if r == '\n' || r == '\t' {
				continue
			}
			if unicode.Is(unicode.Cc, r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
				return r, true
			}
		}
		return 0, false
	}
	walk = func(v any) (rune, bool) {
		switch v := v.(type) {
		case string:
			return check(v)
		case []any:
			for _, e := range v {
				if r, ok := walk(e); ok {
					return r, true
				}
			}
		case map[string]any:
			for k, e := range v {
				if r, ok := check(k); ok {
					return r, true
				}
				if r, ok := walk(e); ok {
					return r, true
				}
			}
		}
		return 0, false
	}
	return walk(v)
}

// readClean reads c's frames until the answer to id, failing on any that
// carries a character engine.CleanText refuses, and returns that answer;
// each frame on the way goes to seen, when given.
func readClean(t *testing.T, c *conn, id string, seen ...func(map[string]json.RawMessage)) map[string]json.RawMessage {
	t.Helper()
	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(readTimeout))
		_, b, err := c.ws.ReadMessage()
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if r, ok := dirty(b); ok {
			t.Fatalf("a frame carried %U: %.300q", r, b)
		}
		var f map[string]json.RawMessage
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("frame is not JSON: %.200s", b)
		}
		var fid string
		_ = json.Unmarshal(f["id"], &fid)
		if fid == id {
			return f
		}
		for _, fn := range seen {
			fn(f)
		}
	}
}

func codeOfFrame(f map[string]json.RawMessage) string {
	var typ, code string
	_ = json.Unmarshal(f["type"], &typ)
	_ = json.Unmarshal(f["code"], &code)
	if typ == protocol.TypeAck {
		return "ack"
	}
	return code
}

// TestControlCharactersRefusedOnEveryField: every control character and
// bidirectional control, in every text field of every input a websocket
// carries (an action's every field, a chat's text and channel, a
// control's name and inject, the role, the frame's id), is refused, or
// dropped where the server replaces the field; nobody, the sender
// included, receives it.
func TestControlCharactersRefusedOnEveryField(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.frameBurst = 1 << 20 // thousands of frames at once, none refused for the rate
	resp := create(t, ts, "ana")
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	obs := ts.dial(t, resp.ObserverCode)
	obs.hello(0)
	ana := ts.dial(t, seatCode(t, resp, "ana"))
	ana.hello(0)
	if code := act(fac, "setup", engine.RoleFacilitator, engine.Action{Op: engine.OpCreateIncident, Service: "egress-proxy", Group: "network", Text: "proxy fails", Impact: engine.LevelHigh, Urgency: engine.LevelHigh}); code != "" {
		t.Fatalf("setup: %s", code)
	}
	runes := badRunes()

	type field struct {
		name  string
		frame func(id, value string) any
		want  string // the error code; "" for whatever the rest of the frame earns
	}
	var fields []field
	for _, f := range (&engine.Action{}).TextFields() {
		want := protocol.CodeBadRequest
		if f.Name == "id" {
			want = "" // the server puts the frame's id there
		}
		fields = append(fields, field{"action." + f.Name, func(id, value string) any {
			a := map[string]any{"op": "update_incident", "record": "INC0001", "text": "a note"}
			a[f.Name] = value
			return map[string]any{"type": "action", "id": id, "action": a}
		}, want})
	}
	fields = append(fields,
		field{"action's role", func(id, value string) any {
			return map[string]any{"type": "action", "id": id, "role": value, "action": map[string]any{"op": "acknowledge", "record": "INC0001"}}
		}, protocol.CodeBadRequest},
		field{"chat.text", func(id, value string) any {
			return protocol.Chat{Type: protocol.TypeChat, ID: id, Channel: "command-center", Text: value}
		}, protocol.CodeBadRequest},
		field{"chat.channel", func(id, value string) any {
			return protocol.Chat{Type: protocol.TypeChat, ID: id, Channel: value, Text: "hello"}
		}, protocol.CodeBadRequest},
		field{"control.control", func(id, value string) any {
			return protocol.Control{Type: protocol.TypeControl, ID: id, Control: value}
		}, protocol.CodeBadRequest},
		field{"control.inject", func(id, value string) any {
			return protocol.Control{Type: protocol.TypeControl, ID: id, Control: protocol.ControlFire, Inject: value}
		}, protocol.CodeBadRequest},
	)
	for _, f := range fields {
		t.Run(f.name, func(t *testing.T) {
			fac.t = t
			for i, r := range runes {
				fac.send(f.frame(f.name+"/"+strconv.Itoa(i), "x"+string(r)+"y"))
			}
			for i, r := range runes {
				got := codeOfFrame(readClean(t, fac, f.name+"/"+strconv.Itoa(i)))
				if f.want != "" && got != f.want {
					t.Errorf("%U in %s: %s, want %s", r, f.name, got, f.want)
				}
			}
		})
	}
	t.Run("frame id", func(t *testing.T) {
		fac.t = t
		for _, r := range runes {
			fac.sendRaw(fmt.Appendf(nil, `{"type":"chat","id":"x\u%04x","text":"hi"}`, r))
		}
		fac.sendRaw([]byte(`{"type":"teleport","id":"ids-done"}`))
		refused := 0
		readClean(t, fac, "ids-done", func(f map[string]json.RawMessage) {
			if codeOfFrame(f) == protocol.CodeBadRequest && len(f["id"]) == 0 {
				refused++
			}
		})
		if refused != len(runes) {
			t.Fatalf("%d frames with a control character in their id were refused without echoing it, want %d", refused, len(runes))
		}
	})
	// Nobody else heard any of it either: everything they were sent up to
	// a chat line after the flood is clean.
	for _, c := range []*conn{obs, ana, fac} {
		c.t = t
		c.send(protocol.Chat{Type: protocol.TypeChat, ID: "after", Text: "done"})
		readClean(t, c, "after")
	}
}

// TestLooseFrames: each frame the issue found accepted loosely gets its
// typed error or close.
func TestLooseFrames(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "ana")
	code := seatCode(t, resp, "ana")

	t.Run("binary frame closes 1003", func(t *testing.T) {
		c := ts.dial(t, code)
		c.hello(0)
		if err := c.ws.WriteMessage(websocket.BinaryMessage, []byte(`{"type":"chat","id":"b1","text":"hi"}`)); err != nil {
			t.Fatal(err)
		}
		f := c.until(protocol.TypeClosing, "")
		if !strings.Contains(string(f["reason"]), "binary") {
			t.Errorf("closing reason %s", f["reason"])
		}
		if err := c.closeError(); !websocket.IsCloseError(err, websocket.CloseUnsupportedData) {
			t.Fatalf("closed with %v, want 1003 (unsupported data)", err)
		}
	})
	t.Run("binary frame before hello closes 1003", func(t *testing.T) {
		c := ts.dial(t, code)
		if err := c.ws.WriteMessage(websocket.BinaryMessage, []byte{0xff, 0x00}); err != nil {
			t.Fatal(err)
		}
		if err := c.closeError(); !websocket.IsCloseError(err, websocket.CloseUnsupportedData) {
			t.Fatalf("closed with %v, want 1003 (unsupported data)", err)
		}
	})

	c := ts.dial(t, code)
	c.hello(0)
	for _, tt := range []struct {
		name, frame, id, code, says string
	}{
		{"duplicate key", `{"type":"chat","id":"d1","channel":"group:claims","text":"hi","text":"bye"}`, "d1", protocol.CodeBadRequest, `"text" appears twice`},
		{"duplicate key in another case", `{"type":"chat","id":"d2","text":"hi","Text":"bye"}`, "d2", protocol.CodeBadRequest, `"Text" appears twice`},
		{"duplicate nested key", `{"type":"action","id":"d3","action":{"op":"acknowledge","record":"INC0001","record":"INC0002"}}`, "d3", protocol.CodeBadRequest, `"action.record" appears twice`},
		{"duplicate id", `{"type":"chat","id":"d4","id":"d5","text":"hi"}`, "d5", protocol.CodeBadRequest, `"id" appears twice`},
		{"unknown field", `{"type":"chat","id":"u1","text":"hi","colour":"red"}`, "u1", protocol.CodeBadRequest, "colour"},
		{"trailing data", `{"type":"chat","id":"t1","text":"hi"} {}`, "", protocol.CodeBadRequest, "JSON"},
		{"text over its budget", `{"type":"chat","id":"o1","channel":"group:claims","text":"` + strings.Repeat("x", engine.DefaultLimits().TextBytes+1) + `"}`, "o1", protocol.CodeOverBudget, "limit for one text field"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			c.sendRaw([]byte(tt.frame))
			for {
				typ, f := c.next()
				var id, code, msg string
				_ = json.Unmarshal(f["id"], &id)
				if typ != protocol.TypeError || id != tt.id {
					continue
				}
				_ = json.Unmarshal(f["code"], &code)
				_ = json.Unmarshal(f["message"], &msg)
				if code != tt.code || !strings.Contains(msg, tt.says) {
					t.Fatalf("got %s %q, want %s saying %q", code, msg, tt.code, tt.says)
				}
				return
			}
		})
	}

	t.Run("resume_after beyond the log", func(t *testing.T) {
		w := ts.dial(t, code).hello(0)
		r := ts.dial(t, code)
		r.send(protocol.Hello{Type: protocol.TypeHello, ResumeAfter: w.LastSeq + 1000})
		f := r.until(protocol.TypeError, "")
		var got, msg string
		_ = json.Unmarshal(f["code"], &got)
		_ = json.Unmarshal(f["message"], &msg)
		if got != protocol.CodeBadRequest || !strings.Contains(msg, "last event of this exercise, "+strconv.FormatUint(w.LastSeq, 10)) {
			t.Fatalf("got %s %q, want bad_request naming the last seq %d", got, msg, w.LastSeq)
		}
		if err := r.closeError(); !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
			t.Fatalf("closed with %v, want 1008", err)
		}
		// At the last seq exactly is a resume with nothing to send.
		again := ts.dial(t, code)
		if got := again.hello(w.LastSeq); got.LastSeq < w.LastSeq {
			t.Fatalf("resume at the last seq: welcome %+v", got)
		}
	})

	t.Run("frame over the read limit closes 1009", func(t *testing.T) {
		big := ts.dial(t, code)
		big.hello(0)
		big.sendRaw([]byte(`{"type":"chat","id":"big","text":"` + strings.Repeat("x", readLimit) + `"}`))
		if err := big.closeError(); !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
			t.Fatalf("closed with %v, want 1009", err)
		}
	})
}

// TestSeatFloodBoundedByBudget: a seat sends chat lines until its budget
// refuses them, and goes on; each refusal is over_budget naming the
// limit, nothing it had stored is lost, and the database grows by the
// budget (stored twice: the input log and the event log), the record of
// each line taken, and the one line the exercise refused: the lines after
// it are refused before they reach the exercise, and nothing of them is
// stored.
func TestSeatFloodBoundedByBudget(t *testing.T) {
	const (
		text   = 1 << 10
		budget = 16 << 10
	)
	limits := engine.Limits{TextBytes: text, SeatBytes: budget, ExerciseBytes: 1 << 20}
	ts := newTestServerWith(t, store.DriverSQLite, func(c *Config) { c.Limits = limits })
	ts.srv.frameBurst = 1 << 20
	resp := create(t, ts, "kim")
	kim := ts.dial(t, seatCode(t, resp, "kim"))
	kim.hello(0)
	ctx := context.Background()
	before, err := ts.st.LogBytes(ctx, resp.ID)
	if err != nil {
		t.Fatal(err)
	}

	const frames = budget/text + 40
	line := strings.Repeat("x", text)
	for i := range frames {
		kim.send(protocol.Chat{Type: protocol.TypeChat, ID: "f" + strconv.Itoa(i), Channel: "group:network", Text: line})
	}
	accepted := 0
	for i := range frames {
		f := kim.until("", "f"+strconv.Itoa(i))
		switch code := codeOfFrame(f); code {
		case "ack":
			accepted++
			if i >= budget/text {
				t.Fatalf("line %d was taken past the budget", i)
			}
		case protocol.CodeOverBudget:
			var msg string
			_ = json.Unmarshal(f["message"], &msg)
			if !strings.Contains(msg, "16384 bytes per seat") {
				t.Fatalf("refusal %q does not name the limit", msg)
			}
		default:
			t.Fatalf("line %d: %s", i, code)
		}
	}
	if accepted != budget/text {
		t.Fatalf("%d lines taken, want %d: the budget's worth", accepted, budget/text)
	}
	// Nothing taken is lost, and another seat still talks.
	after, err := ts.st.LogBytes(ctx, resp.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Beside its text, a line taken stores its input's and its event's
	// record, a few hundred bytes; the refused one, its input whole.
	const record = 500
	bound := int64(2*budget + (accepted+1)*record + text)
	if grown := after - before; grown > bound {
		t.Fatalf("a seat with a budget of %d bytes sent %d lines of %d: the logs grew by %d bytes, more than %d", budget, frames, text, grown, bound)
	} else {
		t.Logf("a seat with a budget of %d bytes sent %d lines of %d: the logs grew by %d bytes (bound %d)", budget, frames, text, grown, bound)
	}
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	fac.send(protocol.Chat{Type: protocol.TypeChat, ID: "fac", Channel: "group:network", Text: "still here"})
	fac.until(protocol.TypeAck, "fac")
}

// TestBudgetsSurviveRestart: an exercise's budgets are stored with it, so
// a server restarted with larger ones still refuses its seats at the
// budget it was created with.
func TestBudgetsSurviveRestart(t *testing.T) {
	small := engine.Limits{TextBytes: 100, SeatBytes: 1000, ExerciseBytes: 10000}
	ts := newTestServerWith(t, store.DriverSQLite, func(c *Config) { c.Limits = small })
	resp := create(t, ts, "kim")
	if err := ts.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	restarted := serveStoreWith(t, ts.st, func(c *Config) { c.Limits = engine.DefaultLimits() })
	if _, err := restarted.srv.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	kim := restarted.dial(t, seatCode(t, resp, "kim"))
	kim.hello(0)
	if code := act(kim, "long", "", engine.Action{Op: engine.OpChat, Channel: "group:network", Text: strings.Repeat("x", 101)}); code != protocol.CodeOverBudget {
		t.Fatalf("a 101-byte line after the restart: %s, want over_budget (the stored limit of 100)", orAck(code))
	}
	// A new exercise takes the restarted server's budgets.
	fresh := create(t, restarted, "kim")
	kim2 := restarted.dial(t, seatCode(t, fresh, "kim"))
	kim2.hello(0)
	if code := act(kim2, "long", "", engine.Action{Op: engine.OpChat, Channel: "group:network", Text: strings.Repeat("x", 101)}); code != "" {
		t.Fatalf("a 101-byte line on a new exercise: %s, want an ack", code)
	}
}

// TestExercisesPerServer: past MaxExercises a create is refused with a
// typed error, 503 over HTTP, and nothing is stored.
func TestExercisesPerServer(t *testing.T) {
	ts := newTestServerWith(t, store.DriverSQLite, func(c *Config) { c.MaxExercises = 2 })
	create(t, ts)
	create(t, ts)
	if _, err := ts.srv.Create(context.Background(), CreateRequest{Scenario: "egress-proxy-saturation"}); !errors.Is(err, ErrAtCapacity) {
		t.Fatalf("a third exercise: %v, want ErrAtCapacity", err)
	}
	res := postCreate(t, ts.http.URL, `{"scenario":"egress-proxy-saturation"}`, nil)
	if res.status != http.StatusServiceUnavailable || res.code != protocol.CodeUnavailable || !strings.Contains(res.message, "--max-exercises") {
		t.Fatalf("POST past the cap: %+v, want 503 unavailable naming --max-exercises", res)
	}
	if exs, err := ts.st.Exercises(context.Background(), ""); err != nil || len(exs) != 2 {
		t.Fatalf("stored %d exercises (%v), want 2", len(exs), err)
	}
}

type createResult struct {
	status        int
	code, message string
}

// postCreate POSTs body to /api/exercises, with the query when given and
// the headers given (Content-Type application/json unless they say
// otherwise, Host when they name one).
func postCreate(t *testing.T, base, body string, header http.Header, query ...string) createResult {
	t.Helper()
	u := base + "/api/exercises"
	if len(query) > 0 && query[0] != "" {
		u += "?" + query[0]
	}
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	if h := header.Get("Host"); h != "" {
		req.Host = h
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e protocol.Error
	_ = json.NewDecoder(res.Body).Decode(&e)
	return createResult{status: res.StatusCode, code: e.Code, message: e.Message}
}

// TestCreateGuarded: creating an exercise needs JSON, a trusted origin and
// the admin token in the header when one is set; a web page elsewhere
// cannot create one with a form's text/plain POST.
func TestCreateGuarded(t *testing.T) {
	const token = "admin-s3cret"
	ts := newTestServerWith(t, store.DriverSQLite, func(c *Config) {
		c.AdminToken = token
		c.Origins = []string{"https://drill.example.com"}
	})
	own := ts.http.URL // the server's own origin: Host is 127.0.0.1:port
	body := `{"scenario":"egress-proxy-saturation"}`
	auth := "Bearer " + token
	tests := []struct {
		name   string
		header http.Header
		query  string
		status int
	}{
		{"cross-origin text/plain", http.Header{"Origin": {"https://evil.example"}, "Content-Type": {"text/plain"}, "Authorization": {auth}}, "", http.StatusForbidden},
		{"cross-origin JSON", http.Header{"Origin": {"https://evil.example"}, "Authorization": {auth}}, "", http.StatusForbidden},
		{"origin null", http.Header{"Origin": {"null"}, "Authorization": {auth}}, "", http.StatusForbidden},
		{"text/plain without an origin", http.Header{"Content-Type": {"text/plain"}, "Authorization": {auth}}, "", http.StatusUnsupportedMediaType},
		{"form", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Authorization": {auth}}, "", http.StatusUnsupportedMediaType},
		{"no content type", http.Header{"Content-Type": {""}, "Authorization": {auth}}, "", http.StatusUnsupportedMediaType},
		{"no token", http.Header{}, "", http.StatusUnauthorized},
		{"wrong token", http.Header{"Authorization": {"Bearer nope"}}, "", http.StatusUnauthorized},
		{"token in the query", http.Header{}, "code=" + token, http.StatusUnauthorized},
		{"token as another scheme", http.Header{"Authorization": {"Basic " + token}}, "", http.StatusUnauthorized},
		{"duplicate key", http.Header{"Authorization": {auth}}, "", http.StatusBadRequest},
		{"own origin", http.Header{"Origin": {own}, "Authorization": {auth}}, "", http.StatusCreated},
		{"listed origin", http.Header{"Origin": {"https://drill.example.com"}, "Authorization": {auth}}, "", http.StatusCreated},
		{"a program", http.Header{"Authorization": {auth}, "Content-Type": {"application/json; charset=utf-8"}}, "", http.StatusCreated},
	}
	created := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := body
			if tt.name == "duplicate key" {
				b = `{"scenario":"egress-proxy-saturation","scenario":"vendor-api-change"}`
			}
			res := postCreate(t, ts.http.URL, b, tt.header, tt.query)
			if res.status != tt.status {
				t.Fatalf("status %d (%s: %s), want %d", res.status, res.code, res.message, tt.status)
			}
			if tt.status == http.StatusCreated {
				created++
			}
		})
	}
	if exs, err := ts.st.Exercises(context.Background(), ""); err != nil || len(exs) != created {
		t.Fatalf("stored %d exercises (%v), want the %d created", len(exs), err, created)
	}
}

// TestCreateBeyondLoopbackNeedsToken: a server listening beyond loopback
// does not start without an admin token, unless told anyone may create.
func TestCreateBeyondLoopbackNeedsToken(t *testing.T) {
	st := openStore(t, t.TempDir()+"/fd.db")
	for _, tt := range []struct {
		listen string
		token  string
		open   bool
		err    error
	}{
		{"0.0.0.0:7400", "", false, ErrOpenCreate},
		{":7400", "", false, ErrOpenCreate},
		{"[::]:7400", "", false, ErrOpenCreate},
		{"10.1.2.3:7400", "", false, ErrOpenCreate},
		{"drill.example.com:7400", "", false, ErrOpenCreate},
		{"0.0.0.0:7400", "t", false, nil},
		{"0.0.0.0:7400", "", true, nil},
		{"127.0.0.1:7400", "", false, nil},
		{"[::1]:7400", "", false, nil},
		{"localhost:7400", "", false, nil},
		{"", "", false, nil},
	} {
		_, err := New(Config{Store: st, Listen: tt.listen, AdminToken: tt.token, OpenCreate: tt.open})
		if !errors.Is(err, tt.err) {
			t.Errorf("New(listen %q, token %v, open %v) = %v, want %v", tt.listen, tt.token != "", tt.open, err, tt.err)
		}
	}
}

// TestHostAllowList: a request whose Host is not a name of the server is
// refused before any handler, so a page that rebinds its own name to the
// server's address (Host and Origin both its own) reaches nothing; probes
// answer whatever the Host.
func TestHostAllowList(t *testing.T) {
	ts := newTestServerWith(t, store.DriverSQLite, func(c *Config) {
		c.Listen = "0.0.0.0:7400"
		c.OpenCreate = true
		c.Hosts = []string{"drill.internal"}
		c.Origins = []string{"https://console.example.com"}
	})
	resp := create(t, ts, "ana")
	code := seatCode(t, resp, "ana")
	for _, tt := range []struct {
		host   string
		path   string
		status int
	}{
		{"attacker.example:7400", "/api/exercises/" + resp.ID, http.StatusMisdirectedRequest},
		{"attacker.example", "/metrics", http.StatusMisdirectedRequest},
		{"attacker.example:7400", "/ws", http.StatusMisdirectedRequest},
		{"localhost.attacker.example", "/api/exercises/" + resp.ID, http.StatusMisdirectedRequest},
		{"127.0.0.1.nip.io:7400", "/api/exercises/" + resp.ID, http.StatusMisdirectedRequest},
		{"attacker.example", "/healthz", http.StatusOK},
		{"10.9.8.7:7400", "/api/exercises/" + resp.ID, http.StatusOK}, // an address cannot be rebound
		{"[fd00::1]:7400", "/api/exercises/" + resp.ID, http.StatusOK},
		{"localhost:7400", "/api/exercises/" + resp.ID, http.StatusOK},
		{"DRILL.internal.:7400", "/api/exercises/" + resp.ID, http.StatusOK},
		{"console.example.com", "/api/exercises/" + resp.ID, http.StatusOK},
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.http.URL+tt.path, nil)
		req.Host = tt.host
		req.Header.Set("Authorization", "Bearer "+code)
		req.Header.Set("Origin", "http://"+tt.host)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("GET %s with Host %q: %d, want %d", tt.path, tt.host, res.StatusCode, tt.status)
		}
	}
	// The rebinding page's create, Host and Origin agreeing.
	res := postCreate(t, ts.http.URL, `{"scenario":"egress-proxy-saturation"}`, http.Header{"Host": {"attacker.example:7400"}, "Origin": {"http://attacker.example:7400"}})
	if res.status != http.StatusMisdirectedRequest {
		t.Fatalf("a rebound create: %+v, want 421", res)
	}

	// On loopback, the server answers to loopback names only.
	lo := newTestServer(t)
	for host, want := range map[string]int{"127.0.0.1": http.StatusOK, "[::1]:80": http.StatusOK, "localhost": http.StatusOK, "10.9.8.7": http.StatusMisdirectedRequest, "rebind.example": http.StatusMisdirectedRequest} {
		req, _ := http.NewRequest(http.MethodGet, lo.http.URL+"/metrics", nil)
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("a loopback server, Host %q: %d, want %d", host, res.StatusCode, want)
		}
	}
}

// TestCodesInHeaderOnly: the HTTP API reads a code from the Authorization
// header alone; ?code= opens the websocket only, for browsers.
func TestCodesInHeaderOnly(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "ana")
	code := seatCode(t, resp, "ana")
	res, err := http.Get(ts.http.URL + "/api/exercises/" + resp.ID + "?code=" + code)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET with ?code=: %d, want 401", res.StatusCode)
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.http.URL, "http")+"/ws?code="+code, nil)
	if err != nil {
		t.Fatalf("websocket with ?code=: %v", err)
	}
	ws.Close()
}

// TestGetDoesNotCommit: reading an exercise answers from its durable log
// and starts no commit: with the store's commits held, a GET still
// answers at once.
func TestGetDoesNotCommit(t *testing.T) {
	ts := newTestServer(t)
	g := newGate(t, ts)
	resp := create(t, ts, "ana")
	fac := ts.dial(t, resp.FacilitatorCode)
	w := fac.hello(0)
	g.close()
	ts.step(time.Minute)
	g.waitArrival(t) // the minute's commit is held: nothing of it is durable
	// A GET that waited for the log to settle would wait for the gate.
	hc := &http.Client{Timeout: readTimeout}
	req, _ := http.NewRequest(http.MethodGet, ts.http.URL+"/api/exercises/"+resp.ID, nil)
	req.Header.Set("Authorization", "Bearer "+resp.FacilitatorCode)
	res, err := hc.Do(req)
	if err != nil {
		t.Fatalf("GET while a commit is held: %v", err)
	}
	var st ExerciseStatus
	err = json.NewDecoder(res.Body).Decode(&st)
	res.Body.Close()
	if err != nil || st.LastSeq != w.LastSeq {
		t.Fatalf("GET says the log ends at %d (%v); the durable log ends at %d", st.LastSeq, err, w.LastSeq)
	}
	g.open()
	// The events, a page at a time.
	var page []engine.Event
	ts.getJSON(t, "/api/exercises/"+resp.ID+"/events?after=0&limit=1", resp.FacilitatorCode, &page)
	if len(page) != 1 || page[0].Seq != 1 {
		t.Fatalf("a page of 1 from the start: %+v", page)
	}
	ts.getJSON(t, "/api/exercises/"+resp.ID+"/events?after=1&limit=1", resp.FacilitatorCode, &page)
	if len(page) != 1 || page[0].Seq != 2 {
		t.Fatalf("a page of 1 after 1: %+v", page)
	}
	if status := ts.getStatus(t, "/api/exercises/"+resp.ID+"/events?limit=100000", resp.FacilitatorCode); status != http.StatusBadRequest {
		t.Fatalf("a page of 100000: %d, want 400", status)
	}
}

// TestRefusalAtTheDoorIsCommitted: an input the exercise's door refuses
// for its text, reaching it past the websocket's own check, is logged and
// committed like any refusal; the exercise goes on.
func TestRefusalAtTheDoorIsCommitted(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "kim")
	h := ts.srv.hostOf(resp.ID)
	for i, text := range []string{"bell\a", strings.Repeat("x", engine.DefaultLimits().TextBytes+1)} {
		in := engine.Say(engine.Actor{Name: "kim", Role: engine.RoleTechnician}, "group:network", text)
		done := make(chan outcome, 1)
		if !h.post(request{in: &in, done: done}) {
			t.Fatal("the loop took nothing")
		}
		if o := <-done; o.err == nil {
			t.Fatalf("input %d was taken", i)
		}
	}
	kim := ts.dial(t, seatCode(t, resp, "kim"))
	kim.hello(0)
	if code := act(kim, "after", "", engine.Action{Op: engine.OpChat, Channel: "group:network", Text: "still here"}); code != "" {
		t.Fatalf("a chat after two refusals at the door: %s", code)
	}
	if err := h.readDurable(func() {}); err != nil {
		t.Fatal(err)
	}
	stored := lastStored(t, ts, resp.ID)
	var logged uint64
	if err := h.read(func() { logged = uint64(len(h.exercise().Log())) }); err != nil {
		t.Fatal(err)
	}
	if stored != logged {
		t.Fatalf("the store holds %d events, the exercise logged %d", stored, logged)
	}
}

// TestSpeedInRange: a speed outside clock.SpeedRange is refused when an
// exercise is created and when the facilitator sets it.
func TestSpeedInRange(t *testing.T) {
	ts := newTestServer(t)
	for _, speed := range []string{"1e308", "-1", "0.01", "5000"} {
		res := postCreate(t, ts.http.URL, `{"scenario":"egress-proxy-saturation","speed":`+speed+`}`, nil)
		if res.status != http.StatusBadRequest || !strings.Contains(res.message, "speed") {
			t.Errorf("create at speed %s: %+v, want 400 naming the speed range", speed, res)
		}
	}
	resp := create(t, ts)
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	fac.sendRaw([]byte(`{"type":"control","id":"s1","control":"speed","speed":1e308}`))
	if code := fac.errorCode("s1"); code != protocol.CodeBadRequest {
		t.Fatalf("speed 1e308 from the facilitator: %s, want bad_request", code)
	}
}
