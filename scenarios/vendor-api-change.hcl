# A payment vendor changes its API under us.
#
# PayRidge moves accounts that do not pin an API version to its new default,
# 2024-11-01, in a progressive rollout that starts 12 minutes before the
# exercise. The new version rejects unknown parameters with HTTP 422, and the
# deprecated `customer_ref` that our gateway still sends on saved-card and
# autopay payments is now unknown. Guest one-time payments (no customer_ref)
# keep working, so the failure is partial and grows with the vendor's
# rollout. The deprecation notice went out three weeks ago to the mailbox of an
# engineer who has left. Meanwhile the fraud team promoted a new model that
# pages first with a latency warning, and the payments team deployed yesterday.
scenario "vendor-api-change" {
  title       = "Payment vendor ships a breaking API change"
  summary     = "From 10:23 a growing share of member premium payments fail with 'Payment could not be processed'. The cause is outside the estate: PayRidge, the card and ACH processor, is rolling its new default API version (2024-11-01) to accounts that do not pin a version; it rejects the deprecated customer_ref parameter with HTTP 422. Saved-card and autopay payments fail; guest payments and the phone IVR work. A fraud-model latency alert pages first and a payments deploy from yesterday looks guilty. Good teams split the errors by status code, read the vendor's change log, call the vendor's merchant priority line, flip the existing flag that stops sending customer_ref (mitigation, at the cost of manual reconciliation), and get PayRidge to roll the account back to 2024-08-15 (fix), without replaying failed autopay into a rate limit or double charges."
  tags        = ["vendor", "third-party", "api-contract", "feature-flag", "payments"]
  objectives = [
    "Tell a vendor-side contract change from our own deploy by reading the evidence (status codes, response headers)",
    "Find and use the vendor change log and the vendor's priority helpdesk",
    "Mitigate with a feature flag and own the side effect it creates",
    "Get the vendor to roll back, and plan the permanent fix (pin the API version, send customer_reference)",
    "Avoid retry and replay moves that turn a partial outage into a rate limit or duplicate charges",
  ]
  duration    = "75m"
  difficulty  = "intermediate"
  seed        = 20241101
  start_clock = "10:20"

  # ---------------------------------------------------------------- groups

  group "payments" {
    title       = "Payments Engineering"
    members     = ["mei", "yusuf", "carlos"]
    owner       = "mei"
    description = "Owns payments-gateway, the adapter to the PayRidge processor, and its feature flags."
  }

  group "billing" {
    title       = "Premium Billing"
    members     = ["ines", "paul", "amara"]
    owner       = "ines"
    description = "Member premium billing API and the autopay scheduler."
  }

  group "digital" {
    title   = "Member Digital"
    members = ["zoe", "ben"]
    owner   = "zoe"
  }

  group "risk" {
    title       = "Fraud & Risk Engineering"
    members     = ["farah", "leo"]
    owner       = "farah"
    description = "Fraud scoring for card payments."
  }

  group "platform" {
    title       = "Platform Engineering"
    members     = ["sam", "noor"]
    owner       = "sam"
    description = "Runs the feature-flag service and CI/CD."
  }

  group "finance-ops" {
    title       = "Finance Operations"
    members     = ["greta", "ollie"]
    owner       = "greta"
    description = "Cash application, reconciliation and the autopay business process."
  }

  # ------------------------------------------------------------- rotations

  rotation "payments-primary" {
    group          = group.payments
    members        = ["yusuf", "carlos"]
    shift          = "24h"
    escalate_after = "10m"
    escalate_to    = "mei"
  }

  rotation "billing-primary" {
    group          = group.billing
    members        = ["paul", "amara"]
    shift          = "24h"
    escalate_after = "10m"
  }

  rotation "risk-primary" {
    group          = group.risk
    shift          = "168h"
    escalate_after = "15m"
  }

  rotation "platform-primary" {
    group          = group.platform
    shift          = "12h"
    escalate_after = "10m"
  }

  # --------------------------------------------------------------- vendors

  vendor "payridge" {
    title          = "PayRidge Payments (card and ACH processor)"
    helpdesk       = "+1 866 555 0177 (merchant priority line; merchant PIN in vault at payments/payridge)"
    portal         = "https://dashboard.payridge.example/support"
    sla            = "1h"
    responds_after = "18m"
    response       = "PayRidge Merchant Support, case PR-55120. Your account has no pinned API version, so it moved to our default 2024-11-01 during today's rollout (10:08-11:00). 2024-11-01 removes customer_ref (use customer_reference) and rejects unknown parameters. We can pin your account back to 2024-08-15 now; it propagates in about 20 minutes. Please send the Pay-Version header or pin your version in the dashboard going forward."
    change "api-2024-11-01-default" {
      at   = "-12m"
      note = "API version 2024-11-01 becomes the default for accounts without a pinned version, rolling out 10:08-11:00. Request validation is strict: unknown parameters return 422 parameter_unknown. customer_ref is removed; use customer_reference."
    }
    change "deprecation-notice" {
      at   = "-504h"
      note = "Deprecation notice emailed to the account's technical contact (j.alvarez@ourplan.example): customer_ref will be rejected from API version 2024-11-01."
    }
    change "tls-legacy-off" {
      at   = "-48h"
      note = "TLS 1.0 and 1.1 disabled on api.payridge.example."
    }
  }

  vendor "northwind-pay" {
    title          = "Northwind Pay (backup card processor)"
    helpdesk       = "+1 855 555 0133"
    portal         = "https://merchants.northwindpay.example"
    sla            = "2h"
    responds_after = "30m"
    response       = "Northwind Pay onboarding: your DR configuration was last tested in March. Card only; ACH is not in your contract. Switching needs your BIN routing update and our risk review, typically 30-45 minutes."
  }

  # ---------------------------------------------------------------- estate

  service "payments-gateway" {
    title       = "Payments Gateway (PayRidge adapter)"
    group       = group.payments
    vendor      = vendor.payridge
    owner       = "mei"
    critical    = true
    rps         = 85
    error_rate  = 0.004
    latency_ms  = 420
    slo         = 0.999
    depends_on  = {
      (service.fraud-scoring) = 0.1
      (service.feature-flags) = 0.05
    }
    description = "Creates payment intents at PayRidge for card and ACH premium payments. Does not pin a PayRidge API version."
  }

  service "premium-billing-api" {
    title       = "Premium Billing API"
    group       = group.billing
    owner       = "ines"
    critical    = true
    rps         = 60
    error_rate  = 0.002
    latency_ms  = 260
    slo         = 0.999
    depends_on  = { (service.payments-gateway) = 0.9 }
    description = "Member premium invoices and one-off payments from the portal and the app."
  }

  service "autopay-scheduler" {
    title       = "Autopay Scheduler"
    group       = group.billing
    owner       = "greta"
    rps         = 25
    error_rate  = 0.001
    latency_ms  = 900
    slo         = 0.995
    depends_on  = [service.payments-gateway]
    description = "Runs autopay batches at 10:00, 14:00 and 18:00; every autopay charge uses a saved payment method."
  }

  service "member-checkout-web" {
    title      = "Member payment pages"
    group      = group.digital
    rps        = 140
    error_rate = 0.002
    latency_ms = 380
    slo        = 0.999
    depends_on = { (service.premium-billing-api) = 0.8 }
  }

  service "fraud-scoring" {
    title      = "Fraud Scoring"
    group      = group.risk
    rps        = 85
    error_rate = 0.001
    latency_ms = 95
    slo        = 0.999
  }

  service "feature-flags" {
    title      = "Feature Flag Service"
    group      = group.platform
    rps        = 3000
    error_rate = 0.0001
    latency_ms = 3
    slo        = 0.9999
  }

  # ------------------------------------------------------------ monitoring

  alert "fraud-latency" {
    service     = service.fraud-scoring
    condition   = latency_ms > 400
    for         = "2m"
    page        = rotation.risk-primary
    severity    = "warning"
    description = "Fraud scoring p95 above 400 ms."
  }

  alert "payments-gateway-errors" {
    service     = service.payments-gateway
    condition   = error_rate > 0.05
    for         = "3m"
    page        = rotation.payments-primary
    severity    = "critical"
    description = "PayRidge calls failing above 5% for 3 minutes."
  }

  alert "premium-billing-errors" {
    service     = service.premium-billing-api
    condition   = error_rate > 0.1
    for         = "5m"
    page        = rotation.billing-primary
    severity    = "critical"
    description = "Premium payments failing above 10% for 5 minutes."
  }

  alert "autopay-failures" {
    service     = service.autopay-scheduler
    condition   = error_rate > 0.2
    for         = "10m"
    severity    = "warning"
    description = "Autopay batch failure rate above 20%. Dashboard only."
  }

  # ------------------------------------------------------------- knowledge

  runbook "payments-vendor-errors" {
    title   = "Payments: processor errors"
    service = service.payments-gateway
    group   = group.payments
    step "split-by-status" {
      text    = "In the gateway dashboard, split failed PayRidge calls by HTTP status and by payment flow."
      reveals = "96% of failures are HTTP 422 parameter_unknown (param: customer_ref), only on saved-card and autopay flows. Guest one-time payments succeed. Response header PayRidge-Version is 2024-11-01 on failures; it was 2024-08-15 yesterday."
      takes   = "3m"
    }
    step "check-vendor-changes" {
      text    = "Read the PayRidge change log (`/vendor payridge changes`) and the #vendor-feeds channel."
      reveals = "PayRidge is rolling 2024-11-01 out as the default for unpinned accounts 10:08-11:00; strict validation, customer_ref removed. A deprecation notice went to j.alvarez@ourplan.example three weeks ago (left the company in September)."
      takes   = "2m"
    }
    step "flag-off-legacy-field" {
      text    = "Set flag payments.vendor.send_legacy_customer_ref = false (standard change SC-PAY-004). Payments go without a customer reference; Finance Ops must match them by hand."
      applies = remedy.flag-omit-customer-ref
      takes   = "1m"
    }
    step "vendor-rollback" {
      text    = "Call the PayRidge merchant priority line (PIN in vault) and ask them to pin the account to 2024-08-15."
      applies = remedy.payridge-rollback
      takes   = "5m"
    }
    step "permanent-fix" {
      text    = "Under a change record: deploy gateway 3.19 that pins Pay-Version 2024-11-01 and sends customer_reference; then turn the legacy flag back on."
      applies = remedy.ship-customer-reference
    }
  }

  runbook "gateway-rollback" {
    title   = "Payments gateway: roll back the last release"
    service = service.payments-gateway
    group   = group.payments
    step "confirm-regression" {
      text    = "Compare error rate before and after the last deploy (3.18, yesterday 16:02)."
      reveals = "Error rate was 0.4% for 18 hours after 3.18; the rise starts at 10:23 today, with no deploy since."
      takes   = "2m"
    }
    step "rollback" {
      text    = "Emergency change: `deployctl rollback payments-gateway --to 3.17`."
      applies = remedy.rollback-gateway-3-18
    }
  }

  runbook "autopay-recovery" {
    title   = "Autopay: recover a failed batch"
    service = service.autopay-scheduler
    group   = group.billing
    step "dedupe" {
      text    = "Run `autopay failed --batch today-1000 --exclude-paid` to drop members who paid another way since."
      reveals = "1,912 failed charges; 214 of those members have since paid by IVR or the portal guest flow."
      takes   = "4m"
    }
    step "replay-deduped" {
      text = "Only after the processor accepts saved-card payments again: replay the deduplicated list with `autopay replay --from dedupe.csv --rate 5/s`."
    }
  }

  knowledge "kb0052211" {
    title      = "Member sees 'Payment could not be processed (PR-422-…)'"
    text       = "PR-4xx references are rejections returned by the card processor. If many members report it at once, raise an incident against Premium Billing and check for a parent incident."
    workaround = "Members can pay by phone through the IVR (1-800-555-0150, option 3) or as a guest on the payment page without a saved card; both use the one-time flow."
    applies_to = [service.premium-billing-api, service.member-checkout-web]
    keywords   = ["payment", "PR-422", "premium", "could not be processed", "card"]
  }

  knowledge "kb0048730" {
    title      = "Payments feature flags"
    text       = "payments.vendor.send_legacy_customer_ref (default true): sends customer_ref to PayRidge for reconciliation. Turning it off is a standard change (SC-PAY-004); Finance Ops must then match payments manually from the suspense queue."
    applies_to = [service.payments-gateway]
    keywords   = ["flag", "customer_ref", "payridge", "kill switch"]
  }

  knowledge "kb0031004" {
    title      = "Premium grace period"
    text       = "Members on a subsidised plan have a 90-day grace period, others 31 days. Extending the due date for an outage needs the Premium Billing service owner and a member notice from Communications."
    applies_to = [service.premium-billing-api]
    keywords   = ["grace", "lapse", "due date", "coverage ends"]
  }

  # ---------------------------------------------------------- what breaks

  fault "payridge-strict-validation" {
    service      = service.payments-gateway
    start        = "3m"
    ramp         = "10m"
    error_rate   = 0.6
    latency_ms   = 40
    cause        = "PayRidge moved our unpinned account to API version 2024-11-01, which rejects the deprecated customer_ref parameter the gateway still sends on saved-card and autopay payments (HTTP 422 parameter_unknown)."
    root_cause   = true
    mitigated_by = [remedy.flag-omit-customer-ref]
    fixed_by     = [remedy.payridge-rollback, remedy.ship-customer-reference]
    logs = [
      "10:23:41 payments-gateway WARN PayRidgeClient POST /v1/payment_intents -> 422 parameter_unknown param=customer_ref request_id=req_8fK2mQ flow=saved_card",
      "10:23:41 payments-gateway DEBUG response headers: PayRidge-Version=2024-11-01 (account default)",
      "10:24:02 payments-gateway INFO POST /v1/payment_intents -> 200 flow=guest_one_time PayRidge-Version=2024-11-01",
      "10:26:15 payments-gateway WARN autopay batch item 1188 rejected: Received unknown parameter: customer_ref",
    ]
  }

  fault "fraud-model-warmup" {
    service     = service.fraud-scoring
    start       = "1m"
    ramp        = "2m"
    latency_ms  = 450
    heals_after = "14m"
    cause       = "Fraud model v12 warming its feature cache after promotion; latency only, no errors."
    logs = [
      "10:21:10 fraud-scoring INFO model v12 promoted; feature cache cold (hit rate 12%)",
      "10:33:40 fraud-scoring INFO feature cache hit rate 91%",
    ]
  }

  fault "vendor-rate-limit" {
    service     = service.payments-gateway
    ramp        = "30s"
    error_rate  = 0.35
    heals_after = "10m"
    cause       = "PayRidge throttled the merchant account (429) after a burst of retries or replays."
    logs = [
      "payments-gateway WARN PayRidgeClient 429 rate_limited Retry-After=600 account=acct_ourplan",
    ]
  }

  remedy "flag-omit-customer-ref" {
    title   = "Flag payments.vendor.send_legacy_customer_ref = false"
    service = service.payments-gateway
    takes   = "2m"
    by      = [group.payments, group.platform]
  }

  remedy "payridge-rollback" {
    title   = "PayRidge pins the account back to API version 2024-08-15"
    service = service.payments-gateway
    takes   = "20m"
    by      = [group.payments]
  }

  remedy "ship-customer-reference" {
    title           = "Deploy gateway 3.19: pin Pay-Version and send customer_reference"
    service         = service.payments-gateway
    takes           = "30m"
    requires_change = true
    by              = [group.payments]
  }

  remedy "rollback-gateway-3-18" {
    title           = "Roll back payments-gateway to 3.17"
    service         = service.payments-gateway
    takes           = "6m"
    requires_change = true
    by              = [group.payments]
    harmful         = "3.18 is not the cause. The rollback brings back the PCI log-masking bug 3.18 fixed, blips payments during the deploy and fixes nothing."
    spike           = 0.1
    spike_for       = "3m"
  }

  remedy "raise-gateway-retries" {
    title     = "Raise gateway retries on vendor errors from 1 to 5"
    service   = service.payments-gateway
    takes     = "3m"
    by        = [group.payments]
    harmful   = "A 422 is not retryable; five times the calls hit PayRidge, which throttles the whole merchant account, guest payments included."
    spike     = 0.15
    spike_for = "3m"
    triggers  = [fault.vendor-rate-limit]
  }

  remedy "replay-all-failed-autopay" {
    title     = "Replay all 1,912 failed autopay charges now"
    service   = service.autopay-scheduler
    takes     = "8m"
    by        = [group.billing]
    harmful   = "Replayed without deduplication and faster than the vendor's limit: 214 members who already paid are charged twice and PayRidge throttles the account."
    spike     = 0.2
    spike_for = "5m"
    triggers  = [fault.vendor-rate-limit]
  }

  remedy "rollback-fraud-model" {
    title     = "Roll back fraud model v12 to v11"
    service   = service.fraud-scoring
    takes     = "5m"
    by        = [group.risk]
    harmful   = "The model was only warming up; the rollback costs a cold start of v11 and does nothing for the 422s."
    spike     = 0.02
    spike_for = "2m"
  }

  # ------------------------------------------------------------- the story

  inject "refund-report-request" {
    at      = "1m"
    to      = role.service_desk
    channel = "email"
    from    = "Priya Raman, Finance analyst"
    text    = "Could someone export last month's premium refunds report for audit? The scheduled one didn't land in my inbox. Not urgent, by Thursday is fine."
    record  = "request"
    about   = service.premium-billing-api
  }

  inject "fraud-model-promoted" {
    at      = "2m"
    to      = [group.risk, group.payments]
    channel = "chat"
    from    = "leo (Fraud & Risk)"
    text    = "Fraud model v12 promoted to 100% at 10:21. Expect a few minutes of higher scoring latency while the cache warms."
  }

  inject "member-payment-call" {
    at      = "8m"
    to      = role.service_desk
    channel = "phone"
    from    = "Gloria Mendes, member"
    text    = "I've tried three times to pay my premium on your website and it says 'Payment could not be processed, reference PR-422-7F3K'. My card is fine, I used it at the grocery store an hour ago. My letter says my coverage ends Friday if you don't get this payment. What do I do?"
    record  = "incident"
    about   = service.premium-billing-api
  }

  inject "payments-dev-chat" {
    at      = "11m"
    to      = group.payments
    channel = "chat"
    from    = "yusuf (Payments)"
    text    = "Seeing 422s from PayRidge. We shipped 3.18 yesterday at 16:02 but that was only log masking. Do we roll back to be safe?"
  }

  inject "autopay-batch-email" {
    at      = "14m"
    to      = role.service_desk
    channel = "email"
    from    = "Greta Lind, Finance Operations"
    text    = "The 10:00 autopay batch finished with 1,912 of 3,140 charges failed, reason VENDOR_REJECTED. Usually it's under 20. The 14:00 batch is twice the size. Please treat as urgent."
    record  = "incident"
    about   = service.autopay-scheduler
  }

  inject "vendor-status-green" {
    at      = "16m"
    to      = [group.payments, role.incident_manager]
    channel = "news"
    from    = "status.payridge.example"
    text    = "PayRidge status: All Systems Operational. Scheduled: API version 2024-11-01 rollout in progress."
  }

  inject "changelog-bot" {
    when    = elapsed > minutes(22) && !identified
    to      = group.payments
    channel = "chat"
    from    = "#vendor-feeds RSS bot (channel muted by 11 of 12 members)"
    text    = "PayRidge changelog: 'API 2024-11-01 is now the default for accounts without a pinned version. customer_ref has been removed; use customer_reference. Requests with unknown parameters are rejected with 422.'"
  }

  inject "two-bridges" {
    when    = elapsed > minutes(20) && length(war_rooms) > 1
    to      = role.incident_manager
    channel = "chat"
    from    = "Ines Duarte, Premium Billing owner"
    text    = "Payments has a bridge and my team has a bridge, and both are talking to the same vendor. Can we please have one?"
  }

  inject "reconciliation-fallout" {
    when    = remedy.flag-omit-customer-ref.completed
    to      = [group.finance-ops, group.billing]
    channel = "email"
    from    = "Reconciliation job"
    text    = "Payments are posting without customer reference since the flag change; auto-match failed for 340 so far, all in the suspense queue. Month-end close is in two days."
  }

  inject "rate-limited" {
    when    = fault.vendor-rate-limit.active
    to      = [group.payments, role.command_center]
    channel = "chat"
    from    = "payments-gateway alerts"
    text    = "PayRidge 429 rate_limited, Retry-After 600. The merchant account is throttled for ALL payment types, guest payments included."
  }

  inject "treasury-asks" {
    when    = elapsed > minutes(30) && !mitigated
    to      = [role.incident_manager, role.service_owner]
    channel = "email"
    from    = "Office of the CFO"
    text    = "How many members could lapse for non-payment because of this, and what are we telling them? The regulator's prompt-pay rules apply to premium processing too."
  }

  inject "departed-contact" {
    when    = identified
    to      = [group.payments, role.incident_manager]
    channel = "email"
    from    = "IT mailbox retention"
    text    = "Mailbox j.alvarez@ourplan.example (disabled 2024-09-14) received 'Action required: customer_ref deprecation' from PayRidge three weeks ago. No forwarding rule was set."
  }

  inject "grace-notice" {
    to      = [role.service_owner, role.command_center]
    channel = "email"
    from    = "Corporate Communications"
    text    = "Draft member notice ready: 'If your premium payment failed today, your coverage is safe. Your due date has been extended by 7 days.' Needs owner sign-off before 13:00 to go out with the portal banner."
  }

  inject "duplicate-charges" {
    to      = [role.service_desk, group.billing]
    channel = "phone"
    from    = "Member services escalation line"
    text    = "We're getting calls from members charged twice: once when they paid by phone this morning and again just now by autopay. Eleven calls in five minutes, two asking for a supervisor."
    record  = "incident"
    about   = service.autopay-scheduler
  }

  inject "owner-validation-ask" {
    when    = restored && !validated
    to      = role.service_owner
    channel = "chat"
    from    = "Command Center"
    text    = "Saved-card payments have succeeded for 10 minutes. Please validate restoration and give us the business-impact statement (failed payments, members affected, autopay recovery plan)."
  }

  # -------------------------------------------------------------- decisions

  decision "switch-processor" {
    when    = elapsed > minutes(20) && !mitigated
    to      = role.incident_manager
    prompt  = "Treasury proposes routing all card payments to the backup processor, Northwind Pay, until PayRidge is sorted. The DR path was last tested in March, takes 30-45 minutes to switch and does not cover ACH/autopay. Payments Engineering says a flag can stop sending the rejected field in two minutes, but payments then need manual reconciliation. What do you do?"
    timeout = "6m"
    default = "wait-for-payridge"
    option "flag-workaround" {
      text  = "Flip the flag now; reconcile by hand; push PayRidge for a rollback"
      score = 15
      note  = "Fastest, reversible, under our control; the reconciliation cost is known and bounded."
    }
    option "switch-to-backup" {
      text  = "Switch card traffic to Northwind Pay"
      score = -5
      note  = "Slow, untested for eight months, leaves autopay broken, and adds a second vendor's risk to an incident we can mitigate in two minutes."
    }
    option "wait-for-payridge" {
      text  = "Wait for PayRidge to answer the case"
      score = -10
      note  = "The vendor's SLA is an hour; members keep failing and the 14:00 autopay batch is at risk."
    }
  }

  decision "grace-period" {
    at      = "35m"
    to      = [role.service_owner, role.incident_manager]
    prompt  = "About 2,300 members had a payment fail today; 600 of them are due within 3 days. Extend their due date by 7 days and tell them?"
    timeout = "8m"
    default = "no-change"
    option "extend-grace" {
      text     = "Extend by 7 days and send the member notice"
      score    = 10
      note     = "Protects members from a lapse we caused and cuts repeat calls to the service desk."
      triggers = [inject.grace-notice]
    }
    option "no-change" {
      text  = "No change; members can retry"
      score = -5
      note  = "Members who do not retry lapse through no fault of their own; expect complaints to the regulator."
    }
  }

  decision "replay-autopay" {
    when    = mitigated
    to      = [group.billing, role.incident_manager]
    prompt  = "Saved-card payments work again. 1,912 autopay charges from the 10:00 batch failed. Replay them now, or deduplicate first?"
    timeout = "6m"
    default = "next-batch"
    option "replay-now" {
      text     = "Replay all 1,912 now"
      score    = -10
      note     = "Some members paid another way since; they are charged twice, and 1,912 calls in a burst trip the vendor's rate limit."
      triggers = [inject.duplicate-charges, fault.vendor-rate-limit]
    }
    option "dedupe-then-replay" {
      text  = "Deduplicate against payments since 10:00, then replay at 5/s"
      score = 10
      note  = "Right: the autopay-recovery runbook does exactly this."
    }
    option "next-batch" {
      text  = "Leave them for the 14:00 batch"
      score = 2
      note  = "Safe but slow, and the 14:00 batch doubles in size."
    }
  }

  # ------------------------------------------------------------ evaluation

  expect "first-record" {
    description = "The service desk records an incident from the first member call."
    dimension   = "detection"
    condition   = length(incidents) >= 1
    within      = "12m"
    decay       = "8m"
    points      = 10
  }

  expect "gateway-alert-acknowledged" {
    description = "Payments on-call acknowledges the gateway alert."
    dimension   = "detection"
    condition   = alert.payments-gateway-errors.acknowledged
    within      = "15m"
    decay       = "10m"
    points      = 10
  }

  expect "high-priority-parent" {
    description = "A P1/P2 parent covers premium billing and autopay."
    dimension   = "triage"
    condition   = parent.exists && parent.priority <= 2 && length(parent.children) >= 2
    within      = "25m"
    decay       = "10m"
    points      = 15
  }

  expect "vendor-change-identified" {
    description = "The team identifies the vendor's API version change as the cause, not our deploy or the fraud model."
    dimension   = "triage"
    condition   = identified && !remedy.rollback-gateway-3-18.applied && !remedy.rollback-fraud-model.applied
    within      = "30m"
    decay       = "15m"
    points      = 20
  }

  expect "command-center" {
    description = "The command center runs the incident."
    dimension   = "coordination"
    condition   = command_center
    within      = "20m"
    decay       = "10m"
    points      = 10
  }

  expect "vendor-engaged" {
    description = "The vendor is engaged through its priority line and the rollback requested."
    dimension   = "coordination"
    condition   = remedy.payridge-rollback.applied
    within      = "45m"
    decay       = "15m"
    points      = 15
  }

  expect "single-bridge" {
    description = "One war room for one vendor problem."
    dimension   = "coordination"
    condition   = mitigated && length(war_rooms) <= 1
    within      = "50m"
    points      = 5
  }

  expect "stakeholder-update" {
    description = "First stakeholder update within 25 minutes."
    dimension   = "communication"
    condition   = status_updates >= 1
    within      = "25m"
    decay       = "10m"
    points      = 10
  }

  expect "members-protected" {
    description = "Members who could lapse are protected and told."
    dimension   = "communication"
    condition   = decision.grace-period.choice == "extend-grace"
    within      = "50m"
    points      = 10
  }

  expect "mitigated-by-flag" {
    description = "Customer impact stops (flag workaround or vendor rollback)."
    dimension   = "recovery"
    condition   = mitigated
    within      = "30m"
    decay       = "15m"
    points      = 20
  }

  expect "vendor-fix" {
    description = "The root cause is removed: the account is pinned back, or the gateway sends customer_reference."
    dimension   = "recovery"
    condition   = fault.payridge-strict-validation.fixed
    within      = "65m"
    points      = 10
  }

  expect "no-self-inflicted-harm" {
    description = "Restored without throttling the merchant account or double-charging members."
    dimension   = "recovery"
    condition   = restored && !fault.vendor-rate-limit.active && !inject.duplicate-charges.fired
    points      = 10
  }

  expect "change-record" {
    description = "The flag flip and the permanent fix are covered by change records."
    dimension   = "process"
    condition   = length(changes) >= 1
    within      = "70m"
    points      = 10
  }

  expect "problem-record" {
    description = "A problem record captures the unpinned API version and the dead vendor contact."
    dimension   = "process"
    condition   = length(problems) >= 1
    within      = "75m"
    points      = 10
  }

  expect "owner-validation" {
    description = "The Premium Billing service owner validates restoration with an impact statement."
    dimension   = "process"
    condition   = validated
    within      = "70m"
    points      = 10
  }

  target {
    detect      = "6m"
    acknowledge = "5m"
    declare     = "12m"
    identify    = "20m"
    mitigate    = "22m"
    fix         = "50m"
    restore     = "35m"
  }
}
