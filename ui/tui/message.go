package tui

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// Message is one thing the Client hands the console's loop: a server frame
// (exactly one of the frame fields is set) or a change of the connection.
type Message struct {
	Welcome   *protocol.Welcome
	Events    []engine.Event // from an event or events frame, duplicates removed
	Ack       *protocol.Ack
	Error     *protocol.Error
	Telemetry *protocol.Telemetry
	Closing   *protocol.Closing
	Clock     *protocol.Clock
	Conn      *ConnState
	// Skipped counts events that could not be read (an unknown kind from a
	// newer server); their sequence numbers still count as seen.
	Skipped int
}

// Link is the state of the connection to the server.
type Link int

const (
	// Connecting: dialled, waiting for the welcome.
	Connecting Link = iota
	// Live: the welcome arrived; events flow.
	Live
	// Retrying: the connection dropped; RetryIn says when the next attempt is.
	Retrying
	// Offline: the client stopped (closed, or the server refused the code).
	Offline
)

// ConnState reports the connection changing state.
type ConnState struct {
	Link    Link
	Err     string        // why it dropped, in words
	RetryIn time.Duration // for Retrying
	Attempt int           // reconnection attempts since the last welcome
}

// decodeFrame turns one server frame into a Message. Events that fail to
// decode are skipped and counted, so one unreadable event never stops the
// feed.
func decodeFrame(b []byte) (Message, error) {
	var head struct {
		Type   string            `json:"type"`
		Event  json.RawMessage   `json:"event"`
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return Message{}, fmt.Errorf("tui: the server sent something that is not JSON: %w", err)
	}
	var m Message
	var target any
	switch head.Type {
	case protocol.TypeWelcome:
		m.Welcome = &protocol.Welcome{}
		target = m.Welcome
	case protocol.TypeAck:
		m.Ack = &protocol.Ack{}
		target = m.Ack
	case protocol.TypeError:
		m.Error = &protocol.Error{}
		target = m.Error
	case protocol.TypeTelemetry:
		m.Telemetry = &protocol.Telemetry{}
		target = m.Telemetry
	case protocol.TypeClosing:
		m.Closing = &protocol.Closing{}
		target = m.Closing
	case protocol.TypeClock:
		m.Clock = &protocol.Clock{}
		target = m.Clock
	case protocol.TypeEvent:
		m.addEvent(head.Event)
		return m, nil
	case protocol.TypeEvents:
		for _, raw := range head.Events {
			m.addEvent(raw)
		}
		return m, nil
	default:
		return Message{}, fmt.Errorf("tui: unknown frame type %q", head.Type)
	}
	if err := json.Unmarshal(b, target); err != nil {
		return Message{}, fmt.Errorf("tui: bad %s frame: %w", head.Type, err)
	}
	return m, nil
}

func (m *Message) addEvent(raw json.RawMessage) {
	var e engine.Event
	if err := json.Unmarshal(raw, &e); err != nil {
		// Keep its sequence number so resuming does not ask for it again.
		var seq struct {
			Seq uint64 `json:"seq"`
		}
		_ = json.Unmarshal(raw, &seq)
		m.Skipped++
		if seq.Seq > 0 {
			m.Events = append(m.Events, engine.Event{Seq: seq.Seq, Kind: kindUnreadable})
		}
		return
	}
	m.Events = append(m.Events, e)
}

// kindUnreadable marks an event the client could not decode; the model
// counts its sequence number and shows nothing.
const kindUnreadable engine.Kind = "tui.unreadable"
