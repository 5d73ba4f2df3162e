scenario "conditions" {
  title    = "Conditions that name what the exercise does not have"
  duration = "60m"

  group "app" {
    members = ["ana"]
    owner   = "ana"
  }
  service "api" {
    group = group.app
  }
  inject "a" {
    when    = elapsd > minutes(5) # ERROR col=15: Unknown name in condition
    to      = everyone
    channel = "chat"
    text    = "a"
  }
  inject "b" {
    when    = service.api.errors > 0.1 # ERROR col=26: Unknown attribute in condition
    to      = everyone
    channel = "chat"
    text    = "b"
  }
  inject "c" {
    when    = service.db.healthy == false # ERROR col=22: Reference to undeclared service
    to      = everyone
    channel = "chat"
    text    = "c"
  }
  inject "d" {
    when    = elapsed > minuts(5) # ERROR col=25: Unknown function
    to      = everyone
    channel = "chat"
    text    = "d"
  }
  inject "e" {
    when    = file("/etc/passwd") != "" # ERROR col=15: Unknown function
    to      = everyone
    channel = "chat"
    text    = "e"
  }
  expect "f" {
    dimension = "triage"
    condition = service.api # ERROR col=17: Incomplete reference in condition
    points    = 5
  }
}
