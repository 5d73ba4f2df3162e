scenario "values" {
  title       = "Values that are out of range or misspelt"
  duration    = "60 minutes" # ERROR col=17: Invalid duration
  difficulty  = "hard" # ERROR col=17: Unsupported value
  start_clock = "25:00" # ERROR col=17: Invalid time of day

  group "app" {
    members = ["ana", "raj"]
    owner   = "kim" # ERROR col=15: Owner is not a member
  }
  service "api" {
    group      = group.app
    error_rate = 1.5 # ERROR col=18: Value out of range
    owner      = "zed" # ERROR col=18: Unknown person
  }
  alert "a" {
    service   = service.api
    condition = errors > 0.1 # ERROR col=17: Unknown metric
  }
  alert "b" {
    service   = service.api
    condition = error_rate # ERROR col=17: Invalid alert condition
  }
  fault "f" {
    service    = service.api
    start      = "5m"
    cause      = "nothing stops me"
    root_cause = true # ERROR col=18: Root cause cannot end
  }
  inject "i" {
    at      = "5m"
    to      = everyone
    channel = "phon" # ERROR col=15: Unsupported value
    text    = "hello"
  }
  decision "d" {
    at      = "10m"
    to      = everyone
    prompt  = "?"
    timeout = "5m"
    default = "c" # ERROR col=15: Unknown option
    option "a" {
      text = "A"
    }
    option "b" {
      text = "B"
    }
  }
  decision "lonely" { # ERROR col=3: Decision needs options
    at     = "10m"
    to     = everyone
    prompt = "?"
    option "only" {
      text = "only"
    }
  }
  expect "e" {
    dimension = "speed" # ERROR col=17: Unsupported value
    condition = restored
    points    = 5
  }
  process {
    war_room_for = [1, 5] # ERROR col=20: Value out of range
  }
}
