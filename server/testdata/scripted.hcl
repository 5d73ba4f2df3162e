# A small outage for a scripted response: people hold every seat, so what
# happens when is what the script did, and the review must say so to the
# second (TestScriptedResponse).
scenario "scripted" {
  title    = "Checkout fails after a bad deploy"
  duration = "60m"
  seed     = 1

  group "shop" {
    members = ["ana", "raj"]
    owner   = "ana"
  }

  service "checkout" {
    group      = group.shop
    critical   = true
    rps        = 100
    error_rate = 0.001
  }

  fault "bad-deploy" {
    service      = service.checkout
    start        = "2m"
    error_rate   = 0.4
    cause        = "Deploy 412 broke the payment form"
    root_cause   = true
    mitigated_by = [remedy.card-field-flag]
    fixed_by     = [remedy.rollback]
    logs         = ["payment form: nil pointer in CardField"]
  }

  remedy "card-field-flag" {
    title   = "Turn the new card field off"
    service = service.checkout
    takes   = "1m"
  }

  remedy "rollback" {
    title   = "Roll back deploy 412"
    service = service.checkout
    takes   = "2m"
  }

  hypothesis "gateway" {
    title   = "The payment gateway is down"
    service = service.checkout
  }

  inject "store-call" {
    at      = "5m"
    to      = role.service_desk
    channel = "phone"
    from    = "Store manager"
    text    = "Customers cannot pay at checkout."
    record  = "incident"
    about   = service.checkout
  }

  target {
    detect      = "4m"
    acknowledge = "4m"
    declare     = "4m"
    identify    = "6m"
    mitigate    = "7m"
    fix         = "10m"
    restore     = "11m"
    close       = "12m"
  }
}
