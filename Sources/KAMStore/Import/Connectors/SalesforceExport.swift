import Foundation
import KAMCore

/// Reads a Salesforce Data Export (Setup → Data Export: one CSV a object, columns named by their API names)
/// into one import document: `Account.csv` (required) becomes the clients, `Contact.csv` their contacts,
/// `Opportunity.csv` their deals, `Task.csv` their calls and emails (activities) and other tasks, `EmailMessage.csv`
/// their emails, and `User.csv` the owners. Records are linked by the export's ids (`AccountId`, `WhoId`,
/// `WhatId`, `RelatedToId`, `OwnerId`), and every external id is the Salesforce id prefixed `salesforce:`, so a
/// second export of the same org updates what the first created. docs/connectors.md lists the columns read.
public enum SalesforceExport {
    public static let name = "salesforce"

    /// The export's files KAM reads, in the order it reads them.
    public static let files = ["User.csv", "Account.csv", "Contact.csv", "Opportunity.csv", "Task.csv", "EmailMessage.csv"]

    public static func read(directory: String, encoding: ImportEncoding = .utf8, domains: CompanyDomains) throws -> VendorExport {
        func table(_ name: String) throws -> ExportTable? {
            try ExportTable(path: (directory as NSString).appendingPathComponent(name), encoding: encoding)
        }
        guard let accounts = try table("Account.csv") else {
            throw ImportError(
                .unreadable,
                issues: [.init(file: directory, message: "no Account.csv: give the folder of a Salesforce Data Export (Account.csv, Contact.csv, Opportunity.csv, Task.csv, EmailMessage.csv, User.csv)")])
        }
        var reading = Reading(export: VendorExport())
        if let users = try table("User.csv") { try reading.users(users) }
        try reading.accounts(accounts, domains: domains)
        if let contacts = try table("Contact.csv") { try reading.contacts(contacts) }
        if let opportunities = try table("Opportunity.csv") { try reading.opportunities(opportunities) }
        if let tasks = try table("Task.csv") { try reading.tasks(tasks) }
        if let emails = try table("EmailMessage.csv") { try reading.emails(emails) }
        return reading.export
    }

    /// A stage name → KAM's stage: Salesforce's default sales process. Other names go by `IsWon`, `IsClosed` and
    /// `Probability` (`stage(of:)`).
    static let stages: [String: DealStage] = [
        "prospecting": .prospecting, "qualification": .qualification, "needs analysis": .qualification,
        "value proposition": .proposal, "id. decision makers": .proposal, "perception analysis": .proposal,
        "proposal/price quote": .proposal, "negotiation/review": .negotiation, "closed won": .closedWon,
        "closed lost": .closedLost,
    ]

    /// The state of one reading: the document so far and the ids it has met.
    private struct Reading {
        var export: VendorExport
        /// Salesforce user id → email.
        var userEmails: [String: String] = [:]
        /// Account id → index of its client in the document.
        var clientOf: [String: Int] = [:]
        /// Contact id → (client index, the contact's reference for activities).
        var contactOf: [String: (client: Int, reference: String)] = [:]
        /// Opportunity id → client index.
        var opportunityClient: [String: Int] = [:]

        mutating func users(_ table: ExportTable) throws {
            let id = try table.require(["Id"]), email = try table.require(["Email"])
            let name = table.column(["Name"]), first = table.column(["FirstName"]), last = table.column(["LastName"])
            for row in table.rows {
                guard let userID = table.text(row, id), let address = table.text(row, email) else { continue }
                let fullName = table.text(row, name)
                    ?? [table.text(row, first), table.text(row, last)].compactMap { $0 }.joined(separator: " ")
                export.document.users.append(.init(name: fullName.isEmpty ? nil : fullName, email: address))
                export.note("users[\(export.document.users.count - 1)]", table, row)
                userEmails[userID] = address
            }
        }

