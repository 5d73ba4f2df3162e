scenario "timing" {
  title    = "Things that cannot happen"
  duration = "60m"

  group "app" {
    members = ["ana"]
    owner   = "ana"
  }
  service "api" {
    group = group.app
  }
  fault "late" {
    service    = service.api
    start      = "75m" # ERROR col=18: Fault after the scenario ends
    cause      = "too late"
  }
  inject "late" {
    at      = "61m" # ERROR col=15: Inject after the scenario ends
    to      = everyone
    channel = "news"
    text    = "Too late."
  }
  inject "never" { # ERROR col=3: Inject never happens
    to      = everyone
    channel = "news"
    text    = "Nobody triggers me."
  }
  inject "both" {
    at      = "5m"
    when    = elapsed > 60 # ERROR col=15: Both at and when
    to      = everyone
    channel = "news"
    text    = "Both."
  }
  inject "early" {
    at      = "-5m" # ERROR col=15: Invalid time
    to      = everyone
    channel = "news"
    text    = "Before the start."
  }
  decision "late" {
    at     = "2h" # ERROR col=14: Decision after the scenario ends
    to     = everyone
    prompt = "Too late?"
    option "a" {
      text = "A"
    }
    option "b" {
      text = "B"
    }
  }
  expect "late" {
    dimension = "recovery"
    condition = restored
    within    = "90m" # ERROR col=17: Expectation deadline after the scenario ends
    points    = 5
  }
}
