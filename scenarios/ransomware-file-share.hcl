# Ransomware on the county file share: a discussion-based tabletop.
#
# In the style of public-sector tabletop exercise packages: three modules of
# injects with facilitated decision points, then a hotwash. There is almost no
# telemetry; the story is carried by calls, emails, news and decisions, and
# the decisions branch (waiting lets the encryption spread; paying brings a
# sanctions warning and a broken decryptor; restoring too early reinfects).
#
# Module 1 (0-35m)   Detection and initial response
# Module 2 (35-72m)  Escalation, extortion, stakeholders
# Module 3 (72-110m) Recovery and notification
# Hotwash  (110-120m)
scenario "ransomware-file-share" {
  title       = "Ransomware encrypts the county file share (tabletop)"
  summary     = "Friday 16:20 in Harbor County. The shared file service (\\\\harbor.local\\shares, servers CFS01/CFS02) starts showing files renamed *.hzrd. The attacker came in three days ago through a parking vendor's VPN account without MFA, took a backup service account and is encrypting the shares and claiming 300 GB of exfiltrated data, including Health & Human Services case files. Participants decide whether and how to isolate, whom to bring in (legal, communications, the cyber insurer, law enforcement, CISA/MS-ISAC), whether to pay or restore from immutable backups, when restoring is safe, and who must be notified under state breach law and HIPAA. Expectations weigh coordination, communication and process over technical speed."
  tags        = ["ransomware", "tabletop", "discussion", "public-sector", "legal", "communications", "ctep"]
  objectives = [
    "Exercise the decision to isolate systems quickly while preserving evidence",
    "Bring legal counsel, the public information officer, the cyber insurer and executives in early",
    "Report to law enforcement and CISA/MS-ISAC and understand what they can offer",
    "Decide between paying and restoring, with sanctions, insurance and backup integrity in view",
    "Restore only after eradication; identify notification duties under state breach law and HIPAA",
    "Keep stakeholders, staff and the public informed on a regular cadence",
  ]
  duration    = "120m"
  difficulty  = "intermediate"
  discussion  = true
  seed        = 1620
  start_clock = "16:20"

  # ---------------------------------------------------------------- groups

  group "infra" {
    title       = "IT Infrastructure"
    members     = ["marco", "beth", "dwayne"]
    owner       = "marco"
    description = "Servers, storage, backups, network."
  }

  group "security" {
    title       = "Information Security Office"
    members     = ["alicia", "tom"]
    owner       = "alicia"
    description = "County CISO and the two-person security team; EDR console."
  }

  group "legal" {
    title   = "County Attorney's Office"
    members = ["harriet", "nate"]
    owner   = "harriet"
  }

  group "comms" {
    title       = "Public Information Office"
    members     = ["jenna", "luis"]
    owner       = "jenna"
    description = "Public information officer (PIO) and deputy."
  }

  group "executive" {
    title       = "County Administrator's Office"
    members     = ["richard", "amy"]
    owner       = "richard"
    description = "County Administrator and Deputy; brief the Board of Supervisors."
  }

  group "hhs-it" {
    title       = "Health & Human Services IT"
    members     = ["paula", "kofi"]
    owner       = "paula"
    description = "Case management for child welfare, Medicaid eligibility and public health."
  }

  group "finance-it" {
    title   = "Finance Systems"
    members = ["irene", "walt"]
    owner   = "irene"
  }

  group "clerk" {
    title       = "Clerk-Recorder's Office"
    members     = ["patricia", "omar"]
    owner       = "patricia"
    description = "Recording, vital records, elections support."
  }

  # ------------------------------------------------------------- rotations

  rotation "security-oncall" {
    group          = group.security
    shift          = "168h"
    escalate_after = "10m"
    escalate_to    = "alicia"
  }

  rotation "infra-oncall" {
    group          = group.infra
    members        = ["beth", "dwayne"]
    shift          = "168h"
    escalate_after = "10m"
    escalate_to    = "marco"
  }

  rotation "hhs-oncall" {
    group          = group.hhs-it
    shift          = "168h"
    escalate_after = "15m"
  }

  rotation "pio-oncall" {
    group          = group.comms
    shift          = "168h"
    escalate_after = "15m"
  }

  # --------------------------------------------------------------- vendors

  vendor "redwatch" {
    title          = "Redwatch Incident Response (retainer)"
    helpdesk       = "+1 888 555 0111 (24x7 IR hotline, retainer RW-HC-2023)"
    portal         = "https://ir.redwatch.example"
    sla            = "2h"
    responds_after = "40m"
    response       = "Redwatch IR: engagement opened under your retainer. Contain at the network level, do not power off or reimage anything, and preserve memory on CFS01/CFS02 if you can. Confirm with your insurer that we are on their panel (we are) and route our engagement letter through counsel for privilege. Do not contact the threat actor directly. We can have a forensics lead on your bridge in 90 minutes."
  }

  vendor "harborline" {
    title          = "Harborline Mutual (cyber insurance)"
    helpdesk       = "+1 800 555 0188 (breach hotline, policy CY-44120)"
    sla            = "1h"
    responds_after = "30m"
    response       = "Harborline breach hotline: claim CLM-90217 opened. Use panel breach counsel (Keane & Ortiz LLP) and a panel IR firm; Redwatch is on the panel. No ransom negotiation or payment without our written consent and an OFAC sanctions check. Keep receipts for all response costs."
  }

  vendor "vaultline" {
    title          = "Vaultline Backup Appliances"
    helpdesk       = "+1 866 555 0104"
    portal         = "https://support.vaultline.example"
    sla            = "1h"
    responds_after = "25m"
    response       = "Vaultline support: the VL-2 appliance's nightly snapshots are WORM-locked for 14 days and could not be altered with the svc_backup account. The 02:00 snapshot of today is intact. Restore throughput about 1.2 TB/h; your shares are 6.8 TB. Restore data volumes only onto rebuilt servers."
    change "vl2-firmware-5-4" {
      at   = "-240h"
      note = "VL-2 firmware 5.4: immutable snapshot lock now default for new policies."
    }
  }

  vendor "parksmart" {
    title    = "ParkSmart Garage Systems"
    helpdesk = "+1 877 555 0156"
    response = "ParkSmart support: our technician has not connected to Harbor County since the maintenance session on Tuesday. The vnd_parksmart account is shared by our field team."
    change "remote-maintenance" {
      at   = "-72h"
      note = "Remote maintenance session on PARK-APP01 via the county VPN, account vnd_parksmart (shared, no MFA)."
    }
  }

  # ---------------------------------------------------------------- estate

  service "county-file-share" {
    title       = "County file share (DFS \\\\harbor.local\\shares: CFS01, CFS02)"
    group       = group.infra
    owner       = "marco"
    critical    = true
    description = "Departmental S: drives for every county department, 6.8 TB. CFS02 is a DFS-R replica of CFS01."
  }

  service "case-management" {
    title       = "HHS case management"
    group       = group.hhs-it
    owner       = "paula"
    critical    = true
    depends_on  = { (service.county-file-share) = 0.6 }
    description = "Child welfare and Medicaid eligibility casework; attachments live on the file share."
  }

  service "payroll" {
    title       = "County payroll"
    group       = group.finance-it
    owner       = "irene"
    critical    = true
    depends_on  = { (service.county-file-share) = 0.4 }
    description = "Biweekly payroll for 2,300 employees; timesheet import files are dropped on the share. Next run Monday 06:00."
  }

  service "backup-vault" {
    title       = "Vaultline VL-2 immutable backups"
    group       = group.infra
    vendor      = vendor.vaultline
    owner       = "marco"
    description = "Nightly snapshots at 02:00, WORM-locked 14 days."
  }

  service "vpn" {
    title       = "Remote access VPN"
    group       = group.infra
    vendor      = vendor.parksmart
    owner       = "marco"
    description = "Staff and vendor remote access. Vendor accounts are exempt from MFA (exception SEC-EX-07, expired)."
  }

  # ------------------------------------------------------------- knowledge

  runbook "ransomware-first-hour" {
    title   = "Ransomware: the first hour"
    service = service.county-file-share
    group   = group.security
    step "confirm-and-scope" {
      text    = "In the EDR console, open the detection on CFS01 and pivot on the account and the binary."
      reveals = "hzrd.exe under HARBOR\\svc_backup since 16:19 on CFS01, then CFS02 via DFS-R. svc_backup logged on from PARK-APP01 on Tuesday; PARK-APP01 was reached from the VPN account vnd_parksmart from a hosting-provider IP. Rclone to a cloud storage endpoint Wednesday night: 300 GB out."
      takes   = "5m"
    }
    step "isolate" {
      text    = "Network-contain CFS01/CFS02 and PARK-APP01 in EDR, block SMB from user VLANs at the core, disable the vnd_parksmart account. Do NOT power off."
      applies = remedy.isolate-file-servers
      takes   = "3m"
    }
    step "preserve-evidence" {
      text    = "Capture memory on CFS01 and CFS02 before anything is rebooted; export VPN and domain controller logs for the last 14 days."
      reveals = "Memory captured. A scheduled task 'GoogleUpdateTaskMachineUA2' created Tuesday on CFS01 and two other servers relaunches the payload at boot."
      takes   = "10m"
    }
    step "eradicate" {
      text    = "Reset svc_backup and every privileged credential, reset krbtgt twice, remove the scheduled tasks, enforce MFA on vendor VPN accounts."
      applies = remedy.eradicate-persistence
    }
  }

  runbook "file-share-restore" {
    title   = "File share: restore from immutable backups"
    service = service.backup-vault
    group   = group.infra
    step "check-backups" {
      text    = "In the VL-2 console, list snapshots and their lock status for the share volumes."
      reveals = "Nightly snapshots to 14 days back, all WORM-locked; the 02:00 snapshot of today predates the encryption (16:19). The attacker was present since Tuesday, so the server OS images are not trusted; data volumes are."
      takes   = "5m"
    }
    step "check-replica" {
      text    = "Check whether the CFS02 DFS-R replica is usable."
      reveals = "CFS02 replicated the encryption within minutes; it is not a restore source."
      takes   = "2m"
    }
    step "restore" {
      text    = "Under a change record: build clean servers, restore the 02:00 data volumes, have departments validate, then reopen SMB department by department (HHS and Finance first)."
      applies = remedy.restore-from-immutable-snapshot
    }
  }

  knowledge "kb0000412" {
    title      = "My files have a strange extension and won't open"
    text       = "Files suddenly renamed with an unknown extension, or a README or ransom note in folders, may be ransomware. Treat it as a security incident: record a P1 incident, engage the Information Security Office at once."
    workaround = "Ask the caller to unplug the network cable (or turn off Wi-Fi) but not to shut down the computer, and to write down what they saw."
    applies_to  = [service.county-file-share]
    keywords    = ["extension", "won't open", "encrypted", "ransom", "readme", "hzrd"]
    escalate_to = [group.security, group.infra]
  }

  knowledge "kb0000977" {
    title      = "Business continuity: working without the file share"
    text       = "Departmental continuity plans list paper forms and offline procedures: Clerk recording intake on paper log CR-7, HHS emergency placements by phone to the on-call supervisor, payroll by repeating the previous period's hours with adjustments later."
    workaround = "Run payroll from the previous period's hours (Finance SOP FS-12) if timesheets are unavailable."
    applies_to = [service.payroll, service.case-management]
    keywords   = ["continuity", "paper", "offline", "payroll", "manual"]
  }

  knowledge "kb0000880" {
    title = "Who to call in a cyber incident"
    text  = "County cyber insurer breach hotline (Harborline, policy CY-44120); IR retainer (Redwatch); FBI field office cyber duty agent; CISA (report.cisa.gov) and MS-ISAC 24x7 SOC; state fusion center; county counsel before any external statement. State breach law requires notice to affected residents and the Attorney General; HIPAA breach rule applies to HHS health data."
    applies_to = [service.county-file-share]
    keywords   = ["cyber", "fbi", "cisa", "ms-isac", "insurance", "breach", "report"]
  }

  # ---------------------------------------------------------- what breaks

  fault "share-encryption" {
    service      = service.county-file-share
    start        = "1m"
    ramp         = "10m"
    error_rate   = 0.5
    cause        = "Hazard ransomware run under the stolen svc_backup account encrypts the DFS shares; initial access three days ago through the vendor VPN account vnd_parksmart without MFA."
    root_cause   = true
    fixed_by     = [remedy.restore-from-immutable-snapshot]
    logs = [
      "16:19:02 CFS01 SentinelEdge: process C:\\ProgramData\\hzrd.exe (user HARBOR\\svc_backup) modifying 4,200 files/min",
      "16:19:40 CFS01 SMB: README_HAZARD.txt created in 1,904 folders",
      "Tue 02:14 vpn01: user vnd_parksmart logged in from 185.220.101.x (hosting provider), no MFA",
      "Wed 23:40 CFS01: rclone.exe copy S:\\HHS to remote 'bkp' - 300.2 GB transferred",
    ]
  }

  fault "encryption-continues" {
    service      = service.county-file-share
    when         = elapsed > minutes(12) && !remedy.isolate-file-servers.completed
    ramp         = "15m"
    error_rate   = 0.45
    cause        = "While the file servers stay on the network the payload works through the remaining departmental shares (HHS, Finance, DA)."
    mitigated_by = [remedy.isolate-file-servers]
    fixed_by     = [remedy.restore-from-immutable-snapshot]
    logs         = ["CFS01 SentinelEdge: hzrd.exe now encrypting S:\\HHS and S:\\Finance (6,100 files/min)"]
  }

  fault "encryption-spreads" {
    service      = service.case-management
    ramp         = "5m"
    error_rate   = 0.8
    cause        = "While the team watched, the attacker used svc_backup to push the payload to the case-management application servers."
    mitigated_by = [remedy.isolate-file-servers]
    fixed_by     = [remedy.restore-from-immutable-snapshot]
    logs         = ["HHS-APP02 SentinelEdge: hzrd.exe launched by PsExec from CFS01 (HARBOR\\svc_backup)"]
  }

  fault "reinfection" {
    service      = service.county-file-share
    ramp         = "5m"
    error_rate   = 0.9
    cause        = "Restored before eradication: the scheduled task on the servers relaunched the payload and re-encrypted the restored data."
    mitigated_by = [remedy.isolate-file-servers]
    fixed_by     = [remedy.restore-from-immutable-snapshot]
    logs         = ["CFS01 Task Scheduler: 'GoogleUpdateTaskMachineUA2' started C:\\ProgramData\\hzrd.exe"]
  }

  remedy "isolate-file-servers" {
    title   = "Contain the file servers and PARK-APP01, block SMB, disable the vendor account"
    service = service.county-file-share
    takes   = "5m"
    by      = [group.security, group.infra]
  }

  remedy "eradicate-persistence" {
    title   = "Reset privileged credentials (krbtgt twice), remove scheduled tasks, MFA on vendor VPN"
    service = service.vpn
    takes   = "25m"
    by      = [group.security, group.infra]
  }

  remedy "restore-from-immutable-snapshot" {
    title           = "Restore the 02:00 immutable snapshot onto rebuilt servers"
    service         = service.county-file-share
    takes           = "25m"
    requires_change = true
    by              = [group.infra]
  }

  remedy "power-off-servers" {
    title     = "Power off CFS01 and CFS02"
    service   = service.county-file-share
    takes     = "2m"
    by        = [group.infra]
    harmful   = "Stops the encryption but destroys the memory evidence (process tree, possibly key material) and the payload relaunches at boot from its scheduled task."
    spike     = 0.05
    spike_for = "1m"
  }

  remedy "restore-from-replica" {
    title     = "Restore the shares from the CFS02 DFS-R replica"
    service   = service.county-file-share
    takes     = "20m"
    by        = [group.infra]
    harmful   = "CFS02 holds the same encrypted files; the copy overwrites the few files that survived."
    spike     = 0.1
    spike_for = "5m"
    triggers  = [fault.reinfection]
  }

  # ------------------------------------------------------------- the story
  # Module 1: detection and initial response

  inject "clerk-call" {
    at      = "3m"
    to      = role.service_desk
    channel = "phone"
    from    = "Patricia Dunn, Clerk-Recorder's office"
    text    = "Module 1. It's 16:23 on a Friday and all the files on our S: drive have '.hzrd' on the end. They won't open. There's a text file in every folder called README_HAZARD. We have recordings to finish before five. What do we do?"
    record  = "incident"
    about   = service.county-file-share
  }

  inject "edr-detection" {
    at      = "5m"
    to      = group.security
    channel = "email"
    from    = "SentinelEdge EDR"
    text    = "CRITICAL: Ransomware behaviour on CFS01. Process hzrd.exe (HARBOR\\svc_backup) modifying 4,200 files/min. Also seen on CFS02. Automatic containment is disabled for servers by policy."
  }

  inject "ransom-note" {
    at      = "9m"
    to      = [group.security, group.infra, role.incident_manager]
    channel = "chat"
    from    = "beth (IT Infrastructure)"
    text    = "Pasting README_HAZARD.txt: 'Your network has been encrypted and 300 GB of your data downloaded, including HHS files. Contact us through the portal within 48 hours or the data is published. Price: 38 BTC. Do not contact police or recovery companies.'"
  }

  inject "intern-laptop-request" {
    at      = "11m"
    to      = role.service_desk
    channel = "email"
    from    = "Parks & Recreation office manager"
    text    = "Could we get a laptop set up for our summer intern starting June 3? Same software as the front desk PC."
    record  = "request"
  }

  inject "hhs-caseworkers" {
    at      = "19m"
    to      = role.service_desk
    channel = "phone"
    from    = "Keisha Marsh, child welfare supervisor"
    text    = "Caseworkers can't open any attachments in the case system: court reports, placement documents, everything. We have an emergency placement tonight and a dependency hearing Monday morning."
    record  = "incident"
    about   = service.case-management
  }

  inject "many-bridges" {
    when    = elapsed > minutes(25) && length(war_rooms) > 1
    to      = [role.incident_manager, group.executive]
    channel = "phone"
    from    = "Richard Hale, County Administrator"
    text    = "IT has a call, HHS has a call, and the Clerk is calling me directly. Who is in charge, and where do I go for one picture?"
  }

  inject "isolation-complaints" {
    to      = [role.incident_manager, group.infra]
    channel = "phone"
    from    = "Deputy District Attorney"
    text    = "Our evidence share is unreachable and we have a trial on Monday. Who authorised cutting off the DA's office?"
  }

  inject "evidence-lost" {
    to      = [group.security, role.incident_manager]
    channel = "email"
    from    = "Redwatch IR intake"
    text    = "We understand the file servers were powered off. The memory state is gone, so we cannot recover the process tree or any key material from RAM, and we expect the payload to have persistence that runs at boot. Please leave them off until we arrive."
  }

  inject "spread-detected" {
    to      = [group.security, group.hhs-it, role.incident_manager]
    channel = "email"
    from    = "SentinelEdge EDR"
    text    = "CRITICAL: hzrd.exe launched on HHS-APP01 and HHS-APP02 (case management) via PsExec from CFS01 as HARBOR\\svc_backup."
  }

  # Module 2: escalation, extortion, stakeholders

  inject "pio-blindsided" {
    to      = [group.comms, role.incident_manager]
    channel = "phone"
    from    = "Jenna Alvarez, Public Information Officer"
    text    = "A reporter just asked me to confirm the county has been hit by ransomware and I had no idea. I said I'd call back. What can I say, and why wasn't I told?"
  }

  inject "reporter-call" {
    at      = "36m"
    to      = group.comms
    channel = "phone"
    from    = "Dana Cho, Harbor Daily Ledger"
    text    = "Module 2. The Hazard group's leak site lists Harbor County as its newest victim with a countdown. Can you confirm you've been attacked, whether residents' data was taken, and whether you'll pay?"
  }

  inject "insurer-conditions" {
    when    = elapsed > minutes(40)
    to      = [group.legal, role.incident_manager]
    channel = "email"
    from    = "Harborline Mutual claims"
    text    = "Reminder of policy conditions: notify us within 24 hours, use panel counsel and a panel IR firm, and obtain our written consent before any payment or negotiation. Costs incurred without consent may not be covered."
  }

  inject "payroll-at-risk" {
    at      = "48m"
    to      = role.service_desk
    channel = "email"
    from    = "Irene Novak, Finance Systems"
    text    = "The timesheet import files for Monday's payroll (2,300 employees) were on the S: drive and are encrypted. If we can't run payroll Monday 06:00, the county misses payday for the first time in its history."
    record  = "incident"
    about   = service.payroll
  }

  inject "leak-sample" {
    at      = "55m"
    to      = [group.legal, group.comms, group.executive, role.incident_manager]
    channel = "news"
    from    = "Threat intelligence feed (MS-ISAC)"
    text    = "The Hazard leak site posted 40 sample files from Harbor County: foster-care case summaries with children's names and dates of birth, and Medicaid eligibility letters with SSNs."
  }

  inject "board-chair" {
    when    = elapsed > minutes(60) && status_updates < 2
    to      = [group.executive, role.incident_manager]
    channel = "phone"
    from    = "Chair, Board of Supervisors"
    text    = "I'm hearing about this from a reporter, not from staff. I want a briefing in 30 minutes: what happened, what's affected, whether we're paying, and what we tell the public."
  }

  inject "ofac-warning" {
    to      = [group.legal, group.executive, role.incident_manager]
    channel = "email"
    from    = "Keane & Ortiz LLP (panel breach counsel)"
    text    = "The wallet in the ransom note is linked by two blockchain analytics firms to an entity on the OFAC sanctions list. A payment could violate sanctions regulations; the insurer will not consent or reimburse. We advise against payment."
  }

  inject "decryptor-broken" {
    to      = [group.security, group.infra, role.incident_manager]
    channel = "chat"
    from    = "tom (Information Security)"
    text    = "The test decryptor they sent crashes on files over 2 GB and corrupts Access databases. And now they want another 12 BTC to 'delete the stolen data'."
  }

  inject "authorities-later" {
    to      = [group.executive, role.incident_manager]
    channel = "email"
    from    = "Office of the State CIO"
    text    = "We learned of your incident from the press. State law requires counties to report significant cyber incidents to the state within 72 hours; the fusion center also has indicators from two other counties hit by the same group this month that would have helped you."
  }

  # Module 3: recovery and notification

  inject "restore-planning" {
    at      = "72m"
    to      = [group.infra, group.security, role.incident_manager]
    channel = "chat"
    from    = "Facilitator"
    text    = "Module 3. It is now Saturday 09:00. Redwatch has been on site overnight. The VL-2 immutable snapshots from 02:00 Friday are intact. HHS and Finance want their data back first."
  }

  inject "reinfection-detected" {
    when    = fault.reinfection.active
    to      = [group.security, group.infra, role.incident_manager]
    channel = "email"
    from    = "SentinelEdge EDR"
    text    = "CRITICAL: hzrd.exe relaunched on CFS01 by scheduled task 'GoogleUpdateTaskMachineUA2'; restored files are being encrypted again."
  }

  inject "restore-progress" {
    when    = remedy.restore-from-immutable-snapshot.completed
    to      = [role.service_owner, role.command_center]
    channel = "chat"
    from    = "marco (IT Infrastructure)"
    text    = "HHS and Finance shares restored on the rebuilt servers from the 02:00 snapshot and opened to those departments only. Please have your owners validate before we reopen the rest."
  }

  inject "hotwash" {
    at      = "110m"
    to      = everyone
    channel = "chat"
    from    = "Facilitator"
    text    = "Hotwash. Three strengths, three areas for improvement, and who owns each follow-up: vendor remote access, immutable backups, isolation authority, notification duties, communications cadence."
  }

  # -------------------------------------------------------------- decisions

  decision "isolate-now" {
    at      = "13m"
    to      = [role.incident_manager, group.security, group.infra]
    prompt  = "Encryption is still running on CFS01 and CFS02. Isolating means every department loses its S: drive at 16:33 on a Friday, including the DA and HHS. What do you do, and who has the authority to decide?"
    timeout = "6m"
    default = "monitor-first"
    option "isolate-segment" {
      text     = "Contain the file servers now (EDR network containment, block SMB, disable vnd_parksmart); keep them powered on"
      score    = 15
      note     = "Stops the spread and keeps the evidence; the disruption is the price, and the CISO's isolation authority should be written down in advance."
      triggers = [inject.isolation-complaints]
    }
    option "power-off-everything" {
      text     = "Power off the file servers and anything that looks affected"
      score    = -5
      note     = "Stops encryption but destroys volatile evidence and leaves persistence to fire at boot."
      triggers = [inject.evidence-lost]
    }
    option "monitor-first" {
      text     = "Watch for 30 minutes to understand the scope before disrupting departments"
      score    = -15
      note     = "The attacker is active; waiting lets the payload move to the case-management servers."
      triggers = [fault.encryption-spreads, inject.spread-detected]
    }
  }

  decision "who-to-engage" {
    at      = "22m"
    to      = [role.incident_manager, role.command_center, group.executive]
    prompt  = "Who do you bring in now, on a Friday evening, beyond IT and Security?"
    timeout = "6m"
    default = "it-only"
    option "full-team-now" {
      text  = "County counsel, the PIO, the County Administrator, the cyber insurer hotline and the IR retainer, now"
      score = 15
      note  = "Counsel protects privilege and notification duties, the insurer's conditions start the clock, the PIO needs facts before the press calls."
    }
    option "legal-only" {
      text  = "County counsel only for now"
      score = 3
      note  = "Better than nothing, but the insurer's 24-hour clock and the press do not wait."
    }
    option "it-only" {
      text     = "Keep it inside IT until we know more"
      score    = -10
      note     = "Executives, counsel and the PIO learn about it from outside."
      triggers = [inject.pio-blindsided]
    }
  }

  decision "public-statement" {
    at      = "39m"
    to      = [group.comms, group.executive, group.legal]
    prompt  = "The reporter is on deadline in 30 minutes. What does the county say?"
    timeout = "8m"
    default = "no-comment"
    option "holding-statement" {
      text  = "A holding statement reviewed by counsel: a cyber incident affecting some county systems, services affected and alternatives, investigating with law enforcement, updates at set times"
      score = 10
      note  = "Factual, no speculation about data or payment, gives residents what they need and a time for the next update."
    }
    option "no-comment" {
      text  = "No comment"
      score = -5
      note  = "The leak site tells the story instead; residents whose data may be exposed hear nothing from the county."
    }
    option "full-details" {
      text  = "Full details: the group's name, the ransom demand, the systems hit"
      score = -5
      note  = "Premature and unreviewed; can prejudice the investigation and the negotiation position, and may be wrong."
    }
  }

  decision "report-to-authorities" {
    at      = "43m"
    to      = [role.incident_manager, group.legal, group.executive]
    prompt  = "Do you report to law enforcement and federal/state partners (FBI field office, CISA, MS-ISAC, state fusion center), and when?"
    timeout = "8m"
    default = "after-scoping"
    option "report-now" {
      text  = "Report now to the FBI field office, CISA/MS-ISAC and the state"
      score = 10
      note  = "Partners bring indicators from other victims, decryptor knowledge and sanctions advice; the state reporting clock is 72 hours."
    }
    option "after-scoping" {
      text  = "Report once the scope is known, Monday"
      score = 0
      note  = "Loses the help when it matters most; still inside the state's 72 hours."
    }
    option "do-not-report" {
      text     = "Do not report; handle it ourselves"
      score    = -15
      note     = "Misses statutory reporting and the partners' help; the state learns from the press."
      triggers = [inject.authorities-later]
    }
  }

  decision "pay-or-restore" {
    at      = "62m"
    to      = [group.executive, role.incident_manager, group.legal]
    prompt  = "The County Administrator asks for a recommendation: pay 38 BTC (about $2.4M) for a decryptor and the promise to delete the data, or restore from the immutable backups, which IT estimates at two to three days for all shares."
    timeout = "10m"
    default = "negotiate-for-time"
    option "restore-from-backups" {
      text  = "Do not pay; restore from the immutable backups, priority departments first"
      score = 15
      note  = "The backups are intact and independent of the attacker; payment buys an unreliable decryptor and a promise from criminals, and may breach sanctions."
    }
    option "pay-ransom" {
      text     = "Pay, to get services back quickly and stop the leak"
      score    = -20
      note     = "Sanctions exposure, no insurer consent, no guarantee the data is deleted, and it marks the county as a payer."
      triggers = [inject.ofac-warning, inject.decryptor-broken]
    }
    option "negotiate-for-time" {
      text  = "Let panel counsel's negotiator open contact to buy time while backups are verified"
      score = 0
      note  = "Only through the insurer's panel and with counsel; it can buy time but commits nothing and carries risk."
    }
  }

  decision "restore-timing" {
    when    = decision.pay-or-restore.answered && elapsed > minutes(73)
    to      = [group.infra, group.security, role.incident_manager]
    prompt  = "Finance needs the timesheet files by Sunday night for Monday's payroll. Redwatch has found a scheduled task for persistence on CFS01 and two other servers; credential resets are not done. When and how do you restore?"
    timeout = "8m"
    default = "restore-now-in-place"
    option "eradicate-then-restore" {
      text  = "Reset credentials and remove persistence first, rebuild the servers, then restore HHS and Finance data from the 02:00 snapshot; run payroll from last period's hours if needed"
      score = 15
      note  = "Restores onto a clean base; the payroll continuity procedure covers the gap."
    }
    option "restore-now-in-place" {
      text     = "Restore the snapshot onto the existing servers now to make payroll"
      score    = -10
      note     = "The persistence relaunches the payload and re-encrypts the restored data."
      triggers = [fault.reinfection]
    }
    option "restore-from-replica" {
      text     = "Copy back from the CFS02 replica, it's faster"
      score    = -15
      note     = "The replica is encrypted too; this overwrites survivors and reruns the payload."
      triggers = [fault.reinfection]
    }
  }

  decision "breach-notification" {
    at      = "88m"
    to      = [group.legal, role.incident_manager, role.service_owner]
    prompt  = "Forensics confirms 300 GB left the network, including HHS case files with children's data and Medicaid letters with SSNs. What notifications do you start?"
    timeout = "8m"
    default = "wait-for-certainty"
    option "notify-per-statute" {
      text  = "Start the statutory process: state Attorney General and affected residents under state breach law, HHS OCR under the HIPAA breach rule, the state Medicaid agency; a call centre and credit monitoring for those affected"
      score = 10
      note  = "Deadlines run from discovery; counsel drives it and the insurer pays for much of it."
    }
    option "wait-for-certainty" {
      text  = "Wait until forensics has the complete list of every affected person"
      score = -5
      note  = "Reasonable to scope, but the deadlines run from discovery and residents are at risk now; start the process in parallel."
    }
    option "no-notice" {
      text  = "No notice: the data was encrypted, not necessarily read"
      score = -20
      note  = "Exfiltration is confirmed and samples are published; this breaches the notification laws."
    }
  }

  # ------------------------------------------------------------ evaluation

  expect "first-record" {
    description = "The service desk records the Clerk's call as a P1 security incident and engages Security."
    dimension   = "detection"
    condition   = length(incidents) >= 1
    within      = "8m"
    decay       = "5m"
    points      = 10
  }

  expect "declared-p1" {
    description = "The incident is declared at P1."
    dimension   = "triage"
    condition   = length([for i in incidents : i if i.priority == 1]) >= 1
    within      = "20m"
    decay       = "10m"
    points      = 10
  }

  expect "contained" {
    description = "The file servers are contained without powering them off."
    dimension   = "recovery"
    condition   = remedy.isolate-file-servers.completed && !remedy.power-off-servers.applied
    within      = "25m"
    decay       = "15m"
    points      = 15
  }

  expect "command-center" {
    description = "The command center runs one incident with one bridge."
    dimension   = "coordination"
    condition   = command_center && length(war_rooms) == 1
    within      = "25m"
    decay       = "10m"
    points      = 10
  }

  expect "right-people-early" {
    description = "Counsel, the PIO, executives, the insurer and the IR firm are engaged early."
    dimension   = "coordination"
    condition   = decision.who-to-engage.choice == "full-team-now"
    points      = 15
  }

  expect "authorities-engaged" {
    description = "Law enforcement and CISA/MS-ISAC/state partners are engaged promptly."
    dimension   = "coordination"
    condition   = decision.report-to-authorities.choice == "report-now"
    points      = 10
  }

  expect "security-and-infra-paged" {
    description = "Security and Infrastructure on call are paged."
    dimension   = "coordination"
    condition   = pages >= 2
    within      = "20m"
    decay       = "10m"
    points      = 5
  }

  expect "holding-statement" {
    description = "A reviewed holding statement goes out before the reporter's deadline."
    dimension   = "communication"
    condition   = decision.public-statement.choice == "holding-statement"
    points      = 10
  }

  expect "cadence" {
    description = "Stakeholder updates on the set cadence (every 20 minutes in this exercise)."
    dimension   = "communication"
    condition   = status_updates >= 3
    within      = "75m"
    points      = 10
  }

  expect "restore-not-pay" {
    description = "The county restores from immutable backups rather than paying."
    dimension   = "recovery"
    condition   = decision.pay-or-restore.choice == "restore-from-backups"
    points      = 10
  }

  expect "clean-restore" {
    description = "Data restored onto a clean base without reinfection."
    dimension   = "recovery"
    condition   = fault.share-encryption.fixed && !fault.reinfection.active && remedy.eradicate-persistence.completed
    within      = "118m"
    points      = 10
  }

  expect "notifications-started" {
    description = "Statutory breach notifications are started on time."
    dimension   = "process"
    condition   = decision.breach-notification.choice == "notify-per-statute"
    points      = 15
  }

  expect "change-for-restore" {
    description = "The rebuild and restore run under a change record."
    dimension   = "process"
    condition   = length(changes) >= 1
    within      = "115m"
    points      = 5
  }

  expect "problem-record" {
    description = "A problem record covers vendor remote access without MFA and the expired exception."
    dimension   = "process"
    condition   = length(problems) >= 1
    within      = "118m"
    points      = 10
  }

  expect "owner-validation" {
    description = "Department owners validate restored data before shares reopen."
    dimension   = "process"
    condition   = validated
    within      = "119m"
    points      = 5
  }

  target {
    detect      = "4m"
    acknowledge = "10m"
    declare     = "15m"
    identify    = "20m"
    fix         = "95m"
    restore     = "105m"
  }

  process {
    status_every        = "20m"
    problem_for         = [1, 2]
    problem_for_p2_when = ["change", "critical", "downtime"]
  }
}
