# A small scenario with one planted flaw of each kind the check finds;
# TestCheck reads the warnings back, line by line.
scenario "flawed" {
  title      = "Checkout fails after a bad deploy, with flaws planted for the check"
  summary    = "engine/sim's tests: every block below that says FLAW should draw a finding."
  duration   = "60m"
  difficulty = "intro"

  group "shop" {
    members = ["ana", "raj"]
    owner   = "ana"
  }

  rotation "shop-primary" {
    group          = group.shop
    shift          = "12h"
    escalate_after = "10m"
  }

  service "checkout" {
    group    = group.shop
    critical = true
    rps      = 200
  }

  alert "checkout-errors" {
    service   = service.checkout
    condition = error_rate > 0.05
    for       = "2m"
    page      = rotation.shop-primary
    severity  = "critical"
  }

  runbook "rollback" {
    title   = "Roll back checkout"
    service = service.checkout
    step "look" {
      text    = "Check the deploy log."
      reveals = "Deploy 412 went out at 13:58."
    }
    step "roll" {
      text    = "Roll back."
      applies = remedy.rollback
    }
  }

  fault "bad-deploy" {
    service    = service.checkout
    start      = "2m"
    ramp       = "1m"
    error_rate = 0.3
    cause      = "Deploy 412 broke the payment form"
    root_cause = true
    fixed_by   = [remedy.rollback]
    logs       = ["payment form: nil pointer"]
  }

  # FLAW: a root cause nothing ever starts.
  fault "sleeper" {
    service    = service.checkout
    error_rate = 0.2
    cause      = "A cron job nobody scheduled"
    root_cause = true
    fixed_by   = [remedy.rollback]
  }

  # FLAW: it heals before anyone can fix it; no runbook applies its remedy.
  fault "flap" {
    service     = service.checkout
    start       = "2m"
    error_rate  = 0.1
    heals_after = "3m"
    cause       = "A flapping link"
    root_cause  = true
    fixed_by    = [remedy.replace-link]
  }

  remedy "replace-link" {
    service = service.checkout
    takes   = "20m"
  }

  remedy "rollback" {
    service = service.checkout
    takes   = "2m"
  }

  inject "call" {
    at      = "4m"
    to      = role.service_desk
    channel = "phone"
    from    = "Store manager"
    text    = "Customers cannot pay."
    record  = "incident"
    about   = service.checkout
  }

  # FLAW: its condition can never hold.
  inject "never" {
    when    = service.checkout.rps > 1000000
    to      = role.incident_manager
    channel = "email"
    text    = "This never arrives."
  }

  # FLAW: two options alike in every way.
  decision "coin" {
    at     = "1m"
    to     = role.incident_manager
    prompt = "Heads or tails?"
    option "heads" {
      text  = "Heads"
      score = 0
    }
    option "tails" {
      text  = "Tails"
      score = 0
    }
  }

  # Never offered: the check cannot judge it.
  decision "unasked" {
    when   = service.checkout.rps > 1000000
    to     = role.incident_manager
    prompt = "Never put."
    option "yes" {
      text  = "Yes"
      score = 5
    }
    option "no" {
      text  = "No"
      score = 0
    }
  }

  expect "restored" {
    dimension = "recovery"
    condition = restored
    points    = 20
  }

  # FLAW: no team opens five problem records.
  expect "five-problems" {
    dimension = "process"
    condition = length(problems) >= 5
    points    = 10
  }
}
