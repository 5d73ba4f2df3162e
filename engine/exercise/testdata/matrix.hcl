# Two mirror-image teams, blue and red, so that every op has a target in
# the actor's scope (blue's) and one outside it (red's). The permission
# matrix test plays every op as every role against both.
scenario "matrix" {
  title       = "Two teams, two services, one of everything"
  duration    = "60m"
  seed        = 1
  start_clock = "09:00"

  group "blue" {
    members = ["bt", "bo"]
    owner   = "bo"
  }
  group "red" {
    members = ["rt", "ro"]
    owner   = "ro"
  }

  group "business" {
    members = ["bso", "rso"]
    owner   = "bso"
  }

  rotation "blue-primary" {
    group          = group.blue
    members        = ["bt", "bo"]
    shift          = "12h"
    escalate_after = "10m"
  }
  rotation "red-primary" {
    group          = group.red
    members        = ["rt", "ro"]
    shift          = "12h"
    escalate_after = "10m"
  }

  vendor "bluevend" {
    helpdesk = "+1 800 555 0101"
    change "b1" {
      at   = "-1h"
      note = "Blue vendor changed its pool"
    }
  }
  vendor "redvend" {
    helpdesk = "+1 800 555 0102"
    change "r1" {
      at   = "-1h"
      note = "Red vendor changed its pool"
    }
  }

  service "blue-api" {
    group      = group.blue
    owner      = "bso"
    vendor     = vendor.bluevend
    critical   = true
    rps        = 100
    error_rate = 0.001
  }
  service "red-api" {
    group      = group.red
    owner      = "rso"
    vendor     = vendor.redvend
    critical   = true
    rps        = 100
    error_rate = 0.001
  }

  alert "blue-errors" {
    service   = service.blue-api
    condition = error_rate > 0.05
    for       = "1m"
    page      = rotation.blue-primary
  }
  alert "red-errors" {
    service   = service.red-api
    condition = error_rate > 0.05
    for       = "1m"
    page      = rotation.red-primary
  }

  runbook "blue-book" {
    title   = "Blue"
    service = service.blue-api
    step "look" {
      text    = "Look."
      reveals = "Blue's secret."
    }
    step "fix" {
      text    = "Fix."
      applies = remedy.blue-fix
    }
  }
  runbook "red-book" {
    title   = "Red"
    service = service.red-api
    step "look" {
      text    = "Look."
      reveals = "Red's secret."
    }
    step "fix" {
      text    = "Fix."
      applies = remedy.red-fix
    }
  }

  fault "blue-down" {
    service    = service.blue-api
    start      = "1m"
    error_rate = 0.5
    cause      = "Blue broke"
    root_cause = true
    fixed_by   = [remedy.blue-fix]
  }
  fault "red-down" {
    service    = service.red-api
    start      = "1m"
    error_rate = 0.5
    cause      = "Red broke"
    fixed_by   = [remedy.red-fix]
  }

  remedy "blue-fix" {
    service = service.blue-api
    takes   = "1m"
  }
  remedy "red-fix" {
    service = service.red-api
    takes   = "1m"
  }
  remedy "blue-change" {
    service         = service.blue-api
    takes           = "1m"
    requires_change = true
  }
  remedy "red-change" {
    service         = service.red-api
    takes           = "1m"
    requires_change = true
  }

  # Put to everyone on blue's side: its group and the seats the matrix
  # plays there; red's only to red's group.
  decision "blue-call" {
    at     = "2m"
    to     = [group.blue, role.caller, role.service_desk, role.incident_manager, role.command_center, role.service_owner]
    prompt = "Blue?"
    option "yes" {
      text = "Yes"
    }
    option "no" {
      text = "No"
    }
  }
  decision "red-call" {
    at     = "2m"
    to     = group.red
    prompt = "Red?"
    option "yes" {
      text = "Yes"
    }
    option "no" {
      text = "No"
    }
  }
}
