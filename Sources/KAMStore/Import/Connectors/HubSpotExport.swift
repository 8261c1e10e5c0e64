import Foundation
import KAMCore

/// Reads HubSpot's CRM exports (Contacts/Companies/Deals → Export, "All properties", as CSV; and the activities
/// export) from one folder into one import document. A file is recognised by its name, as HubSpot names its
/// exports (`hubspot-crm-exports-all-companies-2024-03-05.csv`): `compan…` (required), `contact…`, `deal…`, and
/// `activit…` or `engagement…`. Columns are the property labels HubSpot's export writes (`Record ID`, `Company
/// name`, `Associated Company IDs`, ...); docs/connectors.md lists them. Records are linked by `Record ID` and
/// `Associated Company IDs` (a contact without that column joins the company of its email's domain), and every
/// external id is the HubSpot id prefixed `hubspot:`, so a second export updates what the first created.
public enum HubSpotExport {
    public static let name = "hubspot"

    public static func read(directory: String, encoding: ImportEncoding = .utf8, domains: CompanyDomains) throws -> VendorExport {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        func table(_ prefixes: [String]) throws -> ExportTable? {
            let match = names.sorted().first { name in
                let lower = name.lowercased()
                guard lower.hasSuffix(".csv") else { return false }
                let stem = lower.replacingOccurrences(of: "hubspot-crm-exports-", with: "").replacingOccurrences(of: "all-", with: "")
                return prefixes.contains { stem.hasPrefix($0) }
            }
            return try match.flatMap { try ExportTable(path: (directory as NSString).appendingPathComponent($0), encoding: encoding) }
        }
        guard let companies = try table(["compan"]) else {
            throw ImportError(
                .unreadable,
                issues: [.init(file: directory, message: "no companies export (a CSV file whose name starts with 'compan'): give the folder of HubSpot's companies, contacts, deals and activities exports")])
        }
        var reading = Reading(export: VendorExport())
        try reading.companies(companies, domains: domains)
        if let contacts = try table(["contact"]) { try reading.contacts(contacts, domains: domains) }
        if let deals = try table(["deal"]) { try reading.deals(deals) }
        if let activities = try table(["activit", "engagement"]) { try reading.activities(activities) }
        return reading.export
    }

    /// HubSpot's default pipeline, by label and by internal value.
    static let stages: [String: DealStage] = [
        "appointment scheduled": .prospecting, "appointmentscheduled": .prospecting,
        "qualified to buy": .qualification, "qualifiedtobuy": .qualification,
        "presentation scheduled": .qualification, "presentationscheduled": .qualification,
        "decision maker bought-in": .proposal, "decisionmakerboughtin": .proposal,
        "contract sent": .negotiation, "contractsent": .negotiation,
        "closed won": .closedWon, "closedwon": .closedWon, "closed lost": .closedLost, "closedlost": .closedLost,
    ]

    /// A lifecycle stage (label or internal value) → KAM's lead status and lifecycle.
    static func lead(_ stage: String) -> (LeadStatus, LifecycleStatus)? {
        switch stage.lowercased().replacingOccurrences(of: " ", with: "") {
        case "subscriber", "lead": (.new, .prospect)
        case "marketingqualifiedlead": (.contacted, .prospect)
        case "salesqualifiedlead": (.qualified, .prospect)
        case "opportunity": (.proposal, .prospect)
        case "customer", "evangelist": (.won, .active)
        default: nil
        }
    }

    static let recordID = ["Record ID", "Company ID", "Contact ID", "Deal ID", "Activity ID", "Engagement ID", "hs_object_id"]
    static let companyIDs = ["Associated Company IDs", "Associated Company ID", "Associated Company IDs (Primary)", "Company IDs", "associatedcompanyid"]

    private struct Reading {
        var export: VendorExport
        /// Company record id → client index.
        var clientOf: [String: Int] = [:]
        /// Company domain → client index, for contacts without an association column.
        var clientOfDomain: [String: Int] = [:]

