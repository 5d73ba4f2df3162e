scenario "small" {
  title       = "Checkout API fails after a bad deploy"
  summary     = "A small scenario the tests use: one app, one database, one bad deploy."
  tags        = ["test"]
  objectives  = ["Detect", "Restore"]
  duration    = "60m"
  difficulty  = "intro"
  seed        = 7
  start_clock = "14:00"

  group "shop" {
    title   = "Shop"
    members = ["ana", "raj"]
    owner   = "ana"
  }
  group "dba" {
    members = ["kim"]
    owner   = "kim"
  }

  rotation "shop-primary" {
    group          = group.shop
    shift          = "12h"
    escalate_after = "10m"
  }

  vendor "dbco" {
    helpdesk = "+1 800 555 0100"
    change "v2" {
      at   = "-2h"
      note = "Pool defaults changed"
    }
  }

  service "db" {
    group      = group.dba
    vendor     = vendor.dbco
    rps        = 500
    error_rate = 0.001
    latency_ms = 5
  }
  service "checkout" {
    group      = group.shop
    critical   = true
    rps        = 200
    depends_on = { (service.db) = 0.9 }
  }

  alert "checkout-errors" {
    service   = service.checkout
    condition = error_rate > 0.05
    for       = "2m"
    page      = rotation.shop-primary
    severity  = "critical"
  }

  runbook "rollback" {
    title   = "Roll back checkout"
    service = service.checkout
    step "look" {
      text    = "Check the deploy log."
      reveals = "Deploy 412 went out at 13:58."
    }
    step "roll" {
      text    = "Roll back."
      applies = remedy.rollback
    }
  }

  knowledge "KB0001" {
    title      = "Checkout errors"
    workaround = "Send customers to the mobile app."
    applies_to = [service.checkout]
  }

  fault "bad-deploy" {
    service    = service.checkout
    start      = "5m"
    ramp       = "1m"
    error_rate = 0.3
    cause      = "Deploy 412 broke the payment form"
    root_cause = true
    fixed_by   = [remedy.rollback]
    logs       = ["payment form: nil pointer"]
  }

  remedy "rollback" {
    service = service.checkout
    takes   = "4m"
  }
  remedy "restart" {
    service  = service.checkout
    takes    = "2m"
    harmful  = "Drops carts"
  }

  inject "call" {
    at      = "7m"
    to      = role.service_desk
    channel = "phone"
    from    = "Store manager"
    text    = "Customers cannot pay."
    record  = "incident"
    about   = service.checkout
  }
  inject "vp" {
    when    = elapsed > minutes(20) && !restored
    to      = [role.incident_manager, group.shop]
    channel = "email"
    text    = "Why is checkout still down?"
  }
  inject "follow-up" {
    to      = everyone
    channel = "chat"
    text    = "Finance asks for numbers."
  }

  decision "comms" {
    at      = "15m"
    to      = role.incident_manager
    prompt  = "Post a status page update now?"
    timeout = "5m"
    default = "wait"
    option "post" {
      text  = "Post now"
      score = 10
    }
    option "wait" {
      text     = "Wait"
      score    = -5
      triggers = [inject.follow-up]
    }
  }

  expect "restored" {
    dimension = "recovery"
    condition = restored
    within    = "30m"
    points    = 20
  }
  expect "one-parent" {
    dimension = "coordination"
    condition = length(parent.children) >= 1 || service.checkout.healthy
    points    = 10
  }

  target {
    detect  = "5m"
    restore = "30m"
  }

  process {
    war_room_for = [1]
    status_every = "20m"
  }
}
