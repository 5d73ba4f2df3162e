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

  vendor "dbco" {
    helpdesk = "+1 800 555 0100"
    change "pool-defaults" {
      at   = "-3h"
      note = "Connection pool defaults lowered"
    }
  }

  service "db" {
    group      = group.dba
    vendor     = vendor.dbco
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

  service "sso" {
    title = "Single sign-on"
    group = group.sre
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
    reduced_by    = {
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
    tools_down    = ["telemetry", "traffic"]
    mitigated_by  = [remedy.restart-metrics]
  }

  fault "sso-down" {
    service     = service.sso
    start       = "30m"
    error_rate  = 1
    heals_after = "15m"
    cause       = "The identity provider's signing certificate expired"
    tools_down  = ["vendor_changes", "knowledge"]
  }

  remedy "raise-pool" {
    service = service.db
    takes   = "3m"
  }
  remedy "restart-metrics" {
    service = service.metrics
    takes   = "1m"
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
