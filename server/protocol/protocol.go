// Package protocol holds firedrill's websocket frames: what clients send,
// what the server sends back, and the strict decoder for client frames. The
// server and every client (the terminal console, tests, load generators)
// share it; PROTOCOL.md beside it documents every frame with an example.
package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/firedrill/firedrill/engine"
)

// Frame types.
const (
	// Client → server.
	TypeHello   = "hello"
	TypeAction  = "action"
	TypeChat    = "chat"
	TypeControl = "control"

	// Server → client.
	TypeWelcome   = "welcome"
	TypeEvent     = "event"
	TypeEvents    = "events" // several events coalesced into one frame
	TypeAck       = "ack"
	TypeError     = "error"
	TypeTelemetry = "telemetry"
	TypeClosing   = "closing"
	TypeClock     = "clock"
)

// Error codes of error frames.
const (
	CodeBadRequest  = "bad_request"
	CodeForbidden   = "forbidden"
	CodeConflict    = "conflict"
	CodeNotFound    = "not_found"
	CodeRateLimited = "rate_limited"
	CodeOverBudget  = "over_budget" // a text budget would be exceeded; the message names it
	CodeUnavailable = "unavailable" // the server is at its limit of exercises (HTTP only)
	CodeInternal    = "internal"
)

// Controls a facilitator may send.
const (
	ControlPause  = "pause"
	ControlResume = "resume"
	ControlSpeed  = "speed"
	ControlFire   = "fire"
	ControlEnd    = "end"
)

// Hello opens a session on an authenticated connection. ResumeAfter is the
// last event sequence number the client saw; the server sends everything
// after it, so nothing is missed or repeated.
type Hello struct {
	Type        string `json:"type"`
	ResumeAfter uint64 `json:"resume_after,omitempty"`
}

// Action asks the exercise to do something. ID is the client's, echoed in
// the ack or error. Role picks one of the roles the participant holds; the
// participant's main role when empty.
type Action struct {
	Type   string        `json:"type"`
	ID     string        `json:"id"`
	Role   engine.Role   `json:"role,omitempty"`
	Action engine.Action `json:"action"`
}

// Chat posts a message (or a slash command) to a channel.
type Chat struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Channel string `json:"channel,omitempty"`
	Text    string `json:"text"`
}

// Control is a facilitator's control of the exercise.
type Control struct {
	Type    string  `json:"type"`
	ID      string  `json:"id"`
	Control string  `json:"control"`
	Speed   float64 `json:"speed,omitempty"`
	Inject  string  `json:"inject,omitempty"`
}

// You describes the participant a connection belongs to.
type You struct {
	Name        string        `json:"name"`
	Role        engine.Role   `json:"role"`
	Roles       []engine.Role `json:"roles"`
	Groups      []string      `json:"groups,omitempty"`
	Facilitator bool          `json:"facilitator,omitempty"`
}

// Welcome answers hello: who you are and where the exercise stands. The
// events after ResumeAfter follow it.
type Welcome struct {
	Type     string        `json:"type"`
	Exercise string        `json:"exercise"`
	Scenario string        `json:"scenario"`
	Title    string        `json:"title"`
	You      You           `json:"you"`
	Now      time.Duration `json:"now"`
	Speed    float64       `json:"speed"`
	Paused   bool          `json:"paused"`
	Ended    bool          `json:"ended"`
	LastSeq  uint64        `json:"last_seq"`
	Channels []string      `json:"channels"`
}

// Event carries one event.
type Event struct {
	Type  string       `json:"type"`
	Event engine.Event `json:"event"`
}

// Events carries several events in sequence order.
type Events struct {
	Type   string         `json:"type"`
	Events []engine.Event `json:"events"`
}

// Ack confirms an action: its events are committed (ARCHITECTURE.md invariant 3).
// Seq is the last event sequence number it produced.
type Ack struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Seq  uint64 `json:"seq,omitempty"`
}

