scenario "duplicates" {
  title    = "Names declared twice"
  duration = "60m"

  group "app" {
    members = ["ana"]
    owner   = "ana"
  }
  service "api" {
    group = group.app
  }
  service "api" { # ERROR col=3: Duplicate service name
    group = group.app
  }
  inject "call" {
    at      = "5m"
    to      = everyone
    channel = "phone"
    text    = "One"
  }
  inject "call" { # ERROR col=3: Duplicate inject name
    at      = "6m"
    to      = everyone
    channel = "phone"
    text    = "Two"
  }
  decision "what" {
    at     = "10m"
    to     = everyone
    prompt = "Now what?"
    option "a" {
      text = "A"
    }
    option "a" { # ERROR col=5: Duplicate option name
      text = "A again"
    }
    option "b" {
      text = "B"
    }
  }
  target {
    detect = "5m"
  }
  target { # ERROR col=3: Duplicate target block
    restore = "5m"
  }
}
