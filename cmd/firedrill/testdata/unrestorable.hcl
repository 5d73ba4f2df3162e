# A root cause only a remedy nobody knows how to apply can fix: no runbook
# applies it and bots apply remedies only from runbooks, so service is never
# restored and every time to restore is censored at the end.
scenario "unrestorable" {
  title    = "Checkout fails and nobody has the fix"
  duration = "30m"

  group "shop" {
    members = ["ana", "raj"]
    owner   = "ana"
  }

  service "checkout" {
    group    = group.shop
    critical = true
    rps      = 200
  }

  fault "bad-deploy" {
    service    = service.checkout
    start      = "2m"
    error_rate = 0.3
    cause      = "Deploy 412 broke the payment form"
    root_cause = true
    fixed_by   = [remedy.rollback]
  }

  remedy "rollback" {
    service = service.checkout
  }
}
