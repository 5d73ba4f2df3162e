# Shared egress proxy saturation.
#
# Three member-facing apps (claims, pharmacy, eligibility) call their external
# partners through one shared forward proxy pair run by Network Engineering.
# Overnight the proxy vendor's remote support upgraded the active node; the new
# firmware ships a connection-table default a quarter of the old one and a long
# idle timeout, so the table fills in the afternoon peak. Every app team sees
# only "vendor timeouts" in its own dashboards and the instinct is three war
# rooms, three vendor tickets and a round of pod restarts (which make it worse).
scenario "egress-proxy-saturation" {
  title       = "Shared egress proxy saturates; three apps fail at once"
  summary     = "At 13:56 the active node of the shared egress proxy (egress-px01) runs out of connection-table slots after the vendor's overnight firmware upgrade cut the default from 262144 to 65536 and raised the idle timeout to an hour. Claims, pharmacy and eligibility all lose a third of their calls to external partners. Each team sees only its own errors and blames its own partner. Good teams notice three simultaneous 'vendor' outages, link the incidents under one parent, find the proxy through the pod-to-proxy traffic view, page the network on-call, fail over to the standby node (still on the old firmware) and then raise the table under an emergency change. Restarting app pods opens thousands of new connections and makes the saturation worse."
  tags        = ["network", "proxy", "correlation", "vendor-change", "war-rooms", "chatops"]
  objectives = [
    "Recognise three simultaneous partner outages as one shared-dependency incident",
    "Link the app incidents under one parent and run one war room, not three",
    "Use the pod-to-proxy traffic view and ChatOps /oncall to find and page the owning group",
    "Check the vendor change log and engage the proxy vendor's helpdesk",
    "Mitigate with the standby failover before attempting the fix, and put the fix through a change record",
    "Resist restarting healthy pods to 'clear stuck connections'",
  ]
  duration    = "90m"
  difficulty  = "intermediate"
  seed        = 4471
  start_clock = "13:50"

  # ---------------------------------------------------------------- groups

  group "network" {
    title       = "Network Engineering"
    members     = ["kim", "joe", "priya"]
    owner       = "kim"
    description = "Owns the data-centre network, firewalls and the egress proxy pair egress-px01/px02 (VIP 10.40.8.10:8080)."
  }

  group "claims" {
    title       = "Claims Platform"
    members     = ["ana", "raj", "tomas"]
    owner       = "ana"
    description = "Claims submission and adjudication APIs; calls the ClaimsClear clearinghouse."
  }

  group "pharmacy" {
    title       = "Pharmacy Benefits Apps"
    members     = ["lena", "marcus", "yuki"]
    owner       = "lena"
    description = "Prior authorisation and formulary APIs; calls the RxLink PBM."
  }

  group "eligibility" {
    title       = "Eligibility & Enrollment"
    members     = ["sofia", "dev", "omar"]
    owner       = "sofia"
    description = "Real-time eligibility (X12 270/271) for providers and members; calls the ClaimsClear clearinghouse."
  }

  group "platform" {
    title       = "Container Platform (Kubernetes)"
    members     = ["chen", "bella"]
    owner       = "chen"
    description = "Runs the shared Kubernetes clusters and the New Relic infrastructure agents, including the pod-to-proxy traffic view."
  }

  group "digital" {
    title       = "Member Digital"
    members     = ["grace", "hank"]
    owner       = "grace"
    description = "Member portal and mobile back end."
  }

  # ------------------------------------------------------------- rotations

  rotation "network-primary" {
    group          = group.network
    members        = ["joe", "priya"]
    shift          = "12h"
    escalate_after = "8m"
    escalate_to    = "kim"
  }

  rotation "claims-primary" {
    group          = group.claims
    members        = ["raj", "tomas"]
    shift          = "24h"
    escalate_after = "10m"
  }

  rotation "pharmacy-primary" {
    group          = group.pharmacy
    members        = ["marcus", "yuki"]
    shift          = "24h"
    escalate_after = "10m"
  }

  rotation "eligibility-primary" {
    group          = group.eligibility
    members        = ["dev", "omar"]
    shift          = "24h"
    escalate_after = "10m"
  }

  rotation "platform-primary" {
    group          = group.platform
    shift          = "12h"
    escalate_after = "10m"
  }

  rotation "digital-primary" {
    group          = group.digital
    shift          = "24h"
    escalate_after = "15m"
  }

  # --------------------------------------------------------------- vendors

  vendor "skygate" {
    title          = "SkyGate Secure Web Gateway"
    helpdesk       = "+1 800 555 0142 (option 2, severity 1)"
    portal         = "https://support.skygate.example/cases"
    sla            = "30m"
    responds_after = "14m"
    response       = "SkyGate TAC, Sev1 case SG-2291740. We see egress-px01 was upgraded to SGOS 7.2.4 at 04:50 by our remote services team under your maintenance agreement. 7.2.4 loads the 'default-v7' connection profile: max connections 65536 (yours was 262144 on 7.1.9) and TCP idle timeout 3600s (was 300s). Restore your values with `conn-limit set 262144` and `tcp idle-timeout 300`; it takes effect without a reboot. egress-px02 is still on 7.1.9. Apologies, the release note for 7.2.4 lists this as a 'profile normalisation'."
    change "sgos-7-2-4-px01" {
      at   = "-9h"
      note = "SGOS 7.2.4 applied to egress-px01 by SkyGate remote services (vendor ref VC-88121). Loads connection profile 'default-v7' (profile normalisation). egress-px02 scheduled for next maintenance window."
    }
    change "threat-feed-refresh" {
      at   = "-2h"
      note = "Category and threat-intelligence feed update 2024.11.19.3 pushed to all managed gateways."
    }
  }

  vendor "claimsclear" {
    title          = "ClaimsClear Clearinghouse"
    helpdesk       = "+1 888 555 0199"
    portal         = "https://status.claimsclear.example"
    sla            = "1h"
    responds_after = "20m"
    response       = "ClaimsClear support: all our edges are green. We actually see your request volume down about 35% since 13:56 and no errors or resets from our side; requests that reach us complete in 140 ms. Are you behind a proxy?"
    change "edge-allowlist" {
      at   = "-26h"
      note = "Added edge IP range 198.51.100.0/26 to the inbound allowlist; partners need no action."
    }
  }

  vendor "rxlink" {
    title          = "RxLink Pharmacy Benefit Manager"
    helpdesk       = "+1 877 555 0123"
    portal         = "https://partners.rxlink.example/status"
    sla            = "1h"
    responds_after = "25m"
    response       = "RxLink partner desk: no incident on our side. Your prior-auth traffic dropped off at 13:56; the calls that arrive succeed. Our TLS certificate rotation three days ago is unrelated."
    change "tls-cert-rotation" {
      at   = "-72h"
      note = "Rotated the TLS certificate on api.rxlink.example (same CA chain)."
    }
  }

  # ---------------------------------------------------------------- estate

  service "egress-proxy" {
    title       = "Egress proxy (egress-px01/px02, VIP 10.40.8.10:8080)"
    group       = group.network
    vendor      = vendor.skygate
    owner       = "kim"
    rps         = 4200
    error_rate  = 0.0005
    latency_ms  = 35
    slo         = 0.9995
    description = "Active/standby forward proxy pair; every pod in the member clusters reaches the internet only through it (HTTPS CONNECT)."
  }

  service "claims-api" {
    title       = "Claims Submission API"
    group       = group.claims
    vendor      = vendor.claimsclear
    owner       = "ana"
    critical    = true
    rps         = 320
    error_rate  = 0.002
    latency_ms  = 180
    slo         = 0.999
    depends_on  = { (service.egress-proxy) = 0.7 }
    description = "Submits claims to the ClaimsClear clearinghouse in real time for Member Services and providers."
  }

  service "pharmacy-api" {
    title       = "Pharmacy Prior Authorisation API"
    group       = group.pharmacy
    vendor      = vendor.rxlink
    owner       = "lena"
    critical    = true
    rps         = 210
    error_rate  = 0.003
    latency_ms  = 240
    slo         = 0.999
    depends_on  = { (service.egress-proxy) = 0.8 }
    description = "Prior-authorisation and formulary checks against the RxLink PBM for retail pharmacies."
  }

  service "eligibility-api" {
    title       = "Real-time Eligibility API (270/271)"
    group       = group.eligibility
    vendor      = vendor.claimsclear
    owner       = "sofia"
    critical    = true
    rps         = 540
    error_rate  = 0.001
    latency_ms  = 95
    slo         = 0.9995
    depends_on  = { (service.egress-proxy) = 0.5 }
    description = "Eligibility and benefits lookups; cache hits are served locally, misses go to the clearinghouse."
  }

  service "member-portal" {
    title      = "Member Portal"
    group      = group.digital
    owner      = "grace"
    rps        = 900
    error_rate = 0.001
    latency_ms = 310
    slo        = 0.999
    depends_on = {
      (service.claims-api)      = 0.3
      (service.pharmacy-api)    = 0.2
      (service.eligibility-api) = 0.3
    }
  }

  # ------------------------------------------------------------ monitoring

  alert "claims-5xx" {
    service     = service.claims-api
    condition   = error_rate > 0.05
    for         = "3m"
    page        = rotation.claims-primary
    severity    = "critical"
    description = "Claims API 5xx above 5% for 3 minutes."
  }

  alert "pharmacy-5xx" {
    service     = service.pharmacy-api
    condition   = error_rate > 0.05
    for         = "3m"
    page        = rotation.pharmacy-primary
    severity    = "critical"
    description = "Prior-auth API 5xx above 5% for 3 minutes."
  }

  alert "eligibility-errors" {
    service     = service.eligibility-api
    condition   = error_rate > 0.08
    for         = "5m"
    page        = rotation.eligibility-primary
    severity    = "critical"
    description = "271 responses with AAA 42 (unable to respond now) above 8% for 5 minutes."
  }

  alert "egress-proxy-conn-table" {
    service     = service.egress-proxy
    condition   = saturation > 0.95
    for         = "10m"
    severity    = "warning"
    description = "Proxy connection table above 95%. Dashboard-only: never wired to a rotation (open action from PIR-2023-114)."
  }

  alert "portal-errors" {
    service     = service.member-portal
    condition   = error_rate > 0.1
    for         = "5m"
    page        = rotation.digital-primary
    severity    = "warning"
    description = "Member portal error rate above 10%."
  }

  # ------------------------------------------------------------- knowledge

  runbook "egress-proxy-health" {
    title   = "Egress proxy: health check, failover and connection limits"
    service = service.egress-proxy
    group   = group.network
    step "check-conn-table" {
      text    = "SSH to the active node and run `proxyctl stats conn` and `show version`."
      reveals = "egress-px01 SGOS 7.2.4: conn table 65536/65536 (100%), 41,877 idle > 600s, new CONNECTs refused with 503 'conn limit'. Idle timeout 3600s."
      takes   = "2m"
    }
    step "check-peer" {
      text    = "Run `proxyctl ha status` to check the standby."
      reveals = "egress-px02 standby, SGOS 7.1.9, conn table 2% (max 262144), healthy, config in sync except the firmware profile."
      takes   = "1m"
    }
    step "failover" {
      text    = "Pre-approved under standard change SC-NET-017: `proxyctl ha failover --to egress-px02`. Expect a few seconds of resets while the VIP moves."
      applies = remedy.failover-to-px02
      takes   = "3m"
    }
    step "raise-conn-table" {
      text    = "Needs an (emergency) change record. On the affected node: `conn-limit set 262144` and `tcp idle-timeout 300`, then `proxyctl stats conn` to confirm."
      applies = remedy.raise-conn-table
    }
    step "failback" {
      text = "After the fix and a quiet 30 minutes, fail back to egress-px01 in the next change window and ask the vendor to hold px02's upgrade until the profile is pinned."
    }
  }

  runbook "pod-egress-traffic" {
    title   = "Pod-to-proxy traffic view (New Relic infrastructure)"
    group   = group.platform
    step "open-view" {
      text    = "Open the New Relic dashboard 'Cluster egress: pods -> proxy', or `/status egress` in ChatOps."
      reveals = "claims, pharmacy and eligibility namespaces all send outbound traffic to 10.40.8.10:8080. Since 13:56 SYN_SENT to the proxy VIP has climbed from ~40 to 3,900 across 212 pods and TCP connect time to the VIP is 2.8 s. Nothing else changed on the nodes."
      takes   = "3m"
    }
    step "check-nodes" {
      text    = "Check node conntrack and CPU on the worker pools."
      reveals = "Node conntrack at 18%, CPU 40%, no OOMKills, readiness probes passing. The pods are healthy; their connections wait on the proxy."
      takes   = "2m"
    }
  }

  runbook "claims-partner-timeouts" {
    title   = "Claims: clearinghouse timeouts"
    service = service.claims-api
    group   = group.claims
    step "check-dashboard" {
      text    = "Open the Claims API golden-signals dashboard and split errors by upstream."
      reveals = "Errors are `ProxyConnectException: 503 conn limit from 10.40.8.10:8080` and connect timeouts at CONNECT time, before TLS. Requests that get through complete in the usual 140 ms."
      takes   = "2m"
    }
    step "check-vendor-status" {
      text    = "Check status.claimsclear.example and the ClaimsClear change log."
      reveals = "ClaimsClear reports all systems operational; its last change (an allowlist addition) was yesterday."
      takes   = "1m"
    }
    step "restart-pods" {
      text    = "If pods are unhealthy (OOMKilled, readiness failing), rolling-restart the claims deployment."
      applies = remedy.restart-claims-pods
    }
  }

  runbook "pharmacy-pa-timeouts" {
    title   = "Pharmacy: prior-auth timeouts"
    service = service.pharmacy-api
    group   = group.pharmacy
    step "check-logs" {
      text    = "Search the prior-auth logs for upstream errors."
      reveals = "`UpstreamConnectError: proxy CONNECT api.rxlink.example:443 failed: 503` in 34% of requests since 13:56."
      takes   = "2m"
    }
    step "restart-pods" {
      text    = "Rolling-restart the prior-auth deployment to clear stuck HTTP client pools."
      applies = remedy.restart-pharmacy-pods
    }
  }

  knowledge "kb0041822" {
    title      = "Claims: 'Unable to reach adjudication partner'"
    text       = "Shown when the claims API cannot reach the ClaimsClear clearinghouse. Check the ClaimsClear status page and the #claims-ops channel; if several partner-facing apps fail at the same time, suspect the shared egress proxy (network group, /oncall network)."
    workaround = "Member Services reps can save the claim as 'pending submission' (Claims Desk > Save as pending); pending claims are resubmitted automatically every 15 minutes."
    applies_to = [service.claims-api]
    keywords   = ["claims", "adjudication partner", "timeout", "clearinghouse", "spins"]
  }

  knowledge "kb0039110" {
    title      = "Pharmacy: prior-authorisation check times out"
    text       = "Retail pharmacies see 'PA check unavailable' when the prior-auth API cannot reach RxLink."
    workaround = "Pharmacists may dispense a 72-hour emergency supply under override code EMS72 and resubmit the PA later."
    applies_to = [service.pharmacy-api]
    keywords   = ["pharmacy", "prior auth", "PA", "timeout", "rxlink"]
  }

  knowledge "kb0040007" {
    title      = "How outbound (internet) traffic leaves the member clusters"
    text       = "No pod has a direct route to the internet. All outbound HTTPS goes through the egress proxy VIP 10.40.8.10:8080 (egress-px01 active, egress-px02 standby), owned by Network Engineering. On-call: `/oncall network`. Traffic view: New Relic 'Cluster egress: pods -> proxy'. Setting NO_PROXY does not help: the firewall drops direct egress."
    applies_to = [service.egress-proxy, service.claims-api, service.pharmacy-api, service.eligibility-api]
    keywords   = ["proxy", "egress", "outbound", "vendor", "internet", "no_proxy", "bluecoat"]
  }

  knowledge "kb0012230" {
    title      = "Request read access to a Splunk index"
    text       = "Access to application indexes is a service request, approved by the index owner's group owner. Use catalogue item 'Splunk index access'."
    applies_to = [service.claims-api]
    keywords   = ["access", "splunk", "new hire", "request"]
  }

  # ---------------------------------------------------------- what breaks

  fault "px01-conn-table-exhausted" {
    service      = service.egress-proxy
    start        = "6m"
    ramp         = "4m"
    error_rate   = 0.45
    latency_ms   = 2600
    saturation   = 1.0
    cause        = "egress-px01 connection table exhausted: SGOS 7.2.4 loaded the 'default-v7' profile (max 65536 connections, idle timeout 3600s) at the vendor's overnight upgrade; afternoon peak fills it and new CONNECTs are refused."
    root_cause   = true
    mitigated_by = [remedy.failover-to-px02]
    fixed_by     = [remedy.raise-conn-table]
    logs = [
      "13:56:04 egress-px01 kernel: conn_table: table full (65536/65536), dropping new connection from 10.52.14.7",
      "13:56:05 egress-px01 proxy[2211]: TCP_ERR_MISS/503 CONNECT api.rxlink.example:443 - conn limit reached",
      "13:56:09 egress-px01 proxy[2211]: TCP_ERR_MISS/503 CONNECT edi.claimsclear.example:443 - conn limit reached",
      "13:58:40 egress-px01 sysmon: established=65536 idle_gt_600s=41877 tcp_idle_timeout=3600",
      "04:50:12 egress-px01 upgrade: SGOS 7.1.9 -> 7.2.4 complete (remote services), profile default-v7 loaded",
    ]
  }

  fault "reconnect-storm" {
    service     = service.egress-proxy
    ramp        = "1m"
    error_rate  = 0.25
    latency_ms  = 1500
    saturation  = 1.0
    heals_after = "12m"
    cause       = "Restarted pods opened thousands of fresh CONNECTs at once against a full connection table."
    logs = [
      "egress-px01 proxy[2211]: SYN rate 9,412/min from 10.52.0.0/16 (baseline 600/min)",
      "egress-px01 kernel: conn_table: table full, dropping 7,980 new connections in 60s",
    ]
  }

  fault "direct-egress-blackhole" {
    service     = service.claims-api
    ramp        = "30s"
    error_rate  = 0.6
    heals_after = "10m"
    cause       = "NO_PROXY for partner domains sent claims traffic straight at the firewall, which drops direct egress from the clusters."
    logs = [
      "claims-api: java.net.ConnectException: connect timed out to edi.claimsclear.example:443 (direct)",
      "fw-dc1-edge: DENY tcp 10.52.14.7 -> 203.0.113.40:443 rule 'no-direct-egress-k8s'",
    ]
  }

  remedy "failover-to-px02" {
    title           = "Fail the egress VIP over to egress-px02"
    service         = service.egress-proxy
    takes           = "3m"
    requires_change = false
    by              = [group.network]
  }

  remedy "raise-conn-table" {
    title           = "Restore connection limit 262144 and idle timeout 300s on egress-px01"
    service         = service.egress-proxy
    takes           = "10m"
    requires_change = true
    by              = [group.network]
  }

  remedy "restart-claims-pods" {
    title     = "Rolling restart of the claims deployment"
    service   = service.claims-api
    takes     = "4m"
    by        = [group.claims]
    harmful   = "The pods were healthy. Restarting drops in-flight claim submissions and every new pod opens fresh CONNECTs against a full connection table; errors rise."
    spike     = 0.3
    spike_for = "4m"
    triggers  = [fault.reconnect-storm]
  }

  remedy "restart-pharmacy-pods" {
    title     = "Rolling restart of the prior-auth deployment"
    service   = service.pharmacy-api
    takes     = "4m"
    by        = [group.pharmacy]
    harmful   = "Healthy pods restarted; in-flight PA checks lost and a reconnect storm hits the full proxy."
    spike     = 0.3
    spike_for = "4m"
    triggers  = [fault.reconnect-storm]
  }

  remedy "restart-eligibility-pods" {
    title     = "Rolling restart of the eligibility deployment"
    service   = service.eligibility-api
    takes     = "5m"
    by        = [group.eligibility]
    harmful   = "Restart empties the 271 response cache, so every lookup now needs the clearinghouse through the saturated proxy."
    spike     = 0.35
    spike_for = "6m"
    triggers  = [fault.reconnect-storm]
  }

  remedy "rollback-eligibility-release" {
    title           = "Roll back eligibility-api 2024.11.3"
    service         = service.eligibility-api
    takes           = "8m"
    requires_change = true
    by              = [group.eligibility]
    harmful         = "The release was healthy; the rollback empties the cache, costs eight minutes and a change record, and fixes nothing."
    spike           = 0.1
    spike_for       = "3m"
  }

  # ------------------------------------------------------------- the story

  inject "eligibility-release-chat" {
    at      = "2m"
    to      = group.eligibility
    channel = "chat"
    from    = "dev (Eligibility)"
    text    = "FYI shipped eligibility-api 2024.11.3 at 13:41 (new 271 parser behind flag, flag off). Dashboards look fine, watching."
  }

  inject "splunk-access-request" {
    at      = "4m"
    to      = role.service_desk
    channel = "phone"
    from    = "Carla Nunez, Claims Operations supervisor"
    text    = "Hi, I've got a new hire starting Monday, Devon Ruiz, who needs read access to the claims Splunk dashboards. Who approves that?"
    record  = "request"
    about   = service.claims-api
  }

  inject "member-services-call" {
    at      = "9m"
    to      = role.service_desk
    channel = "phone"
    from    = "Dana Whitfield, Member Services floor lead"
    text    = "We've got forty reps on the phones and claim submission keeps spinning for half a minute and then says 'Unable to reach adjudication partner'. It's maybe one in three. Started around ten to two... no, just before two. Members are holding."
    record  = "incident"
    about   = service.claims-api
  }

  inject "claims-chat-clue" {
    at      = "11m"
    to      = group.claims
    channel = "chat"
    from    = "raj (Claims)"
    text    = "ClaimsClear timeouts again. Odd: they die at CONNECT, before TLS. Error says '503 conn limit from 10.40.8.10'. Is that theirs?"
  }

  inject "pharmacy-store-call" {
    at      = "12m"
    to      = role.service_desk
    channel = "phone"
    from    = "Pharmacist, Store #4471 (Dayton, OH)"
    text    = "Prior auth checks are timing out for half my queue. I've got a line of people waiting for insulin and I can't get the PA through. Is RxLink down?"
    record  = "incident"
    about   = service.pharmacy-api
  }

  inject "provider-portal-ticket" {
    at      = "14m"
    to      = role.service_desk
    channel = "ticket"
    from    = "Provider Services web form"
    text    = "Multiple provider offices report 'Eligibility temporarily unavailable, try again later' on real-time eligibility checks since about 14:00. Front desks are turning patients to self-pay."
    record  = "incident"
    about   = service.eligibility-api
  }

  inject "pharmacy-own-war-room" {
    at      = "15m"
    to      = group.pharmacy
    channel = "chat"
    from    = "lena (Pharmacy, group owner)"
    text    = "Opening a pharmacy war room. RxLink must be having another bad day; marcus, open a Sev1 with them."
  }

  inject "eligibility-suspects-release" {
    at      = "16m"
    to      = group.eligibility
    channel = "chat"
    from    = "omar (Eligibility)"
    text    = "Errors started 15 minutes after dev's deploy. Should we just roll back 2024.11.3 to be safe?"
  }

  inject "platform-notices-syn" {
    when    = elapsed > minutes(18) && !identified
    to      = group.platform
    channel = "chat"
    from    = "New Relic (infra alert digest)"
    text    = "Anomaly: TCP SYN_SENT from pods to 10.40.8.10:8080 up 97x across namespaces claims, pharmacy, eligibility (since 13:56). Node health normal."
  }

  inject "three-bridges" {
    when    = elapsed > minutes(25) && length(war_rooms) > 1
    to      = role.incident_manager
    channel = "chat"
    from    = "Marta Olsen, VP Member Digital"
    text    = "I've been dropped into three different bridges in ten minutes, each blaming a different vendor. Is this one outage or three? Who is running it?"
  }

  inject "restart-storm-fallout" {
    when    = fault.reconnect-storm.active
    to      = [group.network, role.command_center]
    channel = "chat"
    from    = "egress-px01 syslog relay"
    text    = "egress-px01: SYN rate 9,412/min from 10.52.0.0/16 (baseline 600/min); 7,980 connections dropped in the last minute."
  }

  inject "firewall-deny-flood" {
    when    = fault.direct-egress-blackhole.active
    to      = [group.network, group.claims]
    channel = "chat"
    from    = "Firewall log relay"
    text    = "fw-dc1-edge: 14,200 DENY 'no-direct-egress-k8s' from claims pods to 203.0.113.40:443 in 5 minutes."
  }

  inject "member-complaints-social" {
    when    = elapsed > minutes(35) && !mitigated
    to      = [role.command_center, role.service_owner]
    channel = "news"
    from    = "Social media monitoring"
    text    = "Trending locally: 'Pharmacy can't approve my meds, insurer's system down' - 212 posts in 20 minutes, one reposted by a local TV health reporter."
  }

  inject "exec-status-ask" {
    when    = elapsed > minutes(40) && status_updates == 0
    to      = role.incident_manager
    channel = "email"
    from    = "Office of the SVP, Operations"
    text    = "The SVP is meeting the pharmacy network partners at 15:00 and has had no update. What's the impact, what's the ETA, and what do we tell them?"
  }

  inject "failover-blip" {
    when    = remedy.failover-to-px02.applied
    to      = [group.claims, group.pharmacy, group.eligibility]
    channel = "chat"
    from    = "ChatOps bot"
    text    = "Network: egress VIP moving to egress-px02 now; expect ~5 seconds of connection resets."
  }

  inject "cab-asks-for-change" {
    when    = remedy.raise-conn-table.applied && length(changes) == 0
    to      = [group.network, role.command_center]
    channel = "email"
    from    = "Change Advisory Board"
    text    = "We see a configuration push on egress-px01 with no change record. Please raise an emergency change and attach the incident."
  }

  inject "owner-validation-ask" {
    when    = restored && !validated
    to      = role.service_owner
    channel = "chat"
    from    = "Dana Whitfield, Member Services floor lead"
    text    = "Reps say claims are going through again. Can I tell the floor we're clear and resubmit the pending ones?"
  }

  # -------------------------------------------------------------- decisions

  decision "restart-the-fleet" {
    when    = elapsed > minutes(19) && !mitigated
    to      = [role.incident_manager, role.technician]
    prompt  = "The claims lead says 'our HTTP client pools are wedged, we've seen this before' and wants to rolling-restart claims, pharmacy and eligibility pods together. Pods are passing readiness checks. What do you do?"
    timeout = "5m"
    default = "restart-all"
    option "restart-all" {
      text     = "Restart all three deployments now"
      score    = -15
      note     = "The pods are healthy and the pools are waiting on the proxy. A mass restart opens thousands of new CONNECTs against a full table and drops in-flight work."
      triggers = [fault.reconnect-storm]
    }
    option "canary-one-pod" {
      text  = "Restart one claims pod as a test and watch it"
      score = 0
      note  = "Cheap and reversible; the restarted pod fails exactly like the others, which is itself a clue."
    }
    option "hold-and-trace" {
      text  = "Hold restarts; trace where the connections fail (pod-to-proxy view)"
      score = 10
      note  = "Right: the errors happen at CONNECT to the proxy VIP, which is the common point of all three apps."
    }
  }

  decision "no-proxy-bypass" {
    when    = elapsed > minutes(23) && !mitigated
    to      = role.incident_manager
    prompt  = "A senior claims engineer proposes setting NO_PROXY for the ClaimsClear and RxLink domains so the pods 'skip the broken proxy'. It's a config-map change and a restart. Approve?"
    timeout = "4m"
    default = "decline"
    option "approve-bypass" {
      text     = "Approve the bypass for claims now"
      score    = -20
      note     = "There is no direct route out: the edge firewall drops pod egress by design (KB0040007). Every claims call now fails, and it bypasses security inspection of PHI traffic."
      triggers = [fault.direct-egress-blackhole]
    }
    option "ask-network" {
      text  = "Ask Network whether direct egress exists before deciding"
      score = 10
      note  = "Good: the owner of the path answers in a minute, and engaging them is the real fix path."
    }
    option "decline" {
      text  = "Decline"
      score = 5
    }
  }

  decision "mitigate-or-fix" {
    when    = identified
    to      = [role.incident_manager, role.command_center]
    prompt  = "Network confirms egress-px01's connection table is full after the vendor's firmware upgrade. Options: fail over to egress-px02 (still on 7.1.9, pre-approved standard change, ~3 min) or raise the limits live on px01 (emergency change, CAB approval, ~10-15 min)."
    timeout = "5m"
    default = "wait-for-vendor"
    option "failover-then-fix" {
      text  = "Fail over now; raise the limits on px01 under an emergency change afterwards"
      score = 15
      note  = "Mitigate first with the pre-approved, reversible step; fix the root cause under change control with the pressure off."
    }
    option "fix-in-place" {
      text  = "Raise the limits live on px01 under an emergency change"
      score = 0
      note  = "It works, but impact continues through CAB approval and the push; changing a saturated node under load risks a reload."
    }
    option "wait-for-vendor" {
      text  = "Wait for SkyGate TAC to confirm before touching anything"
      score = -10
      note  = "The vendor's SLA is 30 minutes; members wait the whole time."
    }
  }

  # ------------------------------------------------------------ evaluation

  expect "first-record-from-call" {
    description = "The service desk records an incident from the first member-services call."
    dimension   = "detection"
    condition   = length(incidents) >= 1
    within      = "12m"
    decay       = "8m"
    points      = 10
  }

  expect "parent-at-high-priority" {
    description = "A parent incident exists at P1 or P2 (three critical apps, member harm)."
    dimension   = "triage"
    condition   = parent.exists && parent.priority <= 2
    within      = "22m"
    decay       = "10m"
    points      = 15
  }

  expect "root-cause-identified" {
    description = "The team identifies the saturated egress proxy as the common cause."
    dimension   = "triage"
    condition   = identified
    within      = "30m"
    decay       = "15m"
    points      = 20
  }

  expect "one-parent" {
    description = "The claims, pharmacy and eligibility incidents are linked under one parent."
    dimension   = "coordination"
    # One family: every incident about the three apps is the parent or under it.
    condition = length(distinct([for i in incidents : i.service if contains(["claims-api", "pharmacy-api", "eligibility-api"], i.service)])) == 3 && length(distinct([for i in incidents : (i.parent != "" ? i.parent : i.number) if contains(["claims-api", "pharmacy-api", "eligibility-api"], i.service) && i.state != "merged" && i.state != "declined"])) == 1
    within      = "25m"
    decay       = "15m"
    points      = 20
  }

  expect "command-center-engaged" {
    description = "The command center is running the incident."
    dimension   = "coordination"
    condition   = command_center
    within      = "20m"
    decay       = "10m"
    points      = 10
  }

  expect "one-war-room" {
    description = "Impact is stopped with at most one war room open."
    dimension   = "coordination"
    condition   = mitigated && length(war_rooms) <= 1
    within      = "60m"
    points      = 10
  }

  expect "network-paged" {
    description = "Someone pages the owning group (Network) by hand; the proxy alert pages no one."
    dimension   = "coordination"
    condition   = pages >= 1
    within      = "28m"
    decay       = "10m"
    points      = 10
  }

  expect "first-status-update" {
    description = "A stakeholder update goes out within the first half hour."
    dimension   = "communication"
    condition   = status_updates >= 1
    within      = "30m"
    decay       = "10m"
    points      = 10
  }

  expect "regular-updates" {
    description = "Updates keep coming while the incident is open."
    dimension   = "communication"
    condition   = status_updates >= 2
    within      = "60m"
    points      = 5
  }

  expect "mitigated-by-failover" {
    description = "Customer impact stops (failover to the standby)."
    dimension   = "recovery"
    condition   = fault.px01-conn-table-exhausted.mitigated || mitigated
    within      = "40m"
    decay       = "20m"
    points      = 20
  }

  expect "root-cause-fixed" {
    description = "The connection limit and idle timeout are restored on egress-px01."
    dimension   = "recovery"
    condition   = fault.px01-conn-table-exhausted.fixed
    within      = "80m"
    points      = 10
  }

  expect "no-pod-restarts" {
    description = "Restored without restarting healthy app pods."
    dimension   = "recovery"
    condition   = restored && !remedy.restart-claims-pods.applied && !remedy.restart-pharmacy-pods.applied && !remedy.restart-eligibility-pods.applied && !fault.reconnect-storm.active
    points      = 10
  }

  expect "change-record" {
    description = "The connection-table fix goes through a change record."
    dimension   = "process"
    condition   = length(changes) >= 1
    within      = "80m"
    points      = 10
  }

  expect "problem-record" {
    description = "A problem record is opened (P1, caused by a vendor change, critical apps)."
    dimension   = "process"
    condition   = length(problems) >= 1
    within      = "90m"
    points      = 10
  }

  expect "owner-validation" {
    description = "Service-level owners validate restoration before closure."
    dimension   = "process"
    condition   = validated
    within      = "85m"
    points      = 10
  }

  target {
    detect      = "5m"
    acknowledge = "5m"
    declare     = "12m"
    identify    = "20m"
    mitigate    = "28m"
    fix         = "60m"
    restore     = "40m"
  }
}
