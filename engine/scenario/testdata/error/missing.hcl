scenario "missing" { # ERROR col=20: Missing required argument
  duration = "60m"

  group "app" { # ERROR col=15: Missing required argument
    owner = "ana"
  }
  group "ops" {
    members = ["kim"]
    owner   = "kim"
  }
  rotation "ops-primary" {
    group          = group.ops
    members        = ["kim", "bob"] # ERROR col=22: Rotation member not in group
    shift          = "12h"
    escalate_after = "10m"
    escalate_to    = "zed" # ERROR col=22: Unknown person
  }
}