// Error refuses a frame.
type Error struct {
	Type    string `json:"type"`
	ID      string `json:"id,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Telemetry is the estate as the participant may watch it.
type Telemetry struct {
	Type     string                 `json:"type"`
	At       time.Duration          `json:"at"`
	Services []engine.ServiceSample `json:"services"`
}

// Clock tells every participant that the facilitator paused, resumed or
// changed the speed, so each console's clock keeps step.
type Clock struct {
	Type   string        `json:"type"`
	Now    time.Duration `json:"now"`
	Speed  float64       `json:"speed"`
	Paused bool          `json:"paused"`
}

// Closing tells a client why the server drops it.
type Closing struct {
	Type   string `json:"type"`
	Reason string `json:"reason"`
}

// ClientFrame is one decoded client frame: exactly one field is set.
type ClientFrame struct {
	Hello   *Hello
	Action  *Action
	Chat    *Chat
	Control *Control
}

// ID is the id the frame carries, echoed in its ack or error; hello has none.
func (f ClientFrame) ID() string {
	switch {
	case f.Action != nil:
		return f.Action.ID
	case f.Chat != nil:
		return f.Chat.ID
	case f.Control != nil:
		return f.Control.ID
	}
	return ""
}

// DecodeError is a frame the server cannot take; its Code is bad_request.
type DecodeError struct {
	ID     string // the frame's id when it could be read
	Reason string
}

func (e *DecodeError) Error() string { return "protocol: " + e.Reason }

// MaxIDLength bounds client ids, which are echoed back.
const MaxIDLength = 64

// decodeHead reads what every client frame starts with: its type and id.
func decodeHead(b []byte) (typ, id string, err error) {
	var head struct {
		Type string          `json:"type"`
		ID   json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return "", "", &DecodeError{Reason: "the frame is not a JSON object: " + err.Error()}
	}
	_ = json.Unmarshal(head.ID, &id)
	if len(id) > MaxIDLength {
		return "", "", &DecodeError{Reason: fmt.Sprintf("id is longer than %d bytes", MaxIDLength)}
	}
	if !printable(id) {
		// Not echoed: an id is sent back as it came.
		return "", "", &DecodeError{Reason: "id holds a control character or a bidirectional control; use letters, digits and punctuation"}
	}
	return head.Type, id, nil
}

// printable reports whether an id is clean text (engine.CleanText) on one
// line.
func printable(id string) bool {
	clean, err := engine.CleanText(id)
	return err == nil && clean == id && !strings.ContainsAny(id, "\n\t")
}

// FrameID is the id a client frame carries, read without decoding the rest
// of it, for a refusal that comes before decoding (the rate limit); "" when
// the frame has no usable id.
func FrameID(b []byte) string {
	_, id, err := decodeHead(b)
	if err != nil {
		return ""
	}
	return id
}

// DecodeClient decodes one client frame strictly: a known type, no unknown
// fields, no key twice, one JSON value, an id on everything but hello.
func DecodeClient(b []byte) (ClientFrame, error) {
	typ, id, err := decodeHead(b)
	if err != nil {
		return ClientFrame{}, err
	}
	if err := CheckKeys(b); err != nil {
		var dk *DuplicateKeyError
		if errors.As(err, &dk) {
			return ClientFrame{}, &DecodeError{ID: id, Reason: dk.Error()}
		}
		return ClientFrame{}, &DecodeError{ID: id, Reason: "the frame is not a JSON object: " + err.Error()}
	}
	var f ClientFrame
	var target any
	switch typ {
	case TypeHello:
		f.Hello = &Hello{}
		target = f.Hello
	case TypeAction:
		f.Action = &Action{}
		target = f.Action
	case TypeChat:
		f.Chat = &Chat{}
		target = f.Chat
	case TypeControl:
		f.Control = &Control{}
		target = f.Control
	case "":
		return ClientFrame{}, &DecodeError{ID: id, Reason: `the frame has no "type"; use hello, action, chat or control`}
	default:
		return ClientFrame{}, &DecodeError{ID: id, Reason: fmt.Sprintf("unknown frame type %q; use hello, action, chat or control", typ)}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(target); err != nil {
		return ClientFrame{}, &DecodeError{ID: id, Reason: fmt.Sprintf("bad %s frame: %v", typ, err)}
	}
	if dec.More() {
		return ClientFrame{}, &DecodeError{ID: id, Reason: "one JSON object per frame"}
	}
	if typ != TypeHello && id == "" {
		return ClientFrame{}, &DecodeError{Reason: fmt.Sprintf("a %s frame needs an \"id\" to match its ack or error", typ)}
	}
	return f, nil
}

// ErrorFrom turns an error into an error frame with the right code. Its
// message may quote what the client sent (an unknown field's name, say):
// any character engine.CleanText refuses is written as \uXXXX, so the
// frame is clean whatever came in.
func ErrorFrom(id string, err error) Error {
	var ie *engine.Error
	var de *DecodeError
	switch {
	case errors.As(err, &ie):
		return Error{Type: TypeError, ID: id, Code: string(ie.Code), Message: escapeUnclean(ie.Reason)}
	case errors.As(err, &de):
		return Error{Type: TypeError, ID: id, Code: CodeBadRequest, Message: escapeUnclean(de.Reason)}
	}
	return Error{Type: TypeError, ID: id, Code: CodeInternal, Message: "the server failed; the action was not taken"}
}

// escapeUnclean writes every character engine.CleanText would refuse in s
// as \uXXXX, and invalid UTF-8 as U+FFFD.
func escapeUnclean(s string) string {
	if clean, err := engine.CleanText(s); err == nil && clean == s {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if clean, err := engine.CleanText(string(r)); err != nil || clean != string(r) {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// DuplicateKeyError is a JSON object that names one key twice. Path is
// where, as "action.text" ("[]" stands for an array's element).
type DuplicateKeyError struct{ Path string }

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("the key %q appears twice; send each key once", e.Path)
}

// CheckKeys refuses JSON in which an object, at any depth, names a key
// twice: encoding/json keeps the last, so a proxy, a log or a reviewer
// reading the first would read something other than what the server took.
// Keys are compared as encoding/json matches them to fields, ignoring
// case, so "text" and "TEXT" are one key. Other syntax errors are left to
// the decoder; CheckKeys reports them as they come.
func CheckKeys(b []byte) error {
	type level struct {
		object  bool
		wantKey bool
		path    string
		key     string
		seen    map[string]struct{}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // numbers are skipped, never converted
	var stack []*level
	// valueDone marks the value of the innermost object's key read.
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) > 0 {
				return io.ErrUnexpectedEOF // Token says EOF inside a value too
			}
			return nil
		}
		if err != nil {
			return err
		}
		var top *level
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				path := ""
				if top != nil {
					path = top.path
					if top.object {
						path = joinPath(path, top.key)
					} else {
						path += "[]"
					}
				}
				stack = append(stack, &level{object: t == '{', wantKey: true, path: path})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if top != nil && top.object && top.wantKey {
				folded := foldKey(t)
				if _, dup := top.seen[folded]; dup {
					return &DuplicateKeyError{Path: joinPath(top.path, t)}
				}
				if top.seen == nil {
					top.seen = map[string]struct{}{}
				}
				top.seen[folded] = struct{}{}
				top.key, top.wantKey = t, false
				continue
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// foldKey maps a key to the one spelling of every key encoding/json
// treats as the same field: each rune to the smallest of its case folds.
func foldKey(k string) string {
	var b strings.Builder
	for _, r := range k {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			continue
		}
		for {
			next := unicode.SimpleFold(r)
			if next <= r {
				r = next
				break
			}
			r = next
		}
		b.WriteRune(r)
	}
	return b.String()
}