        mutating func companies(_ table: ExportTable, domains: CompanyDomains) throws {
            let id = try table.require(HubSpotExport.recordID), name = try table.require(["Company name", "Name"])
            let domain = table.column(["Company Domain Name", "Domain"]), website = table.column(["Website URL", "Website"])
            let industry = table.column(["Industry"]), stage = table.column(["Lifecycle Stage"])
            let owner = table.column(["Company owner", "Owner email", "HubSpot Owner"]), created = table.column(["Create Date"])
            let revenue = table.column(["Annual Revenue"]), employees = table.column(["Number of Employees"])
            let description = table.column(["Description", "About Us"])
            for row in table.rows {
                let companyID = try table.required(row, id, "Record ID")
                let companyName = try table.required(row, name, "Company name")
                let host = table.text(row, domain) ?? table.text(row, website)
                var client = ImportDocument.ClientEntry(
                    id: export.uniqueClientID(for: companyName, sourceID: companyID), name: companyName,
                    externalID: "hubspot:\(companyID)", industry: table.text(row, industry),
                    // The export writes the owner's name unless an owner-email property was added: only an email names a user.
                    owner: table.text(row, owner).flatMap { $0.contains("@") ? $0 : nil },
                    domain: host.flatMap(domains.companyDomain(ofWebsite:)), createdAt: try table.date(row, created, "Create Date"))
                if let text = table.text(row, stage) {
                    guard let (status, lifecycle) = HubSpotExport.lead(text) else {
                        throw table.invalid(row, "Lifecycle Stage", "'\(text)' is not a HubSpot lifecycle stage (Subscriber, Lead, Marketing Qualified Lead, Sales Qualified Lead, Opportunity, Customer, Evangelist)")
                    }
                    (client.leadStatus, client.lifecycle) = (status, lifecycle)
                }
                if let owner = table.text(row, owner) {
                    if owner.contains("@") {
                        // An owner's email makes the owner a user, as a mapping's `owner.email` does.
                        if !export.document.users.contains(where: { $0.email.lowercased() == owner.lowercased() }) {
                            export.document.users.append(.init(email: owner))
                            export.note("users[\(export.document.users.count - 1)]", table, row)
                        }
                    } else {
                        client.memory = [.init(key: "hubspot-owner", value: owner)]
                    }
                }
                let memory = (client.memory ?? []) + (try table.facts(
                    row, text: [("description", description)],
                    numbers: [("annual-revenue", revenue, "Annual Revenue"), ("employees", employees, "Number of Employees")]))
                client.memory = memory.isEmpty ? nil : memory
                guard clientOf[companyID] == nil else { throw table.invalid(row, "Record ID", "company '\(companyID)' is given twice") }
                clientOf[companyID] = export.document.clients.count
                if let domain = client.domain, clientOfDomain[domain] == nil { clientOfDomain[domain] = export.document.clients.count }
                export.document.clients.append(client)
                export.note("clients[\(export.document.clients.count - 1)]", table, row)
            }
        }

        mutating func contacts(_ table: ExportTable, domains: CompanyDomains) throws {
            let id = try table.require(HubSpotExport.recordID)
            let first = table.column(["First Name"]), last = table.column(["Last Name"]), email = table.column(["Email"])
            let phone = table.column(["Phone Number", "Phone"]), title = table.column(["Job Title"])
            let companies = table.column(HubSpotExport.companyIDs)
            for row in table.rows {
                let contactID = try table.required(row, id, "Record ID")
                let address = table.text(row, email)
                let byDomain = address.flatMap { $0.split(separator: "@").last.map(String.init) }
                    .flatMap { host -> Int? in
                        guard case .company(let domain) = domains.owner(ofHost: host.lowercased()) else { return nil }
                        return clientOfDomain[domain]
                    }
                guard let index = client(of: table.text(row, companies)) ?? byDomain else {
                    export.skip(table, row, "contact \(contactID) is associated with no company of the companies export: not imported")
                    continue
                }
                let name = [table.text(row, first), table.text(row, last)].compactMap { $0 }.joined(separator: " ")
                let entry = ImportDocument.ContactEntry(
                    id: "hubspot:\(contactID)", name: name.isEmpty ? (address ?? "") : name, email: address,
                    phone: table.text(row, phone), title: table.text(row, title))
                let position = export.append(entry, to: index, \.contacts)
                export.note("clients[\(index)].contacts[\(position)]", table, row)
            }
        }

