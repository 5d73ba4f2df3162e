scenario "refs" {
  title    = "Dangling references"
  duration = "60m"

  group "app" {
    members = ["ana"]
    owner   = "ana"
  }
  rotation "app-primary" {
    group          = group.apps # ERROR col=22: Reference to undeclared group
    shift          = "12h"
    escalate_after = "10m"
  }
  service "api" {
    group      = group.app
    depends_on = [service.dbb] # ERROR col=19: Reference to undeclared service
  }
  alert "api-errors" {
    service   = service.api
    condition = error_rate > 0.1
    page      = group.app # ERROR col=17: Invalid reference
  }
  fault "boom" {
    service    = service.api
    start      = "5m"
    cause      = "boom"
    root_cause = true
    fixed_by   = [remedy.rollback] # ERROR col=19: Reference to undeclared remedy
  }
  remedy "restart" {
    service = service.api
  }
  inject "call" {
    at      = "5m"
    to      = [role.service_desk, role.ceo] # ERROR col=35: Reference to undeclared role
    channel = "phone"
    text    = "It is down."
  }
  inject "ping" {
    at      = "6m"
    to      = person.bob # ERROR col=15: Reference to undeclared person
    channel = "chat"
    text    = "Are you there?"
  }
  decision "what" {
    at     = "10m"
    to     = role.incident_manager
    prompt = "Now what?"
    option "a" {
      text     = "A"
      triggers = [inject.calll] # ERROR col=19: Reference to undeclared inject
    }
    option "b" {
      text = "B"
    }
  }
}
