# firedrill — run `make help` for the targets.
GO        ?= go
PKGS      ?= ./...
FUZZTIME  ?= 10s
BENCHTIME ?= 1s
PERFBASE  ?= ../shared/bench/perfbase

.DEFAULT_GOAL := help
.PHONY: help build test test-fold test-validity lint fuzz bench bench-go bench-engine validate

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-13s %s\n", $$1, $$2}'

build: ## build the firedrill binary into ./bin
	$(GO) build -o bin/firedrill ./cmd/firedrill

test: ## run every test with the race detector
	$(GO) test -race -count=1 $(PKGS)

lint: ## go vet, and gofmt must list nothing
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt: these files need formatting:"; echo "$$out"; exit 1; fi

fuzz: ## run each fuzz target for FUZZTIME (default 10s)
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./engine/scenario
	$(GO) test -run '^$$' -fuzz '^FuzzCleanText$$' -fuzztime $(FUZZTIME) ./engine
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeClient$$' -fuzztime $(FUZZTIME) ./server/protocol
	$(GO) test -run '^$$' -fuzz '^FuzzServerFrame$$' -fuzztime $(FUZZTIME) ./ui/tui
	$(GO) test -run '^$$' -fuzz '^FuzzHelloAction$$' -fuzztime $(FUZZTIME) ./server

test-validity: ## training validity: every built-in scenario, 100 paired seeds per skill, and every decision's options (about a minute)
	$(GO) test -count=1 -run '^(TestTrainingValidity|TestDecisionsMatter)$$' ./engine/sim -validity-seeds 100

test-fold: ## the fold property over 1,000 bot-driven runs, without the race detector (about a minute)
	$(GO) test -count=1 -run '^TestFoldEqualsState$$' ./engine/session

bench: bench-go bench-engine bench-server ## every benchmark: Go benchmarks, then the rows of shared/BENCHMARKS.md against perfbase (about 15 minutes)

bench-go: ## run the Go benchmarks
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)

bench-engine: ## ENGINE row of shared/BENCHMARKS.md: firedrill vs perfbase des, interleaved (about a minute)
	engine/session/perfbase-ratio.sh $(PERFBASE)

.PHONY: bench-server
bench-server: ## server rows of shared/BENCHMARKS.md: firedrill vs perfbase ws, interleaved, 3 reps (about 10 minutes)
	server/loadtest/run.sh $(PERFBASE)

validate: ## validate the built-in scenario library
	$(GO) run ./cmd/firedrill validate scenarios/*.hcl