        mutating func accounts(_ table: ExportTable, domains: CompanyDomains) throws {
            let id = try table.require(["Id"]), name = try table.require(["Name"])
            let industry = table.column(["Industry"]), website = table.column(["Website"]), type = table.column(["Type"])
            let owner = table.column(["OwnerId"]), created = table.column(["CreatedDate"])
            let currency = table.column(["CurrencyIsoCode"]), description = table.column(["Description"])
            let revenue = table.column(["AnnualRevenue"]), employees = table.column(["NumberOfEmployees"])
            for row in table.rows {
                let accountID = try table.required(row, id, "Id")
                let accountName = try table.required(row, name, "Name")
                var client = ImportDocument.ClientEntry(
                    id: export.uniqueClientID(for: accountName, sourceID: accountID), name: accountName,
                    externalID: "salesforce:\(accountID)", industry: table.text(row, industry),
                    currency: table.text(row, currency)?.uppercased(),
                    owner: table.text(row, owner).flatMap { userEmails[$0] },
                    domain: table.text(row, website).flatMap(domains.companyDomain(ofWebsite:)),
                    createdAt: try table.date(row, created, "CreatedDate"))
                if let kind = table.text(row, type)?.lowercased() {
                    // Account types: Prospect, Customer - Direct, Customer - Channel, partners, Other.
                    if kind.hasPrefix("customer") {
                        (client.lifecycle, client.leadStatus) = (.active, .won)
                    } else if kind == "prospect" {
                        (client.lifecycle, client.leadStatus) = (.prospect, .new)
                    }
                }
                let memory = try table.facts(
                    row, text: [("description", description)],
                    numbers: [("annual-revenue", revenue, "AnnualRevenue"), ("employees", employees, "NumberOfEmployees")])
                client.memory = memory.isEmpty ? nil : memory
                guard clientOf[accountID] == nil else { throw table.invalid(row, "Id", "account '\(accountID)' is given twice") }
                clientOf[accountID] = export.document.clients.count
                export.document.clients.append(client)
                export.note("clients[\(export.document.clients.count - 1)]", table, row)
            }
        }

        mutating func contacts(_ table: ExportTable) throws {
            let id = try table.require(["Id"]), account = try table.require(["AccountId"])
            let name = table.column(["Name"]), first = table.column(["FirstName"]), last = table.column(["LastName"])
            let email = table.column(["Email"]), phone = table.column(["Phone"]), mobile = table.column(["MobilePhone"])
            let title = table.column(["Title"])
            for row in table.rows {
                let contactID = try table.required(row, id, "Id")
                guard let accountID = table.text(row, account), let index = clientOf[accountID] else {
                    export.skip(table, row, "contact \(contactID) has no account in Account.csv (AccountId '\(table.text(row, account) ?? "")'): not imported")
                    continue
                }
                let fullName = table.text(row, name)
                    ?? [table.text(row, first), table.text(row, last)].compactMap { $0 }.joined(separator: " ")
                guard !fullName.isEmpty else { throw table.invalid(row, "LastName", "is empty; a contact needs a name") }
                let reference = "salesforce:\(contactID)"
                let entry = ImportDocument.ContactEntry(
                    id: reference, name: fullName, email: table.text(row, email), phone: table.text(row, phone) ?? table.text(row, mobile),
                    title: table.text(row, title))
                let position = export.append(entry, to: index, \.contacts)
                export.note("clients[\(index)].contacts[\(position)]", table, row)
                contactOf[contactID] = (index, reference)
            }
        }

        mutating func opportunities(_ table: ExportTable) throws {
            let id = try table.require(["Id"]), account = try table.require(["AccountId"]), name = try table.require(["Name"])
            let stage = try table.require(["StageName"]), amount = table.column(["Amount"]), close = table.column(["CloseDate"])
            let probability = table.column(["Probability"]), currency = table.column(["CurrencyIsoCode"])
            let isWon = table.column(["IsWon"]), isClosed = table.column(["IsClosed"])
            let stageChanged = table.column(["LastStageChangeDate"]), created = table.column(["CreatedDate"])
            for row in table.rows {
                let dealID = try table.required(row, id, "Id")
                guard let accountID = table.text(row, account), let index = clientOf[accountID] else {
                    export.skip(table, row, "opportunity \(dealID) has no account in Account.csv: not imported")
                    continue
                }
                let percent = try table.number(row, probability, "Probability")
                if let percent, !(0...100).contains(percent) {
                    throw table.invalid(row, "Probability", "\(percent) is not a percentage (0 to 100)")
                }
                let closeDate = try table.date(row, close, "CloseDate")
                let entered = try table.date(row, stageChanged, "LastStageChangeDate") ?? table.date(row, created, "CreatedDate")
                    ?? closeDate
                guard let entered else {
                    throw table.invalid(row, "CreatedDate", "is empty, and so are LastStageChangeDate and CloseDate: when did the deal enter its stage?")
                }
                let entry = ImportDocument.DealEntry(
                    id: "salesforce:\(dealID)", name: try table.required(row, name, "Name"),
                    stage: SalesforceExport.stage(
                        try table.required(row, stage, "StageName"), won: table.text(row, isWon), closed: table.text(row, isClosed),
                        percent: percent),
                    amount: try table.number(row, amount, "Amount") ?? 0, currency: table.text(row, currency)?.uppercased(),
                    closeDate: closeDate, probability: percent.map { $0 / 100 }, stageEnteredAt: entered)
                let position = export.append(entry, to: index, \.deals)
                export.note("clients[\(index)].deals[\(position)]", table, row)
                opportunityClient[dealID] = index
            }
        }

