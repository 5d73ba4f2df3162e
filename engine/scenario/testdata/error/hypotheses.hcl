scenario "hypotheses" {
  title    = "Hypotheses that could never be right"
  duration = "60m"

  group "app" {
    members = ["ana"]
    owner   = "ana"
  }
  service "api" {
    group = group.app
  }
  service "db" {
    group = group.app
  }
  fault "pool" {
    service    = service.db
    start      = "5m"
    cause      = "Connection pool exhausted"
    root_cause = true
    fixed_by   = [remedy.raise-pool]
  }
  fault "slow-api" {
    service = service.api
    start   = "6m"
    cause   = "Waiting on the database"
  }
  fault "disk" {
    service     = service.db
    start       = "7m"
    cause       = "Disk full"
    root_cause  = true
    heals_after = "10m"
  }
  remedy "raise-pool" {
    service = service.db
  }
  hypothesis "api-slow" {
    title   = "The API itself is slow"
    service = service.api
    cause   = fault.slow-api # ERROR col=15: Cause is not a root cause
  }
  hypothesis "pool-on-api" {
    title   = "Pool exhausted"
    service = service.api # ERROR col=15: Cause on another service
    cause   = fault.pool
  }
  hypothesis "dns" {
    title   = "DNS"
    service = service.dns # ERROR col=15: Reference to undeclared service
  }
  hypothesis "disk" { # ERROR col=3: Hypothesis hides a root cause
    title   = "Someone else's disk"
    service = service.db
  }
  hypothesis "no-title" { # ERROR col=25: Missing required argument
    service = service.db
  }
}
