scenario "outages" {
  title    = "A database slows down and takes the dashboards with it"
  summary  = "A test scenario for faults that recover gradually, remedies that only reduce a fault, faults started by a condition, and tool outages."
  duration = "60m"
  seed     = 3

  group "shop" {
    members = ["ana", "raj"]
    owner   = "ana"
  }
  group "dba" {
    members = ["kim"]
    owner   = "kim"
  }
  group "sre" {
    members = ["lee"]
    owner   = "lee"
  }

  service "db" {
    group      = group.dba
    rps        = 500
    error_rate = 0.001
    latency_ms = 5
  }
  service "checkout" {
    group      = group.shop
    critical   = true
    rps        = 200
    depends_on = { (service.db) = 1 }
  }

  service "metrics" {
    title      = "Metrics pipeline"
    group      = group.sre
    rps        = 50
    latency_ms = 20
  }

  alert "db-errors" {
    service   = service.db
    condition = error_rate > 0.05
    for       = "1m"
    severity  = "critical"
  }

  fault "pool-exhausted" {
    service       = service.db
    start         = "5m"
    ramp          = "2m"
    error_rate    = 0.4
    recovers_over = "4m"
    cause         = "Connection pool exhausted after the pool default changed"
    root_cause    = true
    fixed_by      = [remedy.raise-pool]
    reduced_by = {
      (remedy.shed-load) = 0.5
      remedy.add-replica = 0.9
    }
  }

  fault "metrics-backlog" {
    service       = service.metrics
    when          = alert.db-errors.firing
    ramp          = "1m"
    latency_ms    = 2000
    heals_after   = "10m"
    recovers_over = "2m"
    cause         = "The alert storm floods the metrics pipeline"
  }

  remedy "raise-pool" {
    service = service.db
    takes   = "3m"
  }
  remedy "shed-load" {
    title   = "Shed half the read traffic"
    service = service.db
    takes   = "1m"
  }
  remedy "add-replica" {
    title   = "Send reads to a new replica"
    service = service.db
    takes   = "2m"
  }
}
