scenario "text" {
  title    = "Text a player's screen must not carry"
  duration = "60m"

  group "app" {
    members = ["ana"]
    owner   = "ana"
  }
  service "api" {
    group = group.app
  }
  inject "a" {
    at      = "5m"
    to      = everyone
    channel = "chat"
    text    = "pay \u202eyrgne" # ERROR col=15: Text not allowed
  }
  inject "b" {
    at      = "6m"
    to      = everyone
    channel = "chat"
    from    = "bell\u0007" # ERROR col=15: Text not allowed
    text    = "ok"
  }
}
