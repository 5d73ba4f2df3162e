scenario "structure" {
  title    = "Blocks in the wrong shape"
  duration = "60m"

  injct "typo" { # ERROR col=3: Unsupported block type
    at = "5m"
  }
  group "app" {
    members = ["ana"]
    owner   = "ana"
    colour  = "blue" # ERROR col=5: Unsupported argument
  }
  group "Bad Name" { # ERROR col=9: Invalid name
    members = ["ana"]
    owner   = "ana"
  }
}

scenario "second" { # ERROR col=1: More than one scenario block
  title    = "Second"
  duration = "60m"
}
