# Database failover, then stale reads.
#
# At 07:43, in the payroll-contribution morning peak, the storage path of the
# HSA wallet database primary flaps and Patroni fails over cleanly to
# pg-wallet-02. The failover alert fires and resolves within a minute and the
# DBA channel says "cluster healthy". What nobody sees: last month's Patroni
# config template (CHG0081120) dropped the permanent replication slots, so the
# read replicas cannot stream from the new leader and crawl along from the WAL
# archive. Every balance and transaction read comes from replicas that fall
# further behind each minute. Members see old balances, think contributions
# vanished and send transfers twice. The tempting move is the app team's old
# runbook: restart the whole wallet fleet, which storms the new primary and
# takes down HSA card authorisations at the pharmacy counter.
scenario "db-failover-replication-lag" {
  title       = "Database failover leaves replicas lagging; members see stale balances"
  summary     = "A clean-looking Patroni failover at 07:43 leaves the two read replicas unable to stream from the new primary (replication slots were not carried over after a config-template change), so they replay from the WAL archive and fall further behind. HSA balance and transaction reads are served from the replicas: members see old balances, missing payroll contributions and transfers that appear not to have happened, and some send them again. Card authorisations read the primary and work, which confuses the picture. Good teams connect the calls to the failover, read X-Replica-Lag, route customer reads to the primary (mitigation), keep the primary healthy by pausing the reporting ETL, rebuild replication with slots on the new leader under a change (fix), and handle the duplicate transfers with care. Restarting the wallet fleet or failing back to the old primary make it worse."
  tags        = ["database", "postgresql", "replication", "data-consistency", "failover"]
  objectives = [
    "Recognise a data-consistency incident when no service is 'down'",
    "Link member reports to a failover that monitoring called healthy",
    "Mitigate by routing reads to the primary without overloading it",
    "Fix replication under change control instead of failing back",
    "Treat duplicate financial transactions as part of the incident, with member contact",
  ]
  duration    = "90m"
  difficulty  = "advanced"
  seed        = 7431
  start_clock = "07:40"

  # ---------------------------------------------------------------- groups

  group "dba" {
    title       = "Database Engineering"
    members     = ["elena", "rohan", "kwame"]
    owner       = "elena"
    description = "PostgreSQL clusters under Patroni; pgbouncer pools; backups."
  }

  group "wallet" {
    title       = "HSA Wallet Apps"
    members     = ["mia", "jonah", "aditi"]
    owner       = "mia"
    description = "HSA accounts and transactions APIs."
  }

  group "card" {
    title       = "Card Services"
    members     = ["tariq", "june"]
    owner       = "tariq"
    description = "HSA debit card authorisation."
  }

  group "storage" {
    title       = "Storage Engineering"
    members     = ["victor", "hana"]
    owner       = "victor"
    description = "SAN arrays and multipath on database hosts."
  }

  group "digital" {
    title   = "Member Digital"
    members = ["lucia", "ed"]
    owner   = "lucia"
  }

  group "data" {
    title       = "Data & Reporting"
    members     = ["ingrid", "felix"]
    owner       = "ingrid"
    description = "Nightly and intraday reporting ETL."
  }

  # ------------------------------------------------------------- rotations

  rotation "dba-primary" {
    group          = group.dba
    members        = ["rohan", "kwame"]
    shift          = "168h"
    escalate_after = "10m"
    escalate_to    = "elena"
  }

  rotation "wallet-primary" {
    group          = group.wallet
    members        = ["jonah", "aditi"]
    shift          = "24h"
    escalate_after = "10m"
  }

  rotation "card-primary" {
    group          = group.card
    shift          = "24h"
    escalate_after = "5m"
  }

  rotation "storage-primary" {
    group          = group.storage
    shift          = "168h"
    escalate_after = "15m"
  }

  rotation "data-primary" {
    group          = group.data
    shift          = "168h"
    escalate_after = "20m"
  }

  # --------------------------------------------------------------- vendors

  vendor "elephantworks" {
    title          = "ElephantWorks PostgreSQL Support"
    helpdesk       = "+1 844 555 0161 (P1 line)"
    portal         = "https://support.elephantworks.example"
    sla            = "30m"
    responds_after = "20m"
    response       = "ElephantWorks, ticket EW-30418. Your Patroni DCS config has no `slots:` section, so the new leader has no physical slots for pg-wallet-03/04; they fell back to restore_command from the archive. Add the permanent slots to the DCS config on the leader, then `patronictl reinit pg-wallet 'pg-wallet-03'` and -04 one at a time (about 15-20 minutes each at your size). Do not fail back to -01 until it is rebuilt as a replica: it has WAL the new timeline does not."
    change "patroni-3-3-packages" {
      at   = "-240h"
      note = "Patroni 3.3.0 packages published to the supported repository; no change to slot semantics."
    }
  }

  vendor "arraylogic" {
    title          = "ArrayLogic Storage"
    helpdesk       = "+1 800 555 0118"
    portal         = "https://care.arraylogic.example"
    sla            = "1h"
    responds_after = "25m"
    response       = "ArrayLogic care: we see a 38-second path loss to host pgwallet01 at 07:42:51 on controller B, recovered. Firmware 6.1.2 shortened the path-failover timer; we recommend the multipath no_path_retry setting in KB-AL-2211."
    change "array-fw-6-1-2" {
      at   = "-26h"
      note = "Array firmware 6.1.2 on array B: path-failover timer lowered from 30s to 5s."
    }
  }

  # ---------------------------------------------------------------- estate

  service "wallet-db-primary" {
    title       = "pg-wallet primary (Patroni leader)"
    group       = group.dba
    vendor      = vendor.elephantworks
    owner       = "elena"
    rps         = 1800
    error_rate  = 0.0002
    latency_ms  = 4
    slo         = 0.9999
    description = "PostgreSQL 15 cluster pg-wallet; leader was pg-wallet-01, writes go through pgbouncer-rw."
  }

  service "wallet-db-replicas" {
    title       = "pg-wallet read replicas (pgbouncer-ro: pg-wallet-03, -04)"
    group       = group.dba
    owner       = "elena"
    rps         = 5200
    error_rate  = 0.0002
    latency_ms  = 3
    slo         = 0.9999
    depends_on  = { (service.wallet-db-primary) = 0.3 }
    description = "Two streaming replicas behind pgbouncer-ro. All balance and history reads use them."
  }

  service "storage-array-b" {
    title      = "SAN array B"
    group      = group.storage
    vendor     = vendor.arraylogic
    rps        = 9000
    error_rate = 0
    latency_ms = 1
    slo        = 0.99999
  }

  service "hsa-accounts-api" {
    title       = "HSA Accounts API (balances)"
    group       = group.wallet
    owner       = "mia"
    critical    = true
    rps         = 420
    error_rate  = 0.001
    latency_ms  = 85
    slo         = 0.999
    depends_on  = {
      (service.wallet-db-replicas) = 0.8
      (service.wallet-db-primary)  = 0.2
    }
    description = "Balances and contribution summaries. A synthetic consistency probe compares replica reads with the primary and counts mismatches as errors."
  }

  service "hsa-transactions-api" {
    title       = "HSA Transactions API (history, transfers)"
    group       = group.wallet
    owner       = "mia"
    critical    = true
    rps         = 300
    error_rate  = 0.001
    latency_ms  = 110
    slo         = 0.999
    depends_on  = {
      (service.wallet-db-replicas) = 0.9
      (service.wallet-db-primary)  = 0.1
    }
  }

  service "card-auth" {
    title       = "HSA Card Authorisation"
    group       = group.card
    owner       = "tariq"
    critical    = true
    rps         = 150
    error_rate  = 0.0005
    latency_ms  = 45
    slo         = 0.9999
    depends_on  = [service.wallet-db-primary]
    description = "Authorises HSA debit card swipes at pharmacies and clinics; reads and writes the primary only."
  }

  service "member-wallet-web" {
    title      = "Member wallet (web and app)"
    group      = group.digital
    rps        = 900
    error_rate = 0.001
    latency_ms = 240
    slo        = 0.999
    depends_on = {
      (service.hsa-accounts-api)     = 0.5
      (service.hsa-transactions-api) = 0.4
    }
  }

  service "reporting-etl" {
    title      = "Intraday reporting ETL"
    group      = group.data
    rps        = 40
    error_rate = 0.001
    latency_ms = 1500
    slo        = 0.99
    depends_on = { (service.wallet-db-replicas) = 0.5 }
  }

  # ------------------------------------------------------------ monitoring

  alert "patroni-failover" {
    service     = service.wallet-db-primary
    condition   = error_rate > 0.2
    for         = "30s"
    page        = rotation.dba-primary
    severity    = "critical"
    description = "Writes refused on pgbouncer-rw (leader change in progress)."
  }

  alert "replica-lag" {
    service     = service.wallet-db-replicas
    condition   = saturation > 0.8
    for         = "10m"
    page        = rotation.dba-primary
    severity    = "warning"
    description = "Replica replay delay above 300 s for 10 minutes. The long 'for' was added after a noisy week in 2023."
  }

  alert "accounts-consistency" {
    service     = service.hsa-accounts-api
    condition   = error_rate > 0.05
    for         = "5m"
    page        = rotation.wallet-primary
    severity    = "critical"
    description = "Consistency probe: balance reads disagree with the primary in more than 5% of samples."
  }

  alert "card-declines" {
    service     = service.card-auth
    condition   = error_rate > 0.05
    for         = "2m"
    page        = rotation.card-primary
    severity    = "critical"
    description = "HSA card authorisations failing above 5% (system declines, not insufficient funds)."
  }

  alert "primary-saturation" {
    service     = service.wallet-db-primary
    condition   = saturation > 0.9
    for         = "3m"
    page        = rotation.dba-primary
    severity    = "critical"
    description = "pg-wallet leader connections or CPU above 90%."
  }

  # ------------------------------------------------------------- knowledge

  runbook "pg-wallet-after-failover" {
    title   = "pg-wallet: checks after a Patroni failover"
    service = service.wallet-db-primary
    group   = group.dba
    step "patroni-list" {
      text    = "`patronictl -c /etc/patroni.yml list pg-wallet`"
      reveals = "Leader pg-wallet-02 (timeline 14). pg-wallet-03 and pg-wallet-04: state 'running', receiving from archive, not streaming; lag 2.3 GB and growing. pg-wallet-01 stopped (fenced)."
      takes   = "2m"
    }
    step "check-slots" {
      text    = "On the leader: `SELECT slot_name, active FROM pg_replication_slots;` and `patronictl show-config`."
      reveals = "0 rows. The DCS config has no `slots:` section (removed by the config template in CHG0081120 last month). The replicas fell back to restore_command and replay about 6 MB/s; the leader writes about 35 MB/s at payroll peak."
      takes   = "3m"
    }
    step "route-reads-to-primary" {
      text    = "Set flag wallet.reads.primary_only=true (apps send balance and history reads to pgbouncer-rw). Watch leader connections; pause the reporting ETL first if it is running."
      applies = remedy.route-reads-to-primary
      takes   = "1m"
    }
    step "pause-etl" {
      text    = "Ask Data & Reporting to pause the intraday ETL (`etlctl pause intraday-wallet`)."
      applies = remedy.pause-reporting-etl
    }
    step "rebuild-replication" {
      text    = "Under a change record: add permanent slots for pg-wallet-03/04 to the DCS config, then `patronictl reinit` each replica in turn; confirm `streaming` and lag under 1 s."
      applies = remedy.reinit-replicas-with-slots
    }
  }

  runbook "wallet-stale-data" {
    title   = "Wallet: members report wrong balances"
    service = service.hsa-accounts-api
    group   = group.wallet
    step "compare-headers" {
      text    = "Call GET /v2/accounts/{id}/balance for an affected member and read the response headers."
      reveals = "X-DB-Node: pg-wallet-03, X-Replica-Lag: 1,840 s and rising. The same query on the primary returns the payroll contribution posted at 07:51."
      takes   = "2m"
    }
    step "restart-fleet" {
      text    = "(2021, Oracle era) After a database failover, pods may hold stale connection pools: rolling-restart all wallet deployments."
      applies = remedy.restart-wallet-fleet
    }
  }

  runbook "storage-path-flap" {
    title   = "Storage: multipath path loss on a database host"
    service = service.storage-array-b
    group   = group.storage
    step "multipath-status" {
      text    = "`multipath -ll` on the host and the array event log."
      reveals = "pgwallet01 lost 2 of 4 paths at 07:42:51 for 38 s (controller B); all paths active since 07:43:29. Array firmware 6.1.2 (yesterday) shortened the failover timer. No errors since."
      takes   = "3m"
    }
  }

  knowledge "kb0027710" {
    title      = "HSA contribution not showing"
    text       = "Payroll contributions can take up to 2 business days to post after the employer's funding file is processed."
    workaround = "Ask the member to check again in 2 business days."
    applies_to = [service.hsa-accounts-api]
    keywords   = ["contribution", "missing", "balance", "payroll", "deposit"]
  }

  knowledge "kb0044102" {
    title      = "Wallet read routing flag"
    text       = "wallet.reads.primary_only (default false) sends balance and history reads to the primary through pgbouncer-rw. The primary has headroom for customer reads at peak, not for the reporting ETL as well."
    workaround = "Use when replicas lag. Pause the intraday ETL first."
    applies_to = [service.hsa-accounts-api, service.hsa-transactions-api, service.wallet-db-replicas]
    keywords   = ["replica", "lag", "stale", "read routing", "primary_only"]
  }

  knowledge "kb0019333" {
    title      = "Employer admin portal password reset"
    text       = "Employer benefits administrators reset their own password at the admin portal; the service desk can unlock after identity verification."
    applies_to = [service.hsa-accounts-api]
    keywords   = ["password", "employer", "admin", "locked"]
  }

  # ---------------------------------------------------------- what breaks

  fault "storage-path-flap" {
    service     = service.storage-array-b
    start       = "2m"
    ramp        = "5s"
    latency_ms  = 400
    error_rate  = 0.02
    heals_after = "1m"
    cause       = "Controller B path loss to pgwallet01 for 38 s after array firmware 6.1.2 shortened the path-failover timer."
    logs = [
      "07:42:51 pgwallet01 multipathd: sdc: path down (controller B)",
      "07:43:29 pgwallet01 multipathd: sdc: path up",
    ]
  }

  fault "leader-change" {
    service     = service.wallet-db-primary
    start       = "3m"
    ramp        = "5s"
    error_rate  = 0.5
    heals_after = "1m"
    cause       = "Patroni failover pg-wallet-01 -> pg-wallet-02; writes refused for about 40 s."
    logs = [
      "07:43:02 pg-wallet-01 patroni: no action; I/O stalls on pg_wal, demoting",
      "07:43:40 pg-wallet-02 patroni: promoted self to leader by acquiring session lock (timeline 14)",
    ]
  }

  fault "replication-broken" {
    service      = service.wallet-db-replicas
    start        = "4m"
    ramp         = "25m"
    error_rate   = 0.35
    saturation   = 0.95
    cause        = "After the failover the new leader has no replication slots (the Patroni config template from CHG0081120 dropped the slots section); replicas replay from the WAL archive far slower than the leader writes, so every read from them is stale and the lag grows."
    root_cause   = true
    mitigated_by = [remedy.route-reads-to-primary]
    fixed_by     = [remedy.reinit-replicas-with-slots]
    logs = [
      "07:44:05 pg-wallet-03 postgres: FATAL: could not start WAL streaming: ERROR: replication slot \"pg_wallet_03\" does not exist",
      "07:44:05 pg-wallet-03 postgres: LOG: restored log file \"0000000E000041A2000000C1\" from archive",
      "07:58:40 pg-wallet-04 postgres: LOG: recovery restart point at 41A2/D3000028; replay delay 912 s",
      "08:10:12 pgbouncer-ro: pool wallet_ro: 100% of reads to pg-wallet-03/04",
    ]
  }

  fault "primary-read-pressure" {
    service      = service.wallet-db-primary
    when         = remedy.route-reads-to-primary.completed && !remedy.pause-reporting-etl.applied
    ramp         = "2m"
    latency_ms   = 60
    saturation   = 0.93
    error_rate   = 0.02
    cause        = "Customer reads and the reporting ETL's full-table scans both land on the leader."
    mitigated_by = [remedy.pause-reporting-etl]
    fixed_by     = [remedy.reinit-replicas-with-slots]
    logs         = ["pg-wallet-02: connections 468/500, CPU 91%; top query: intraday_wallet_extract (seq scan on ledger_entries)"]
  }

  fault "connection-storm" {
    service     = service.wallet-db-primary
    ramp        = "30s"
    error_rate  = 0.35
    saturation  = 1.0
    heals_after = "8m"
    cause       = "96 restarted wallet pods each opened 20 connections at once; pgbouncer-rw hit max_client_conn and the leader ran out of connection slots."
    logs = [
      "pgbouncer-rw: WARNING client connections exceed max_client_conn (2000)",
      "pg-wallet-02 postgres: FATAL: remaining connection slots are reserved for non-replication superuser connections",
    ]
  }

  fault "failback-write-outage" {
    service     = service.wallet-db-primary
    ramp        = "30s"
    error_rate  = 0.6
    saturation  = 1.0
    heals_after = "12m"
    cause       = "Failing back to pg-wallet-01, which had WAL the new timeline never received and still a suspect path; the switchover stalled on pg_rewind and writes were refused."
    logs        = ["pg-wallet-01 patroni: pg_rewind: fatal: could not find common ancestor of the source and target cluster's timelines"]
  }

  remedy "route-reads-to-primary" {
    title   = "Flag wallet.reads.primary_only = true"
    service = service.wallet-db-replicas
    takes   = "2m"
    by      = [group.dba, group.wallet]
  }

  remedy "pause-reporting-etl" {
    title   = "Pause the intraday reporting ETL"
    service = service.reporting-etl
    takes   = "1m"
    by      = [group.data, group.dba]
  }

  remedy "reinit-replicas-with-slots" {
    title           = "Add permanent slots on the leader and reinitialise pg-wallet-03/04"
    service         = service.wallet-db-replicas
    takes           = "35m"
    requires_change = true
    by              = [group.dba]
  }

  remedy "restart-wallet-fleet" {
    title     = "Rolling restart of all wallet deployments (96 pods)"
    service   = service.hsa-accounts-api
    takes     = "6m"
    by        = [group.wallet]
    harmful   = "The pools were fine; the data was stale. Restarted pods still read the lagging replicas, and 96 pods opening 20 connections each storm the new primary, so HSA card swipes start failing at pharmacies."
    spike     = 0.25
    spike_for = "5m"
    triggers  = [fault.connection-storm]
  }

  remedy "flush-balance-cache" {
    title     = "Flush the Redis balance cache"
    service   = service.hsa-accounts-api
    takes     = "1m"
    by        = [group.wallet]
    harmful   = "The cache refills from the same stale replicas within seconds; the cold cache adds load and latency for nothing."
    spike     = 0.08
    spike_for = "3m"
  }

  remedy "failback-to-pg-wallet-01" {
    title           = "Switch the leader back to pg-wallet-01"
    service         = service.wallet-db-primary
    takes           = "5m"
    requires_change = true
    by              = [group.dba]
    harmful         = "pg-wallet-01 has WAL the new timeline never received and its storage path is suspect; the switchover stalls on pg_rewind, writes are refused and contributions posted since 07:43 are at risk."
    spike           = 0.4
    spike_for       = "6m"
    triggers        = [fault.failback-write-outage]
  }

  # ------------------------------------------------------------- the story

  inject "employer-password-reset" {
    at      = "1m"
    to      = role.service_desk
    channel = "phone"
    from    = "Sandra Kowalczyk, benefits administrator, Lakeshore Tool & Die"
    text    = "Morning! I'm locked out of the employer admin portal again and I need to upload today's payroll contribution file by ten. Can you unlock me?"
    record  = "request"
    about   = service.hsa-accounts-api
  }

  inject "patroni-all-clear" {
    at      = "5m"
    to      = group.dba
    channel = "chat"
    from    = "patroni-bot"
    text    = "pg-wallet: failover complete. Leader pg-wallet-02 (timeline 14). pgbouncer-rw repointed. Cluster OK."
  }

  inject "storage-path-event" {
    at      = "6m"
    to      = group.storage
    channel = "email"
    from    = "ArrayLogic array B call-home"
    text    = "Event 0x4402: host pgwallet01 lost 2 of 4 paths on controller B at 07:42:51; recovered 07:43:29. Severity: minor."
  }

  inject "member-missing-contribution" {
    at      = "9m"
    to      = role.service_desk
    channel = "phone"
    from    = "Marcus Bell, member"
    text    = "My paycheck hit this morning and my HSA contribution isn't there. The app says $412.18 but it should be $612.18. And I paid at the pharmacy ten minutes ago with the HSA card, that went through, but it's not in my history either. Did I just get charged for nothing?"
    record  = "incident"
    about   = service.hsa-accounts-api
  }

  inject "member-double-transfer" {
    at      = "13m"
    to      = role.service_desk
    channel = "phone"
    from    = "Asha Patel, member"
    text    = "I moved $300 from my HSA to my checking account to reimburse myself. The app still showed the $300 in my HSA so I figured it didn't work and did it again. Now my bank shows two pending deposits and the app still shows the money. What is going on?"
    record  = "incident"
    about   = service.hsa-transactions-api
  }

  inject "wallet-cache-theory" {
    at      = "15m"
    to      = group.wallet
    channel = "chat"
    from    = "jonah (Wallet)"
    text    = "Balances look stale. My money is on Redis - I'll flush the balance cache unless someone objects."
  }

  inject "employer-ticket" {
    at      = "17m"
    to      = role.service_desk
    channel = "ticket"
    from    = "Employer portal support form, Brightwater Schools"
    text    = "Our 07:30 payroll contribution file shows Processed, but employees say contributions are not in their HSA, and our funding report shows yesterday's totals."
    record  = "incident"
    about   = service.hsa-transactions-api
  }

  inject "pgbouncer-hint" {
    when    = elapsed > minutes(22) && !identified
    to      = group.dba
    channel = "chat"
    from    = "rohan (DBA)"
    text    = "Odd: pgbouncer-ro shows all reads on -03/-04 as usual, but pg_last_xact_replay_timestamp() on -03 says 07:43:02. That's over twenty minutes ago, and it isn't moving much."
  }

  inject "two-bridges" {
    when    = elapsed > minutes(25) && length(war_rooms) > 1
    to      = role.incident_manager
    channel = "chat"
    from    = "Dr. Renee Okafor, VP Consumer Accounts"
    text    = "Wallet has a bridge, DBA has a bridge, and now Card has one. Members are moving money twice. One bridge, one incident manager, please, and tell me what members are seeing."
  }

  inject "card-declines-spike" {
    when    = fault.connection-storm.active || fault.failback-write-outage.active
    to      = [group.card, role.command_center]
    channel = "phone"
    from    = "Pharmacy chain help desk (RiteWell)"
    text    = "HSA cards are being declined at our counters across the region, 'system unavailable'. Customers are paying out of pocket or leaving without prescriptions."
    record  = "incident"
    about   = service.card-auth
  }

  inject "primary-pressure" {
    when    = fault.primary-read-pressure.active
    to      = [group.dba, group.data]
    channel = "chat"
    from    = "pg-wallet-02 monitoring"
    text    = "pg-wallet-02 CPU 91%, connections 468/500. Top query: intraday_wallet_extract (sequential scan on ledger_entries)."
  }

  inject "social-post" {
    when    = elapsed > minutes(35) && !mitigated
    to      = [role.command_center, role.service_owner]
    channel = "news"
    from    = "Social media monitoring"
    text    = "Thread gaining traction: 'My HSA ate my paycheck contribution. Anyone else?' 340 replies, several with screenshots of balances."
  }

  inject "compliance-limits" {
    when    = elapsed > minutes(45) && !mitigated
    to      = [role.incident_manager, role.service_owner]
    channel = "email"
    from    = "Compliance Office"
    text    = "If members re-send contributions or duplicate transfers are processed, some accounts may exceed IRS annual contribution limits or create excess distributions. We need a list of affected accounts and a hold on automated corrections until we review."
  }

  inject "duplicates-found" {
    when    = mitigated
    to      = [group.wallet, role.incident_manager]
    channel = "chat"
    from    = "aditi (Wallet)"
    text    = "With reads on the primary, reconciliation finds 142 duplicate external transfers between 07:50 and now, $61,400 in total. 9 of those members' checking accounts are now overdrawn after their bank's nightly reversal risk check."
  }

  inject "member-notice-draft" {
    to      = [role.service_owner, role.command_center]
    channel = "email"
    from    = "Member Communications"
    text    = "Draft: 'On [date], a system issue caused some HSA balances to display incorrectly. Your money was safe. If you made a transfer twice, we will contact you before reversing anything.' Needs owner approval."
  }

  inject "owner-validation-ask" {
    when    = restored && !validated
    to      = role.service_owner
    channel = "chat"
    from    = "Command Center"
    text    = "Replicas are streaming with lag under a second and reads are back on them. Please validate restoration and give us the business-impact statement (members affected, duplicates, card declines)."
  }

  # -------------------------------------------------------------- decisions

  decision "restart-fleet" {
    when    = elapsed > minutes(19) && !mitigated
    to      = [role.incident_manager, role.technician]
    prompt  = "The Wallet group owner wants to follow the team runbook: 'after a DB failover, rolling-restart all wallet deployments to reset connection pools.' 96 pods. The DBA on call is not on the bridge yet. Go?"
    timeout = "5m"
    default = "restart-all"
    option "restart-all" {
      text     = "Restart the wallet fleet now"
      score    = -15
      note     = "The pools are fine; the data is stale. The restart storms the new primary, which card authorisation shares."
      triggers = [fault.connection-storm]
    }
    option "check-data-path" {
      text  = "Hold; compare a balance read on a replica with the primary first"
      score = 10
      note  = "Two minutes with X-DB-Node and X-Replica-Lag shows the cause."
    }
    option "restart-one" {
      text  = "Restart one pod and compare"
      score = 0
      note  = "Harmless and shows the restarted pod is equally stale, but costs time."
    }
  }

  decision "read-routing" {
    when    = identified
    to      = [role.incident_manager, group.dba]
    prompt  = "The replicas are 35+ minutes behind and getting worse; a rebuild takes over half an hour. Options: send all reads to the primary now, send only customer-facing reads and pause the reporting ETL, or let the replicas catch up."
    timeout = "5m"
    default = "wait-for-catch-up"
    option "customer-reads-and-pause-etl" {
      text  = "Pause the ETL, then route customer reads to the primary"
      score = 15
      note  = "Stops the member impact and protects the primary that card authorisation needs."
    }
    option "all-reads-now" {
      text  = "Route all reads to the primary now"
      score = 5
      note  = "Stops member impact but the ETL's scans push the leader toward saturation; watch card authorisation."
    }
    option "wait-for-catch-up" {
      text  = "Let the replicas catch up"
      score = -10
      note  = "They are replaying slower than the leader writes; they never catch up at peak."
    }
  }

  decision "failback" {
    at      = "32m"
    to      = [role.incident_manager, group.dba]
    prompt  = "Storage reports all paths on pgwallet01 healthy again. A senior DBA suggests switching the leader back to pg-wallet-01 ('it's the tuned box, and it will reset replication'). Approve an emergency change?"
    timeout = "5m"
    default = "stay-on-02"
    option "failback-now" {
      text     = "Fail back to pg-wallet-01 now"
      score    = -15
      note     = "-01 diverged from the new timeline and its storage was unstable an hour ago; a switchover under load risks refused writes and lost contributions."
      triggers = [fault.failback-write-outage]
    }
    option "stay-on-02" {
      text  = "Stay on pg-wallet-02; rebuild -01 as a replica later"
      score = 10
      note  = "Right: change one thing at a time; the leader is healthy."
    }
  }

  decision "duplicate-transfers" {
    when    = inject.duplicates-found.fired
    to      = [role.incident_manager, role.service_owner]
    prompt  = "142 duplicate external transfers, $61,400. Payments Ops can auto-reverse them all in one ACH batch tonight. Some members may already have spent the money."
    timeout = "8m"
    default = "auto-reverse"
    option "contact-then-reverse" {
      text     = "Hold reversals; contact each member, with Compliance, before reversing"
      score    = 10
      note     = "Reversing without notice can overdraw members' bank accounts and breaches the account agreement; Compliance asked for a hold."
      triggers = [inject.member-notice-draft]
    }
    option "auto-reverse" {
      text  = "Auto-reverse tonight"
      score = -10
      note  = "Fast, but members are overdrawn by an error they did not make, and Compliance is bypassed."
    }
    option "leave-them" {
      text  = "Leave them; members can move the money back"
      score = -5
      note  = "Pushes our error onto members and risks excess distributions."
    }
  }

  # ------------------------------------------------------------ evaluation

  expect "first-record" {
    description = "The service desk records an incident from the first member call instead of closing it with the 2-business-day article."
    dimension   = "detection"
    condition   = length(incidents) >= 1
    within      = "14m"
    decay       = "10m"
    points      = 10
  }

  expect "consistency-alert-acknowledged" {
    description = "Wallet on-call acknowledges the consistency probe alert, if it fires."
    dimension   = "detection"
    condition   = alert.accounts-consistency.acknowledged
    applies     = alert.accounts-consistency.fired
    within      = "22m"
    decay       = "10m"
    points      = 5
  }

  expect "high-priority-parent" {
    description = "A P1/P2 parent links the balance and transaction incidents (critical apps, money moving twice)."
    dimension   = "triage"
    condition   = parent.exists && parent.priority <= 2 && length(parent.children) >= 2
    within      = "25m"
    decay       = "10m"
    points      = 15
  }

  expect "lag-identified" {
    description = "The stale replicas (no slots after the failover) are identified as the cause."
    dimension   = "triage"
    condition   = identified
    within      = "35m"
    decay       = "15m"
    points      = 20
  }

  expect "command-center" {
    description = "The command center runs the incident."
    dimension   = "coordination"
    condition   = command_center
    within      = "25m"
    decay       = "10m"
    points      = 10
  }

  expect "one-bridge" {
    description = "Wallet, DBA and Card work from one war room."
    dimension   = "coordination"
    condition   = mitigated && length(war_rooms) <= 1
    within      = "60m"
    points      = 10
  }

  expect "status-update" {
    description = "Stakeholders hear what members see within 30 minutes."
    dimension   = "communication"
    condition   = status_updates >= 1
    within      = "30m"
    decay       = "10m"
    points      = 10
  }

  expect "member-contact-on-duplicates" {
    description = "Duplicate transfers are handled with member contact and Compliance."
    dimension   = "communication"
    condition   = decision.duplicate-transfers.choice == "contact-then-reverse"
    points      = 10
  }

  expect "reads-on-primary" {
    description = "Member impact stops: reads routed to the primary."
    dimension   = "recovery"
    condition   = mitigated
    within      = "45m"
    decay       = "20m"
    points      = 20
  }

  expect "primary-protected" {
    description = "Card authorisation never suffers: no restart storm, no failback, the ETL paused before the primary saturates."
    dimension   = "recovery"
    condition   = restored && !remedy.restart-wallet-fleet.applied && !remedy.failback-to-pg-wallet-01.applied && !alert.card-declines.fired && !alert.primary-saturation.fired
    points      = 15
  }

  expect "replication-fixed" {
    description = "Replication rebuilt with permanent slots."
    dimension   = "recovery"
    condition   = fault.replication-broken.fixed
    within      = "85m"
    points      = 10
  }

  expect "change-record" {
    description = "The replica rebuild runs under a change record."
    dimension   = "process"
    condition   = length(changes) >= 1
    within      = "80m"
    points      = 10
  }

  expect "problem-record" {
    description = "A problem record covers the missing slots, the silent lag alert and the outdated runbook."
    dimension   = "process"
    condition   = length(problems) >= 1
    within      = "90m"
    points      = 10
  }

  expect "owner-validation" {
    description = "The service owner validates restoration with a business-impact statement."
    dimension   = "process"
    condition   = validated
    within      = "88m"
    points      = 10
  }

  target {
    detect      = "8m"
    acknowledge = "5m"
    declare     = "15m"
    identify    = "25m"
    mitigate    = "32m"
    fix         = "70m"
    restore     = "72m"
  }
}
