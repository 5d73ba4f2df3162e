scenario "outages" {
  title    = "Recoveries, reductions and tool outages written wrong"
  duration = "60m"

  group "app" {
    members = ["ana"]
    owner   = "ana"
  }
  service "api" {
    group = group.app
  }
  remedy "shed-load" {
    service = service.api
  }
  remedy "failover" {
    service = service.api
  }
  fault "instant" {
    service       = service.api
    start         = "5m"
    cause         = "recovery of no length"
    recovers_over = "0s" # ERROR col=21: Invalid duration
  }
  fault "sloppy" {
    service       = service.api
    start         = "5m"
    cause         = "recovery in words"
    recovers_over = "a while" # ERROR col=21: Invalid duration
  }
  fault "shares" {
    service    = service.api
    start      = "5m"
    cause      = "shares out of range"
    reduced_by = {
      remedy.shed-load = 0 # ERROR col=26: Value out of range
      remedy.failover  = 1.5 # ERROR col=26: Value out of range
    }
  }
  fault "twice" {
    service    = service.api
    start      = "5m"
    cause      = "one remedy, two shares"
    reduced_by = {
      remedy.shed-load = 0.5
      remedy.shed-load = 0.2 # ERROR col=7: Duplicate reduction
    }
  }
  fault "wrong-keys" {
    service    = service.api
    start      = "5m"
    cause      = "keys that are not remedies"
    reduced_by = {
      remedy.shed-lode = 0.5 # ERROR col=7: Reference to undeclared remedy
      service.api      = 0.5 # ERROR col=7: Invalid reference
    }
  }
  fault "listed" {
    service    = service.api
    start      = "5m"
    cause      = "reductions written as a list"
    reduced_by = [remedy.shed-load] # ERROR col=18: Invalid reductions
  }
  fault "both" {
    service      = service.api
    start        = "5m"
    cause        = "a remedy that reduces and mitigates"
    mitigated_by = [remedy.failover]
    reduced_by   = { (remedy.failover) = 0.5 } # ERROR col=23: Remedy both reduces and removes
  }
  fault "lingers" {
    service    = service.api
    start      = "5m"
    cause      = "only ever reduced"
    root_cause = true # ERROR col=18: Root cause cannot end
    reduced_by = { remedy.shed-load = 0.5, remedy.failover = 0.9 }
  }
  fault "dark" {
    service    = service.api
    start      = "5m"
    cause      = "tools that are not there"
    tools_down = [
      "telemetry",
      "dashboards", # ERROR col=7: Unknown tool
      "log",        # ERROR col=7: Unknown tool
    ]
  }
  fault "dark-twice" {
    service    = service.api
    start      = "5m"
    cause      = "a tool down twice"
    tools_down = ["logs", "traffic", "logs"] # ERROR col=38: Duplicate tool
  }
  fault "dark-word" {
    service    = service.api
    start      = "5m"
    cause      = "a tool that is not a list"
    tools_down = "telemetry" # ERROR col=18: Invalid tool list
  }
}
