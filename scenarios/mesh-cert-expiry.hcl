# Service-mesh intermediate certificate expiry: a slow burn.
#
# The mesh's intermediate CA certificate (mesh-int-2022) expired at 06:30, ten
# minutes before the exercise starts. Existing mTLS connections keep working;
# every new handshake fails chain validation. So services fail one at a time,
# in the order their connections recycle: member-profile (60 s idle timeout)
# first, claims-status (1 h HTTP/2 connections) much later. The alerts were
# tuned for blips, with high thresholds and long windows, so the first signal
# is a member on the phone. The instinct is to restart pods, which swaps the
# last working long-lived connections for new ones that cannot handshake.
scenario "mesh-cert-expiry" {
  title       = "Mesh intermediate certificate expires; services fail one by one"
  summary     = "At 06:30 the service mesh's intermediate CA certificate expired. No alert covers it and the expiry warnings went to an empty distribution list. Over the next hour services fail one after another as their connections recycle: member profile, provider directory, claims status, digital ID cards, notifications. The first report is a member calling the service desk at 06:44 and reading an Envoy TLS error off the screen. Red herrings: yesterday's mobile app release and a CDN WAF rule update this morning. Good teams treat the second failing service as a pattern, link the incidents, get the mesh and PKI teams (PKI's on-call is business hours only) onto one bridge, read the certificate chain, plug in the pre-staged backup intermediate (mitigation) and rotate the intermediate properly under change (fix). Restarting pods speeds up the failure; switching mTLS to permissive mode trades an outage for a security incident."
  tags        = ["pki", "certificates", "service-mesh", "slow-burn", "detection-gap"]
  objectives = [
    "Detect a slow-burning outage from customer reports before the monitoring does",
    "See one cause behind services failing minutes apart",
    "Read a certificate chain and find the expired intermediate",
    "Reach a team with no overnight on-call (PKI) through escalation",
    "Resist restarts and security-weakening shortcuts; mitigate with the backup intermediate",
  ]
  duration    = "110m"
  difficulty  = "advanced"
  seed        = 630
  start_clock = "06:40"

  # ---------------------------------------------------------------- groups

  group "mesh" {
    title       = "Platform Mesh"
    members     = ["wei", "olga", "ravi"]
    owner       = "wei"
    description = "Runs the Istio-based service mesh (istiod, ingress gateways, sidecars)."
  }

  group "pki" {
    title       = "Security PKI"
    members     = ["nadia", "ibrahim"]
    owner       = "nadia"
    description = "Certificate authorities, HSMs, key ceremonies. Business-hours team: on call 08:00-18:00 only."
  }

  group "member-apps" {
    title   = "Member Experience Apps"
    members = ["carmen", "theo", "isla"]
    owner   = "carmen"
  }

  group "provider-apps" {
    title   = "Provider Apps"
    members = ["mateo", "priscilla"]
    owner   = "mateo"
  }

  group "claims" {
    title   = "Claims Inquiry"
    members = ["hugo", "anya"]
    owner   = "hugo"
  }

  group "mobile" {
    title   = "Mobile Apps"
    members = ["kenji", "fatima"]
    owner   = "kenji"
  }

  group "security" {
    title       = "Security Operations"
    members     = ["rita", "sven"]
    owner       = "rita"
    description = "SOC; approves security exceptions."
  }

  # ------------------------------------------------------------- rotations

  rotation "mesh-primary" {
    group          = group.mesh
    members        = ["olga", "ravi"]
    shift          = "168h"
    escalate_after = "10m"
    escalate_to    = "wei"
  }

  rotation "pki-business-hours" {
    group          = group.pki
    members        = ["ibrahim"]
    shift          = "10h"
    escalate_after = "20m"
    escalate_to    = "nadia"
  }

  rotation "member-apps-primary" {
    group          = group.member-apps
    members        = ["theo", "isla"]
    shift          = "24h"
    escalate_after = "10m"
  }

  rotation "provider-apps-primary" {
    group          = group.provider-apps
    shift          = "24h"
    escalate_after = "10m"
  }

  rotation "claims-primary" {
    group          = group.claims
    shift          = "24h"
    escalate_after = "10m"
  }

  rotation "mobile-primary" {
    group          = group.mobile
    shift          = "168h"
    escalate_after = "15m"
  }

  rotation "security-primary" {
    group          = group.security
    shift          = "12h"
    escalate_after = "10m"
  }

  # --------------------------------------------------------------- vendors

  vendor "meshworks" {
    title          = "MeshWorks Enterprise Istio Support"
    helpdesk       = "+1 877 555 0190 (Sev1)"
    portal         = "https://support.meshworks.example"
    sla            = "1h"
    responds_after = "30m"
    response       = "MeshWorks support, case MW-7712. Your plugged-in intermediate (mesh-int-2022) expired at 06:30; istiod keeps signing with it and peers reject the chain. Put a valid intermediate into the cacerts secret (cert-chain must include the root), restart istiod, then force workload certificate rotation. Existing connections keep working until they recycle, which is why services fail gradually. Do not restart workloads before the CA is fixed."
    change "istio-1-21-4-patch" {
      at   = "-240h"
      note = "Istio 1.21.4 supported build released (CVE fixes in Envoy); no CA changes."
    }
  }

  vendor "edgefast" {
    title          = "EdgeFast CDN and WAF"
    helpdesk       = "+1 800 555 0175"
    portal         = "https://control.edgefast.example"
    sla            = "30m"
    responds_after = "15m"
    response       = "EdgeFast support: WAF managed ruleset 2024-11-20 has had no false-positive reports. Your edge shows 5xx coming from your origin (api gateway), not blocks from us."
    change "waf-ruleset-2024-11-20" {
      at   = "-55m"
      note = "WAF managed ruleset 2024-11-20 deployed (new SQLi signatures)."
    }
  }

  # ---------------------------------------------------------------- estate

  service "mesh-ca" {
    title       = "Mesh control plane and CA (istiod)"
    group       = group.mesh
    vendor      = vendor.meshworks
    owner       = "wei"
    rps         = 40
    error_rate  = 0
    latency_ms  = 8
    slo         = 0.9999
    description = "Signs workload certificates (24 h) with the plugged-in intermediate mesh-int-2022, issued from the offline 'Org Mesh Root CA 2020'."
  }

  service "member-profile" {
    title       = "Member Profile API"
    group       = group.member-apps
    owner       = "carmen"
    critical    = true
    rps         = 380
    error_rate  = 0.002
    latency_ms  = 90
    slo         = 0.999
    depends_on  = { (service.mesh-ca) = 0.01 }
    description = "Profile, address and preferences; calls five mesh services with 60 s idle connections."
  }

  service "provider-directory" {
    title      = "Provider Directory Search"
    group      = group.provider-apps
    owner      = "mateo"
    critical   = true
    rps        = 520
    error_rate = 0.001
    latency_ms = 140
    slo        = 0.999
    depends_on = { (service.mesh-ca) = 0.01 }
  }

  service "claims-status" {
    title      = "Claims Status Inquiry (276/277)"
    group      = group.claims
    owner      = "hugo"
    critical   = true
    rps        = 260
    error_rate = 0.002
    latency_ms = 210
    slo        = 0.999
    depends_on = { (service.mesh-ca) = 0.01 }
  }

  service "id-card" {
    title       = "Digital ID Card"
    group       = group.member-apps
    owner       = "carmen"
    critical    = true
    rps         = 150
    error_rate  = 0.001
    latency_ms  = 120
    slo         = 0.999
    depends_on  = { (service.mesh-ca) = 0.01 }
    description = "Members show it at pharmacies and clinics."
  }

  service "notifications" {
    title      = "Notifications (email, SMS, push)"
    group      = group.member-apps
    rps        = 90
    error_rate = 0.003
    latency_ms = 400
    slo        = 0.995
    depends_on = { (service.mesh-ca) = 0.01 }
  }

  service "api-gateway" {
    title      = "Public API gateway (mesh ingress)"
    group      = group.mesh
    rps        = 2100
    error_rate = 0.001
    latency_ms = 25
    slo        = 0.9995
    depends_on = {
      (service.member-profile)     = 0.25
      (service.provider-directory) = 0.25
      (service.claims-status)      = 0.2
      (service.id-card)            = 0.2
    }
  }

  # ------------------------------------------------------------ monitoring
  # Thresholds and windows were raised after a noisy quarter; none of these
  # will beat a member's phone call.

  alert "member-profile-5xx" {
    service     = service.member-profile
    condition   = error_rate > 0.25
    for         = "10m"
    page        = rotation.member-apps-primary
    severity    = "critical"
    description = "Member Profile 5xx above 25% for 10 minutes."
  }

  alert "provider-directory-5xx" {
    service     = service.provider-directory
    condition   = error_rate > 0.25
    for         = "10m"
    page        = rotation.provider-apps-primary
    severity    = "critical"
  }

  alert "claims-status-5xx" {
    service     = service.claims-status
    condition   = error_rate > 0.25
    for         = "10m"
    page        = rotation.claims-primary
    severity    = "critical"
  }

  alert "gateway-5xx" {
    service     = service.api-gateway
    condition   = error_rate > 0.1
    for         = "15m"
    page        = rotation.mesh-primary
    severity    = "critical"
    description = "Public API gateway 5xx above 10% for 15 minutes."
  }

  alert "istiod-errors" {
    service     = service.mesh-ca
    condition   = error_rate > 0.5
    for         = "15m"
    severity    = "warning"
    description = "istiod xDS/CSR errors. Dashboard only."
  }

  # ------------------------------------------------------------- knowledge

  runbook "mesh-tls-failures" {
    title   = "Mesh: mTLS handshake failures"
    service = service.mesh-ca
    group   = group.mesh
    step "check-proxy-cert-chain" {
      text    = "`istioctl proxy-config secret deploy/member-profile -n member -o json`, decode the chain and check notAfter on every certificate."
      reveals = "Leaf valid until tomorrow 05:12. Intermediate 'mesh-int-2022' notAfter today 06:30:00. Root 'Org Mesh Root CA 2020' valid to 2030. The intermediate has expired; every new handshake fails chain validation."
      takes   = "4m"
    }
    step "check-istiod" {
      text    = "`kubectl -n istio-system logs deploy/istiod | grep -i ca`"
      reveals = "istiod: 'CA certificate for mesh-int-2022 has expired (06:30:00Z); continuing to sign'. CSRs are answered, but with certificates nobody can validate."
      takes   = "2m"
    }
    step "connection-ages" {
      text    = "Compare idle timeouts and max connection durations in the DestinationRules."
      reveals = "member-profile upstreams idle out after 60 s, provider-directory 5 min, claims-status keeps HTTP/2 connections up to 1 h, id-card 30 min, notifications batch hourly. Services will fail in that order as their connections recycle."
      takes   = "3m"
    }
    step "plug-in-backup-intermediate" {
      text    = "With PKI: load the backup intermediate from Vault pki/mesh/backup-int-2024 into the cacerts secret, restart istiod, run `meshctl certs rotate --all` (SDS push, no pod restarts)."
      applies = remedy.plug-in-backup-intermediate
    }
  }

  runbook "pki-intermediate-rotation" {
    title   = "PKI: rotate the mesh intermediate"
    service = service.mesh-ca
    group   = group.pki
    step "locate-backup" {
      text    = "Find the pre-staged backup intermediate."
      reveals = "Vault pki/mesh/backup-int-2024: cross-signed backup intermediate from the 2024 key ceremony, valid 30 days from activation. Expiry warnings for mesh-int-2022 (30/14/7/1 days) went to mesh-admins@, a list with no members since the reorg."
      takes   = "3m"
    }
    step "activate-backup" {
      text    = "Activate the backup intermediate and hand it to the mesh team for istiod."
      applies = remedy.plug-in-backup-intermediate
    }
    step "key-ceremony" {
      text    = "Under an emergency change: issue a new 2-year intermediate from the offline root (two custodians, HSM), roll it into istiod, add it to the certificate inventory with owners and alerting."
      applies = remedy.rotate-mesh-intermediate
    }
  }

  runbook "member-profile-errors" {
    title   = "Member Profile: elevated 5xx"
    service = service.member-profile
    group   = group.member-apps
    step "check-envoy-logs" {
      text    = "Look at the sidecar access logs for failed upstream calls."
      reveals = "Response flags UF,URX: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS_error: CERTIFICATE_VERIFY_FAILED' on calls to address-svc and preferences-svc. Requests on older connections succeed."
      takes   = "3m"
    }
    step "restart-pods" {
      text    = "If errors persist, rolling-restart the member-profile deployment."
      applies = remedy.restart-member-profile-pods
    }
  }

  knowledge "kb0033981" {
    title      = "Member app: 'Something went wrong'"
    text       = "A generic error in the member app. Usually a bad network or an outdated app version. If several members report it within an hour, raise an incident against the service named in the error details."
    workaround = "Ask the member to update the app, clear the cache and sign in again."
    applies_to = [service.member-profile]
    keywords   = ["app", "something went wrong", "profile", "error"]
  }

  knowledge "kb0046612" {
    title      = "Digital ID card not loading"
    text       = "When the digital ID card cannot be shown, the member still has coverage."
    workaround = "Pharmacies and clinics can verify eligibility on the provider line 1-800-555-0166, option 1, or members can use the PDF card attached to their welcome email."
    applies_to = [service.id-card]
    keywords   = ["id card", "pharmacy", "coverage", "card not loading"]
  }

  knowledge "kb0029054" {
    title      = "Mesh certificate chain and backup intermediate"
    text       = "Workload certificates (24 h) are signed by the intermediate 'mesh-int-2022' from the offline root 'Org Mesh Root CA 2020'. A cross-signed backup intermediate is pre-staged in Vault for emergencies. TLS errors mentioning CERTIFICATE_VERIFY_FAILED across several services point to the chain, not the apps."
    workaround = "Mesh and PKI on call can activate the backup intermediate (EP-PKI-03) without a key ceremony."
    applies_to = [service.mesh-ca]
    keywords   = ["certificate", "tls", "CERTIFICATE_VERIFY_FAILED", "mtls", "expired", "istio"]
  }

  knowledge "kb0020117" {
    title      = "Provider remittance copies"
    text       = "Copies of remittance advice (835) are a provider service request; they are sent from the provider portal within one business day."
    applies_to = [service.claims-status]
    keywords   = ["remittance", "835", "copy", "provider"]
  }

  # ---------------------------------------------------------- what breaks

  fault "mesh-intermediate-expired" {
    service      = service.mesh-ca
    start        = "0s"
    ramp         = "45m"
    error_rate   = 0.6
    cause        = "The mesh intermediate CA certificate mesh-int-2022 expired at 06:30; istiod keeps signing with it and every new mTLS handshake fails chain validation. Expiry warnings went to an empty distribution list."
    root_cause   = true
    mitigated_by = [remedy.plug-in-backup-intermediate]
    fixed_by     = [remedy.rotate-mesh-intermediate]
    logs = [
      "06:30:00 istiod: warn ca: CA certificate mesh-int-2022 has expired (notAfter 2024-11-21T06:30:00Z); continuing to sign",
      "06:41:12 istiod: info ads: SDS: PUSH for node member-profile-7c9f... resource:default (cert chain 3)",
      "CertWatch 2024-11-20 06:30: 'mesh-int-2022 expires in 1 day' -> mesh-admins@ourplan.example (0 members)",
    ]
  }

  fault "member-profile-handshakes" {
    service      = service.member-profile
    start        = "2m"
    ramp         = "20m"
    error_rate   = 0.55
    latency_ms   = 300
    cause        = "60 s idle connections recycle first; new handshakes fail against the expired intermediate."
    mitigated_by = [remedy.plug-in-backup-intermediate]
    fixed_by     = [remedy.rotate-mesh-intermediate]
    logs = [
      "06:42:10 member-profile envoy: [C8812] upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS_error: CERTIFICATE_VERIFY_FAILED (address-svc.member.svc:8443)",
      "06:42:11 member-profile app: WARN PreferencesClient 503 upstream connect error (retry 1/2)",
    ]
  }

  fault "provider-directory-handshakes" {
    service      = service.provider-directory
    when         = elapsed > minutes(9) && !fault.mesh-intermediate-expired.mitigated && !fault.mesh-intermediate-expired.fixed
    ramp         = "25m"
    error_rate   = 0.5
    latency_ms   = 250
    cause        = "5-minute idle connections recycle; new handshakes fail."
    mitigated_by = [remedy.plug-in-backup-intermediate]
    fixed_by     = [remedy.rotate-mesh-intermediate]
    logs         = ["provider-directory envoy: TLS_error: CERTIFICATE_VERIFY_FAILED (geo-svc.provider.svc:8443)"]
  }

  fault "claims-status-handshakes" {
    service      = service.claims-status
    when         = elapsed > minutes(18) && !fault.mesh-intermediate-expired.mitigated && !fault.mesh-intermediate-expired.fixed
    ramp         = "25m"
    error_rate   = 0.6
    cause        = "Hour-long HTTP/2 connections reach max age and cannot be re-established."
    mitigated_by = [remedy.plug-in-backup-intermediate]
    fixed_by     = [remedy.rotate-mesh-intermediate]
    logs         = ["claims-status envoy: max_connection_duration reached; reconnect failed: TLS_error: CERTIFICATE_VERIFY_FAILED (adjudication-read.claims.svc:8443)"]
  }

  fault "id-card-handshakes" {
    service      = service.id-card
    when         = elapsed > minutes(26) && !fault.mesh-intermediate-expired.mitigated && !fault.mesh-intermediate-expired.fixed
    ramp         = "20m"
    error_rate   = 0.5
    cause        = "30-minute idle connections recycle; card rendering cannot reach the eligibility snapshot service."
    mitigated_by = [remedy.plug-in-backup-intermediate]
    fixed_by     = [remedy.rotate-mesh-intermediate]
    logs         = ["id-card envoy: TLS_error: CERTIFICATE_VERIFY_FAILED (elig-snapshot.member.svc:8443)"]
  }

  fault "notifications-handshakes" {
    service      = service.notifications
    when         = elapsed > minutes(38) && !fault.mesh-intermediate-expired.mitigated && !fault.mesh-intermediate-expired.fixed
    ramp         = "20m"
    error_rate   = 0.7
    cause        = "The hourly batch opens new connections to the template service and fails."
    mitigated_by = [remedy.plug-in-backup-intermediate]
    fixed_by     = [remedy.rotate-mesh-intermediate]
    logs         = ["notifications worker: batch 07:20 failed 4,112/4,380 sends: upstream connect error ... CERTIFICATE_VERIFY_FAILED"]
  }

  fault "profile-restart-accelerates" {
    service      = service.member-profile
    ramp         = "1m"
    error_rate   = 0.35
    heals_after  = "20m"
    cause        = "Restarted pods lost their remaining long-lived connections; every new one fails the handshake."
    mitigated_by = [remedy.plug-in-backup-intermediate]
    fixed_by     = [remedy.rotate-mesh-intermediate]
  }

  fault "claims-status-restart-wave" {
    service      = service.claims-status
    ramp         = "1m"
    error_rate   = 0.5
    heals_after  = "25m"
    cause        = "A mesh-wide restart replaced claims-status's still-working hour-long connections with new ones that cannot handshake."
    mitigated_by = [remedy.plug-in-backup-intermediate]
    fixed_by     = [remedy.rotate-mesh-intermediate]
  }

  fault "id-card-restart-wave" {
    service      = service.id-card
    ramp         = "1m"
    error_rate   = 0.5
    heals_after  = "20m"
    cause        = "A mesh-wide restart broke id-card's remaining connections early."
    mitigated_by = [remedy.plug-in-backup-intermediate]
    fixed_by     = [remedy.rotate-mesh-intermediate]
  }

  remedy "plug-in-backup-intermediate" {
    title   = "Activate the backup intermediate in istiod and push new workload certificates"
    service = service.mesh-ca
    takes   = "12m"
    by      = [group.mesh, group.pki]
  }

  remedy "rotate-mesh-intermediate" {
    title           = "Issue a new intermediate from the offline root and roll it out"
    service         = service.mesh-ca
    takes           = "30m"
    requires_change = true
    by              = [group.pki]
  }

  remedy "restart-member-profile-pods" {
    title     = "Rolling restart of member-profile"
    service   = service.member-profile
    takes     = "4m"
    by        = [group.member-apps]
    harmful   = "New pods get certificates chained to the expired intermediate and lose the last working long-lived connections; errors jump."
    spike     = 0.2
    spike_for = "4m"
    triggers  = [fault.profile-restart-accelerates]
  }

  remedy "restart-all-mesh-workloads" {
    title     = "Rolling restart of every meshed workload"
    service   = service.api-gateway
    takes     = "15m"
    by        = [group.mesh]
    harmful   = "Services that were still healthy on old connections (claims-status, id-card) fail at once; nothing gets a valid certificate while the intermediate is expired."
    spike     = 0.3
    spike_for = "10m"
    triggers  = [fault.claims-status-restart-wave, fault.id-card-restart-wave, fault.profile-restart-accelerates]
  }

  remedy "rollback-mobile-release" {
    title           = "Halt and roll back mobile app 5.2"
    service         = service.member-profile
    takes           = "20m"
    requires_change = true
    by              = [group.mobile]
    harmful         = "The app release is not involved (web users fail too). App-store rollbacks take hours to reach phones and confuse members."
    spike           = 0.01
    spike_for       = "1m"
  }

  # ------------------------------------------------------------- the story

  inject "member-profile-call" {
    at      = "4m"
    to      = role.service_desk
    channel = "phone"
    from    = "Walter Brennan, member"
    text    = "I'm trying to change my address in your app before my new card ships, and it keeps saying 'Something went wrong'. There's a details link, it says... 'upstream connect error or disconnect/reset before headers, reset reason connection failure, transport failure reason TLS error, certificate verify failed'. Does that mean something to you? Same on the website."
    record  = "incident"
    about   = service.member-profile
  }

  inject "mobile-release-note" {
    at      = "7m"
    to      = [group.mobile, group.member-apps]
    channel = "chat"
    from    = "kenji (Mobile)"
    text    = "Reminder: app 5.2 went to 100% yesterday at 17:00. Crash-free sessions 99.8%. Ping me if you see anything odd."
  }

  inject "remittance-request" {
    at      = "10m"
    to      = role.service_desk
    channel = "phone"
    from    = "Deb Harlow, billing office, Lakeside Family Practice"
    text    = "We never got the remittance for last month's batch from you. Can you resend the 835? Our reconciliation is due Friday."
    record  = "request"
    about   = service.claims-status
  }

  inject "provider-directory-ticket" {
    at      = "16m"
    to      = role.service_desk
    channel = "ticket"
    from    = "Provider search feedback form"
    text    = "Find-a-doctor search keeps saying 'Service temporarily unavailable' for about half my searches. I need an in-network cardiologist today."
    record  = "incident"
    about   = service.provider-directory
  }

  inject "cdn-waf-notice" {
    at      = "20m"
    to      = [role.technician, group.mesh]
    channel = "email"
    from    = "EdgeFast notifications"
    text    = "Your WAF managed ruleset was updated to 2024-11-20 at 05:45. If you see unexpected blocks, contact support."
  }

  inject "hospital-claims-call" {
    at      = "27m"
    to      = role.service_desk
    channel = "phone"
    from    = "Rosa Jimenez, patient accounts, St. Brigid Medical Center"
    text    = "Claim status lookups on your provider portal started failing twenty minutes ago. We have a patient being discharged and need to confirm the claim. Your portal says 'unable to retrieve status'."
    record  = "incident"
    about   = service.claims-status
  }

  inject "pharmacy-id-card-call" {
    at      = "33m"
    to      = role.service_desk
    channel = "phone"
    from    = "Member at a pharmacy counter"
    text    = "I'm at the pharmacy and my digital ID card won't load. The pharmacist says she can't find my coverage without it. I need my daughter's antibiotic."
    record  = "incident"
    about   = service.id-card
  }

  inject "bridges-multiply" {
    when    = elapsed > minutes(28) && length(war_rooms) > 1
    to      = role.incident_manager
    channel = "chat"
    from    = "Joan Whitaker, VP Digital Experience"
    text    = "I count separate bridges for profile, provider search and claims status. All three mention TLS errors. Is anyone looking across them?"
  }

  inject "envoy-digest" {
    when    = elapsed > minutes(30) && !identified
    to      = [group.mesh, role.command_center]
    channel = "chat"
    from    = "Log analytics daily digest (early run)"
    text    = "Top new error signature last 30 min: 'TLS_error: CERTIFICATE_VERIFY_FAILED' in 4 namespaces (member, provider, claims, notify); 0 in the previous 24 h."
  }

  inject "expiry-warnings-found" {
    when    = elapsed > minutes(45) && !identified
    to      = [group.mesh, group.pki]
    channel = "email"
    from    = "CertWatch (resent by mail admin from the undeliverable queue)"
    text    = "Undeliverable: 'mesh-int-2022 expires in 1 day' to mesh-admins@ourplan.example: distribution list has no members. Previous warnings at 30, 14 and 7 days also undeliverable."
  }

  inject "pki-not-answering" {
    when    = identified && !remedy.plug-in-backup-intermediate.applied && elapsed > minutes(40)
    to      = [role.incident_manager, role.command_center]
    channel = "chat"
    from    = "ChatOps bot"
    text    = "/oncall pki: 'Security PKI on call 08:00-18:00. Outside hours escalate to the group owner (nadia).' The page to ibrahim has not been acknowledged."
  }

  inject "restart-made-it-worse" {
    when    = fault.claims-status-restart-wave.active || fault.profile-restart-accelerates.active
    to      = [group.mesh, role.command_center]
    channel = "chat"
    from    = "hugo (Claims Inquiry)"
    text    = "Claims status was at 4% errors, now it's over half. What just restarted?"
  }

  inject "security-escalation" {
    to      = [role.incident_manager, group.security]
    channel = "phone"
    from    = "Rita Okoye, Security Operations owner"
    text    = "I've just seen PeerAuthentication flipped to PERMISSIVE mesh-wide. That puts PHI in clear text between nodes and needs a CISO exception. I'm opening a security incident and I need it reverted unless you can justify it in the next ten minutes."
  }

  inject "backup-is-temporary" {
    when    = remedy.plug-in-backup-intermediate.completed
    to      = [group.pki, role.command_center]
    channel = "email"
    from    = "nadia (Security PKI owner)"
    text    = "The backup intermediate is valid for 30 days. We need an emergency change and a key ceremony (two custodians) to issue a proper one; I can have custodians on site at 08:30."
  }

  inject "local-news" {
    when    = elapsed > minutes(55) && !mitigated
    to      = [role.command_center, role.service_owner]
    channel = "news"
    from    = "Morning news desk"
    text    = "Viewers report they can't show insurance cards at pharmacies this morning. We've reached out to the insurer for comment."
  }

  inject "owner-validation-ask" {
    when    = restored && !validated
    to      = role.service_owner
    channel = "chat"
    from    = "Command Center"
    text    = "All five services are back within baseline on new certificates. Please validate restoration for your service and add the business-impact statement."
  }

  # -------------------------------------------------------------- decisions

  decision "restart-profile" {
    when    = elapsed > minutes(18) && !mitigated
    to      = [role.technician, group.member-apps]
    prompt  = "Member Profile errors are climbing. The app on-call says 'TLS errors after a restart usually clear' and wants to rolling-restart member-profile. Go?"
    timeout = "5m"
    default = "restart"
    option "restart" {
      text     = "Restart member-profile now"
      score    = -10
      note     = "New pods cannot handshake either, and the restart throws away the connections that still work."
      triggers = [fault.profile-restart-accelerates]
    }
    option "read-the-error" {
      text  = "Hold; read the certificate chain the error complains about"
      score = 10
      note  = "The error says CERTIFICATE_VERIFY_FAILED; checking the chain finds the expired intermediate in minutes."
    }
    option "ask-mesh" {
      text  = "Hold; ask the mesh channel whether others see TLS errors"
      score = 8
      note  = "Good: correlation through ChatOps; the mesh team sees it is not only profile."
    }
  }

  decision "mesh-wide-restart" {
    when    = elapsed > minutes(36) && !identified
    to      = [role.incident_manager, group.mesh]
    prompt  = "The platform lead proposes a rolling restart of every meshed workload 'to refresh certificates everywhere'. About 15 minutes. Approve?"
    timeout = "5m"
    default = "hold"
    option "restart-everything" {
      text     = "Approve the mesh-wide restart"
      score    = -20
      note     = "While the intermediate is expired no certificate is valid; healthy services lose their working connections at once."
      triggers = [fault.claims-status-restart-wave, fault.id-card-restart-wave, fault.profile-restart-accelerates]
    }
    option "hold" {
      text  = "Hold until we know why handshakes fail"
      score = 10
    }
  }

  decision "permissive-mtls" {
    when    = elapsed > minutes(44) && !fault.mesh-intermediate-expired.mitigated && !fault.mesh-intermediate-expired.fixed
    to      = [role.incident_manager, role.command_center]
    prompt  = "The mesh on-call proposes setting PeerAuthentication to PERMISSIVE mesh-wide so plaintext traffic is accepted while PKI is reached. The alternative is the pre-staged backup intermediate, which needs PKI's owner (PKI has no overnight on-call; nadia is reachable by phone). What do you do?"
    timeout = "6m"
    default = "go-permissive"
    option "go-permissive" {
      text     = "Go permissive mesh-wide now"
      score    = -10
      note     = "Trades an outage for a security incident: PHI in clear text between nodes without an exception, and clients still verify server certificates, so it restores less than hoped."
      triggers = [inject.security-escalation]
    }
    option "call-pki-owner" {
      text  = "Phone the PKI owner and activate the backup intermediate"
      score = 15
      note  = "Escalation to the group owner is the process when the rotation does not cover the hour; the backup exists for this."
    }
    option "wait-for-business-hours" {
      text  = "Wait for PKI at 08:00"
      score = -10
      note  = "More than an hour of growing outage."
    }
  }

  decision "member-banner" {
    at      = "52m"
    to      = [role.service_owner, role.command_center]
    prompt  = "Member Digital can post a banner in the app and on the website and a short note for pharmacies: coverage is not affected, verify eligibility by phone. Post it?"
    timeout = "6m"
    default = "hold"
    option "post-banner" {
      text  = "Post the banner and the pharmacy note"
      score = 8
      note  = "Cuts calls to the service desk and gets members their prescriptions."
    }
    option "hold" {
      text  = "Hold until we have an ETA"
      score = -5
      note  = "Members and pharmacies keep calling; the news desk runs the story without us."
    }
  }

  # ------------------------------------------------------------ evaluation

  expect "first-call-recorded" {
    description = "The service desk records the first member call as an incident instead of closing it with the 'update the app' article."
    dimension   = "detection"
    condition   = length(incidents) >= 1
    within      = "9m"
    decay       = "8m"
    points      = 15
  }

  expect "pattern-before-alerts" {
    description = "Two incidents about different services are open before the first alert fires."
    dimension   = "detection"
    condition   = length(incidents) >= 2 && !alert.member-profile-5xx.fired
    within      = "22m"
    points      = 10
  }

  expect "high-priority-parent" {
    description = "A parent incident at P1/P2 once more than one critical service is affected."
    dimension   = "triage"
    condition   = parent.exists && parent.priority <= 2
    within      = "30m"
    decay       = "15m"
    points      = 15
  }

  expect "chain-identified" {
    description = "The expired intermediate is identified as the cause."
    dimension   = "triage"
    condition   = identified
    within      = "40m"
    decay       = "20m"
    points      = 20
  }

  expect "incidents-linked" {
    description = "Profile, directory and claims-status incidents are children of one parent."
    dimension   = "coordination"
    condition   = length(parent.children) >= 3
    within      = "45m"
    decay       = "15m"
    points      = 15
  }

  expect "command-center-and-pages" {
    description = "The command center runs it and pages beyond the app teams (mesh, PKI)."
    dimension   = "coordination"
    condition   = command_center && pages >= 2
    within      = "45m"
    decay       = "15m"
    points      = 10
  }

  expect "first-update" {
    description = "A stakeholder update before the news desk calls."
    dimension   = "communication"
    condition   = status_updates >= 1
    within      = "40m"
    decay       = "15m"
    points      = 10
  }

  expect "members-and-pharmacies-told" {
    description = "Members and pharmacies get the banner and the verify-by-phone note."
    dimension   = "communication"
    condition   = decision.member-banner.choice == "post-banner"
    points      = 5
  }

  expect "mitigated" {
    description = "Backup intermediate active; handshakes succeed again."
    dimension   = "recovery"
    condition   = mitigated
    within      = "65m"
    decay       = "25m"
    points      = 20
  }

  expect "no-restarts-no-permissive" {
    description = "Restored without restarts before the CA fix and without weakening mTLS."
    dimension   = "recovery"
    condition   = restored && !remedy.restart-member-profile-pods.applied && !remedy.restart-all-mesh-workloads.applied && !inject.security-escalation.fired
    points      = 10
  }

  expect "intermediate-rotated" {
    description = "A proper intermediate is issued and rolled out under change."
    dimension   = "recovery"
    condition   = fault.mesh-intermediate-expired.fixed
    within      = "110m"
    points      = 10
  }

  expect "change-record" {
    description = "The rotation runs under an emergency change."
    dimension   = "process"
    condition   = length(changes) >= 1
    within      = "100m"
    points      = 10
  }

  expect "problem-record" {
    description = "A problem record covers certificate inventory, the dead distribution list and the alert thresholds."
    dimension   = "process"
    condition   = length(problems) >= 1
    within      = "110m"
    points      = 10
  }

  expect "owner-validation" {
    description = "Service owners validate restoration."
    dimension   = "process"
    condition   = validated
    within      = "105m"
    points      = 10
  }

  target {
    detect      = "6m"
    acknowledge = "10m"
    declare     = "20m"
    identify    = "35m"
    mitigate    = "50m"
    fix         = "95m"
    restore     = "70m"
  }
}
