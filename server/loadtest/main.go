// Command loadtest measures firedrill's server against the raw websocket
// baseline of shared/bench/perfbase, as shared/BENCHMARKS.md defines the
// benchmarks. run.sh beside it runs the whole set, interleaved with the
// baseline, and prints the table; each subcommand is one bounded run that
// prints one JSON result:
//
//	loadtest fanout -n 5000 -rooms 100 -rate 10 -paced 5s -burst 200 [-stall 0.01]
//	                FANOUT-BURST, FANOUT-PACED, CONN-MEM, CONNECT, SLOW-CONSUMER
//	loadtest ingest -n 5000 -rooms 100 -every 5s -for 15s     ACTION-INGEST
//	loadtest storm  -n 5000 -rooms 100                        RECONNECT-STORM
//	loadtest report -dir RESULTS                              the markdown table
//	loadtest serve  -db FILE                                  the server child
//
// The server runs in a child process (`loadtest serve`: what `firedrill
// serve` runs, on a SQLite file in a temporary folder), the players in this
// one, both on 127.0.0.1. Every run stops by itself.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtest fanout|ingest|storm|report|serve [flags]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serveMain(os.Args[2:])
	case "fanout":
		fanoutMain(os.Args[2:])
	case "ingest":
		ingestMain(os.Args[2:])
	case "storm":
		stormMain(os.Args[2:])
	case "report":
		reportMain(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}