        mutating func deals(_ table: ExportTable) throws {
            let id = try table.require(HubSpotExport.recordID), name = try table.require(["Deal Name"])
            let stage = try table.require(["Deal Stage"]), amount = table.column(["Amount"]), close = table.column(["Close Date"])
            let created = table.column(["Create Date"]), entered = table.column(["Date entered current stage", "Last Stage Change Date"])
            let probability = table.column(["Deal probability", "Probability"]), currency = table.column(["Currency"])
            let companies = table.column(HubSpotExport.companyIDs)
            for row in table.rows {
                let dealID = try table.required(row, id, "Record ID")
                guard let index = client(of: table.text(row, companies)) else {
                    export.skip(table, row, "deal \(dealID) is associated with no company of the companies export: not imported")
                    continue
                }
                let stageName = try table.required(row, stage, "Deal Stage")
                guard let dealStage = HubSpotExport.stages[stageName.lowercased()] else {
                    throw table.invalid(
                        row, "Deal Stage",
                        "'\(stageName)' is not a stage of HubSpot's default pipeline (Appointment Scheduled, Qualified To Buy, Presentation Scheduled, Decision Maker Bought-In, Contract Sent, Closed Won, Closed Lost)")
                }
                var chance = try table.number(row, probability, "Deal probability")
                if let value = chance, value > 1 { chance = value / 100 }  // exports give 0.2 or 20
                if let value = chance, !(0...1).contains(value) {
                    throw table.invalid(row, "Deal probability", "\(value) is not a probability (0 to 1, or 0 to 100 %)")
                }
                let closeDate = try table.date(row, close, "Close Date")
                guard let since = try table.date(row, entered, "Date entered current stage") ?? table.date(row, created, "Create Date") ?? closeDate else {
                    throw table.invalid(row, "Create Date", "is empty, and so is Close Date: when did the deal enter its stage?")
                }
                let entry = ImportDocument.DealEntry(
                    id: "hubspot:\(dealID)", name: try table.required(row, name, "Deal Name"), stage: dealStage,
                    amount: try table.number(row, amount, "Amount") ?? 0, currency: table.text(row, currency)?.uppercased(),
                    closeDate: closeDate, probability: chance, stageEnteredAt: since)
                let position = export.append(entry, to: index, \.deals)
                export.note("clients[\(index)].deals[\(position)]", table, row)
            }
        }

        /// Emails, calls, meetings and notes become activities; tasks stay tasks.
        mutating func activities(_ table: ExportTable) throws {
            let id = try table.require(HubSpotExport.recordID), type = try table.require(["Activity type", "Engagement Type", "Type"])
            let date = table.column(["Activity date", "Timestamp", "Create Date"]), subject = table.column(["Subject", "Title", "Task title"])
            let body = table.column(["Body", "Notes", "Email body", "Call notes", "Note body"])
            let direction = table.column(["Email direction", "Direction"]), status = table.column(["Task status", "Status"])
            let priority = table.column(["Task priority", "Priority"]), companies = table.column(HubSpotExport.companyIDs)
            for row in table.rows {
                let activityID = try table.required(row, id, "Record ID")
                guard let index = client(of: table.text(row, companies)) else {
                    export.skip(table, row, "activity \(activityID) is associated with no company of the companies export: not imported")
                    continue
                }
                let kindName = try table.required(row, type, "Activity type").lowercased()
                let when = try table.date(row, date, "Activity date")
                if kindName == "task" {
                    let entry = ImportDocument.TaskEntry(
                        id: "hubspot:\(activityID)", title: table.text(row, subject) ?? "Task \(activityID)", due: when,
                        status: table.text(row, status)?.lowercased() == "completed" ? .done : .open,
                        priority: VendorExport.taskPriority(table.text(row, priority)))
                    let position = export.append(entry, to: index, \.tasks)
                    export.note("clients[\(index)].tasks[\(position)]", table, row)
                    continue
                }
                let kind: ActivityKind
                switch kindName {
                case "email", "incoming_email", "forwarded_email": kind = .email
                case "call": kind = .call
                case "meeting": kind = .meeting
                case "note": kind = .note
                default:
                    throw table.invalid(row, "Activity type", "'\(kindName)' is not one of EMAIL, CALL, MEETING, NOTE, TASK")
                }
                guard let when else { throw table.invalid(row, "Activity date", "is empty; when did it happen?") }
                let inbound = kindName == "incoming_email" || table.text(row, direction).map { $0.lowercased().contains("incoming") } == true
                let entry = ImportDocument.ActivityEntry(
                    id: "hubspot:\(activityID)", kind: kind, direction: kind == .note ? .internal : inbound ? .inbound : .outbound,
                    occurredAt: when, subject: table.text(row, subject), body: table.text(row, body))
                let position = export.append(entry, to: index, \.activities)
                export.note("clients[\(index)].activities[\(position)]", table, row)
            }
        }

        /// The client of the first company id in an association cell (`123;456` or `123, 456`).
        func client(of associations: String?) -> Int? {
            associations?.split(whereSeparator: { $0 == ";" || $0 == "," }).lazy
                .compactMap { clientOf[$0.trimmingCharacters(in: .whitespaces)] }.first
        }
    }
}
