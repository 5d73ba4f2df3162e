package sim

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/session"
)

// generated50 is a 50-service estate: seven application groups of seven
// services each, all leaning on one shared database run by a platform
// group, whose failure is the root cause. It is the size the simulate
// target is set for.
func generated50(t testing.TB) *scenario.Scenario {
	t.Helper()
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p(`scenario "generated-50" {`)
	p(`  title    = "Shared database degrades under fifty services"`)
	p(`  duration = "90m"`)
	p(`  group "platform" {`)
	p(`    members = ["pat", "pia", "pol"]`)
	p(`    owner   = "pat"`)
	p(`  }`)
	p(`  rotation "platform-primary" {`)
	p(`    group          = group.platform`)
	p(`    shift          = "12h"`)
	p(`    escalate_after = "10m"`)
	p(`  }`)
	p(`  service "core-db" {`)
	p(`    group      = group.platform`)
	p(`    rps        = 5000`)
	p(`    error_rate = 0.001`)
	p(`    latency_ms = 4`)
	p(`  }`)
	for g := range 7 {
		p(`  group "app%d" {`, g)
		p(`    members = ["a%da", "a%db", "a%dc"]`, g, g, g)
		p(`    owner   = "a%da"`, g)
		p(`  }`)
		p(`  rotation "app%d-primary" {`, g)
		p(`    group          = group.app%d`, g)
		p(`    shift          = "12h"`)
		p(`    escalate_after = "10m"`)
		p(`  }`)
		for s := range 7 {
			p(`  service "app%d-svc%d" {`, g, s)
			p(`    group      = group.app%d`, g)
			p(`    critical   = %t`, s == 0)
			p(`    rps        = %d`, 50+10*s)
			p(`    depends_on = { (service.core-db) = 0.6 }`)
			p(`  }`)
		}
		p(`  alert "app%d-errors" {`, g)
		p(`    service   = service.app%d-svc0`, g)
		p(`    condition = error_rate > 0.05`)
		p(`    for       = "2m"`)
		p(`    page      = rotation.app%d-primary`, g)
		p(`    severity  = "critical"`)
		p(`  }`)
	}
	p(`  runbook "core-db" {`)
	p(`    title   = "Core database: connection storms"`)
	p(`    service = service.core-db`)
	p(`    group   = group.platform`)
	p(`    step "look" {`)
	p(`      text    = "Check pg_stat_activity."`)
	p(`      reveals = "Connections at max_connections; new sessions refused."`)
	p(`    }`)
	p(`    step "failover" {`)
	p(`      text    = "Fail over to the standby with the larger pool."`)
	p(`      applies = remedy.failover`)
	p(`    }`)
	p(`    step "raise-pool" {`)
	p(`      text    = "Raise max_connections under a change."`)
	p(`      applies = remedy.raise-pool`)
	p(`    }`)
	p(`  }`)
	p(`  fault "pool-exhausted" {`)
	p(`    service      = service.core-db`)
	p(`    start        = "5m"`)
	p(`    ramp         = "2m"`)
	p(`    error_rate   = 0.5`)
	p(`    cause        = "Connection pool exhausted"`)
	p(`    root_cause   = true`)
	p(`    mitigated_by = [remedy.failover]`)
	p(`    fixed_by     = [remedy.raise-pool]`)
	p(`    logs         = ["FATAL: sorry, too many clients already"]`)
	p(`  }`)
	p(`  remedy "failover" {`)
	p(`    service = service.core-db`)
	p(`    takes   = "3m"`)
	p(`  }`)
	p(`  remedy "raise-pool" {`)
	p(`    service         = service.core-db`)
	p(`    takes           = "10m"`)
	p(`    requires_change = true`)
	p(`  }`)
	p(`  inject "first-call" {`)
	p(`    at      = "8m"`)
	p(`    to      = role.service_desk`)
	p(`    channel = "phone"`)
	p(`    text    = "The member app times out."`)
	p(`    record  = "incident"`)
	p(`    about   = service.app0-svc0`)
	p(`  }`)
	p(`}`)
	sc, diags := scenario.NewLoader().Load("generated-50.hcl", b.Bytes())
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return sc
}

func TestGenerated50Restores(t *testing.T) {
	sc := generated50(t)
	if n := len(sc.Services); n != 50 {
		t.Fatalf("%d services, want 50", n)
	}
	x := run(t, sc, session.Options{Seed: 1, Skill: bot.Expert, EndOnRestore: true})
	if at, reason := ending(t, x); reason != "restored" {
		t.Fatalf("generated scenario ended for %q at %s, want restored", reason, at)
	}
}

// BenchmarkSimulate50 is `firedrill simulate` on the 50-service scenario:
// runs per second with expert bots on every core.
func BenchmarkSimulate50(b *testing.B) {
	sc := generated50(b)
	const runs = 20
	start := time.Now()
	for b.Loop() {
		if _, err := Simulate(context.Background(), sc, SimOptions{Runs: runs, Seed: 1, Skill: bot.Expert}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(runs*b.N)/time.Since(start).Seconds(), "runs/s")
}
