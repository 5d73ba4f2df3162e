package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/firedrill/firedrill/server/protocol"
)

// TestConnectionsPerCode: one code holds at most DefaultConnsPerCode
// websockets; the next is refused before the upgrade with rate_limited,
// while other codes, and the connections already open, go on.
func TestConnectionsPerCode(t *testing.T) {
	ts := newTestServer(t)
	resp := create(t, ts, "kim", "ana")
	kim := seatCode(t, resp, "kim")
	var open []*conn
	for range DefaultConnsPerCode {
		c := ts.dial(t, kim)
		c.hello(0)
		open = append(open, c)
	}

	url := "ws" + strings.TrimPrefix(ts.http.URL, "http") + "/ws"
	_, res, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + kim}})
	if err == nil || res == nil || res.StatusCode != http.StatusTooManyRequests {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("connection %d of one code: %v (status %d), want 429", DefaultConnsPerCode+1, err, status)
	}
	var e protocol.Error
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil || e.Code != protocol.CodeRateLimited {
		t.Fatalf("refusal body %+v (%v), want code %s", e, err, protocol.CodeRateLimited)
	}
	res.Body.Close()

	ana := ts.dial(t, seatCode(t, resp, "ana"))
	ana.hello(0)
	last := open[len(open)-1]
	last.send(protocol.Chat{Type: protocol.TypeChat, ID: "c1", Channel: "group:network", Text: "still here"})
	last.until(protocol.TypeAck, "c1")
}
