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
}
