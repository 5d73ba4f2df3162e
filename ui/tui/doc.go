// Package tui is firedrill's terminal consoles, built on tcell v2: the
// player's console and the facilitator's. Both talk to a firedrill server
// only through the websocket protocol (server/PROTOCOL.md), so the same
// console plays against a remote game-day server or one embedded in the
// same process.
//
// # Wiring (cmd/firedrill)
//
// `firedrill play SERVER CODE` dials and runs the player's console:
//
//	client, err := tui.Dial(ctx, serverURL, code) // Authorization: Bearer CODE
//	if err != nil {
//		return err // already in words: "the server did not accept the code: …"
//	}
//	defer client.Close()
//	screen, err := tcell.NewScreen()
//	if err != nil {
//		return err
//	}
//	return tui.Run(ctx, screen, client) // or tui.RunFacilitator with the facilitator code
//
// `firedrill drill SCENARIO` starts an embedded server (server.New, and
// srv.Handler() on a local listener), creates the exercise with
// server.CreateRequest, and runs the same code against its URL with the
// seat's join code. RunFacilitator with tui.WithInjects(names...) lets
// the facilitator complete inject names before they fire.
//
// Run and RunFacilitator call screen.Init and always screen.Fini, even on
// a panic; they return when the person quits (Ctrl-C, q, /quit) or ctx
// ends. The Client reconnects by itself and belongs to the caller.
//
// # Design
//
//   - Model (model.go, truth.go) is the state folded from frames: welcome,
//     events, acks, errors, telemetry. It has no screen and no socket.
//   - The view (view*.go, draw.go) draws a Model into clipped regions of
//     the screen; nothing can draw outside a pane or off a tiny terminal.
//   - The input (commands.go, complete.go, keys.go) turns typed lines and
//     keys into protocol frames; /help lists every command and every
//     engine op has one.
//   - One goroutine, the console's loop, owns the model, the view and the
//     screen. Terminal events arrive through screen.ChannelEvents and the
//     Client's frames through Client.Messages; the loop handles everything
//     already waiting before it draws, so a burst costs one draw.
//   - Client owns the websocket: hello with the last sequence number seen,
//     a reader that drops repeated events, a writer, and reconnection with
//     backoff on an injectable clock (engine/clock), so tests drive it.
package tui