        /// Calls and emails logged as tasks become activities; other tasks stay tasks.
        mutating func tasks(_ table: ExportTable) throws {
            let id = try table.require(["Id"]), subject = try table.require(["Subject"])
            let account = table.column(["AccountId"]), what = table.column(["WhatId"]), who = table.column(["WhoId"])
            let date = table.column(["ActivityDate"]), created = table.column(["CreatedDate"])
            let subtype = table.column(["TaskSubtype"]), type = table.column(["Type"]), status = table.column(["Status"])
            let priority = table.column(["Priority"]), description = table.column(["Description"]), owner = table.column(["OwnerId"])
            for row in table.rows {
                let taskID = try table.required(row, id, "Id")
                let contact = table.text(row, who).flatMap { contactOf[$0] }
                guard let index = client(account: table.text(row, account), what: table.text(row, what)) ?? contact?.client else {
                    export.skip(table, row, "task \(taskID) is related to no account, opportunity or contact of this export: not imported")
                    continue
                }
                let title = table.text(row, subject) ?? "Task \(taskID)"
                let kind = (table.text(row, subtype) ?? table.text(row, type))?.lowercased()
                if kind == "call" || kind == "email" {
                    guard let occurred = try table.date(row, date, "ActivityDate") ?? table.date(row, created, "CreatedDate") else {
                        throw table.invalid(row, "ActivityDate", "is empty, and so is CreatedDate: when was the \(kind!)?")
                    }
                    let entry = ImportDocument.ActivityEntry(
                        id: "salesforce:\(taskID)", kind: kind == "call" ? .call : .email, direction: .outbound, occurredAt: occurred,
                        subject: title, body: table.text(row, description), contact: contact?.client == index ? contact?.reference : nil)
                    let position = export.append(entry, to: index, \.activities)
                    export.note("clients[\(index)].activities[\(position)]", table, row)
                } else {
                    let entry = ImportDocument.TaskEntry(
                        id: "salesforce:\(taskID)", title: title, due: try table.date(row, date, "ActivityDate"),
                        status: SalesforceExport.taskStatus(table.text(row, status)), priority: VendorExport.taskPriority(table.text(row, priority)),
                        assignee: table.text(row, owner).flatMap { userEmails[$0] }.map { ImportDocument.UserEntry(email: $0).resolvedID })
                    let position = export.append(entry, to: index, \.tasks)
                    export.note("clients[\(index)].tasks[\(position)]", table, row)
                }
            }
        }

        mutating func emails(_ table: ExportTable) throws {
            let id = try table.require(["Id"]), date = try table.require(["MessageDate"])
            let related = table.column(["RelatedToId"]), subject = table.column(["Subject"]), body = table.column(["TextBody"])
            let incoming = table.column(["Incoming"]), from = table.column(["FromAddress"]), to = table.column(["ToAddress"])
            for row in table.rows {
                let emailID = try table.required(row, id, "Id")
                guard let index = client(account: nil, what: table.text(row, related)) else {
                    export.skip(table, row, "email \(emailID) is related to no account or opportunity of this export: not imported")
                    continue
                }
                guard let occurred = try table.date(row, date, "MessageDate") else {
                    throw table.invalid(row, "MessageDate", "is empty; when was the email sent?")
                }
                let inbound = table.text(row, incoming).map(ExportTable.isTrue) ?? false
                // The other party, when it is a contact of the client.
                let address = (inbound ? table.text(row, from) : table.text(row, to)?.split(separator: ";").first.map(String.init))?
                    .trimmingCharacters(in: .whitespaces).lowercased()
                let known = export.document.clients[index].contacts?.first { $0.email?.lowercased() == address }
                let entry = ImportDocument.ActivityEntry(
                    id: "salesforce:\(emailID)", kind: .email, direction: inbound ? .inbound : .outbound, occurredAt: occurred,
                    subject: table.text(row, subject), body: table.text(row, body), contact: known?.id)
                let position = export.append(entry, to: index, \.activities)
                export.note("clients[\(index)].activities[\(position)]", table, row)
            }
        }

        /// The client of an account id, or of the account of an opportunity id, in `account` or `what`.
        func client(account: String?, what: String?) -> Int? {
            account.flatMap { clientOf[$0] } ?? what.flatMap { clientOf[$0] ?? opportunityClient[$0] }
        }
    }

    static func stage(_ name: String, won: String?, closed: String?, percent: Double?) -> DealStage {
        if let known = stages[name.lowercased()] { return known }
        if won.map(ExportTable.isTrue) == true { return .closedWon }
        if closed.map(ExportTable.isTrue) == true { return .closedLost }
        switch percent ?? 10 {
        case ..<20: return .prospecting
        case ..<50: return .qualification
        case ..<75: return .proposal
        default: return .negotiation
        }
    }

    static func taskStatus(_ status: String?) -> TaskStatus {
        switch status?.lowercased() {
        case "completed": .done
        case "in progress", "waiting on someone else": .inProgress
        case "deferred": .cancelled
        default: .open
        }
    }
}
