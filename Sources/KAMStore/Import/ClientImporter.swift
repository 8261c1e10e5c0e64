import Foundation
import GRDB
import KAMCore

/// Imports clients and everything about them from a JSON document or a CSV file.
///
/// One file is one transaction: the whole file is parsed and checked first, then written; any
/// error rolls everything back, so a bad row never leaves half a file behind. Records are matched
/// by external id, so importing the same file twice updates rather than duplicates.
public struct ClientImporter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case json, csv
    }

    public var store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Imports a file; the format comes from the extension unless given.
    ///
    /// - Parameter mapping: for CSV, the column mapping (`CSVMapping.workbench` or a loaded file).
    /// - Throws: `ImportError` for unreadable or invalid files (nothing stored), `StoreError` for
    ///   database failures.
    public func importFile(at path: String, format: Format? = nil, mapping: CSVMapping? = nil) throws -> ImportSummary {
        let file = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(.unreadable, issues: [.init(file: path, message: "cannot read the file; check the path")])
        }
        let resolved = format ?? (path.lowercased().hasSuffix(".csv") ? .csv : .json)
        switch resolved {
        case .json:
            return try importJSON(data, file: file)
        case .csv:
            guard let mapping else {
                throw ImportError(
                    .invalidMapping,
                    issues: [.init(file: file, message: "a CSV import needs a column mapping: --map workbench or --map FILE.yaml")])
            }
            return try importCSV(String(decoding: data, as: UTF8.self), file: file, mapping: mapping)
        }
    }

    /// Imports a JSON document in the format of `docs/import-format.md`.
    public func importJSON(_ data: Data, file: String = "import.json") throws -> ImportSummary {
        let document: ImportDocument
        do {
            document = try ImportDocument.decode(data)
        } catch let error as DecodingError {
            throw ImportError(.malformed, issues: [Self.issue(for: error, file: file)], underlying: error)
        } catch {
            throw ImportError(.malformed, issues: [.init(file: file, message: "not valid JSON: \(error)")], underlying: error)
        }
        return try importDocument(document, file: file)
    }

    /// Imports CSV text through a column mapping.
    public func importCSV(_ text: String, file: String = "import.csv", mapping: CSVMapping) throws -> ImportSummary {
        try mapping.validate(file: file)
        let records: [CSVReader.Record]
        do {
            records = try CSVReader().records(text)
        } catch {
            throw ImportError(.malformed, issues: [.init(file: file, line: error.line, message: error.message)], underlying: error)
        }
        var builder = CSVDocumentBuilder(mapping: mapping, file: file)
        return try importDocument(try builder.build(records), file: file)
    }

    /// Writes a document in one transaction.
    public func importDocument(_ document: ImportDocument, file: String = "import") throws -> ImportSummary {
        let now = store.now()
        do {
            return try store.writer.write { db in try Self.write(document, db: db, file: file, now: now) }
        } catch let error as ImportError {
            throw error
        } catch let error as StoreError {
            throw ImportError(.invalidRows, issues: [.init(file: file, message: error.message)], underlying: error)
        } catch let error as DatabaseError {
            throw StoreError(.cannotOpen, "importing \(file) failed in the database: \(error.message ?? "\(error)")", underlying: error)
        }
    }

    // swiftlint:disable:next function_body_length
    static func write(_ document: ImportDocument, db: Database, file: String, now: Date) throws -> ImportSummary {
        var summary = ImportSummary()
        func invalid(_ path: String, _ message: String) -> ImportError {
            ImportError(.invalidRows, issues: [.init(file: file, field: path, message: message)])
        }
        var userIDs: [String: String] = [:]  // id and lowercased email → id
        for (index, entry) in document.users.enumerated() {
            let email = entry.email.trimmingCharacters(in: .whitespaces)
            guard email.contains("@") else { throw invalid("users[\(index)].email", "'\(email)' is not an email address") }
            let local = String(email.split(separator: "@")[0])
            let id = entry.id ?? Slug.make(local)
            guard !id.isEmpty else { throw invalid("users[\(index)].id", "the user needs an id") }
            let user = User(id: id, name: entry.name ?? CSVDocumentBuilder.personName(fromLocalPart: local), email: email, team: entry.team)
            do {
                summary.users.add(try ClientRecords.upsertUser(db, user))
            } catch let error as StoreError {
                throw invalid("users[\(index)]", error.message)
            }
            userIDs[id] = id
            userIDs[email.lowercased()] = id
        }
        for (index, entry) in document.clients.enumerated() {
            let path = "clients[\(index)]"
            let id = entry.id.map { Slug.make($0) } ?? Slug.make(entry.name)
            guard !id.isEmpty, !entry.name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw invalid("\(path).name", "a client needs a name with letters or digits (and an optional id)")
            }
            var ownerID: String?
            if let owner = entry.owner {
                ownerID = userIDs[owner] ?? userIDs[owner.lowercased()]
                if ownerID == nil {
                    ownerID = try String.fetchOne(
                        db, sql: "SELECT id FROM users WHERE id = ? OR email = ?", arguments: [owner, owner])
                }
                guard ownerID != nil else {
                    throw invalid("\(path).owner", "'\(owner)' is not a user id or email; add the user to `users`")
                }
            }
            let existing = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM clients WHERE external_id = ? OR id = ? ORDER BY external_id = ? DESC LIMIT 1"),
                arguments: [entry.externalID, id, entry.externalID]
            ).map(ClientRecords.client)
            let client = Client(
                id: existing?.id ?? id, name: entry.name, externalID: entry.externalID ?? existing?.externalID,
                industry: entry.industry ?? existing?.industry, tier: entry.tier ?? existing?.tier ?? .standard,
                monthlyBudget: entry.monthlyBudget ?? existing?.monthlyBudget,
                currency: entry.currency ?? existing?.currency ?? "USD", ownerID: ownerID ?? existing?.ownerID,
                domain: entry.domain ?? existing?.domain,
                consentAIAnalysis: entry.consentAIAnalysis ?? existing?.consentAIAnalysis ?? true,
                consentTraining: entry.consentTraining ?? existing?.consentTraining ?? false,
                lifecycle: entry.lifecycle ?? existing?.lifecycle ?? .active,
                leadStatus: entry.leadStatus ?? existing?.leadStatus ?? .won,
                createdAt: existing?.createdAt ?? entry.createdAt ?? now, updatedAt: now)
            let (clientID, outcome) = try ClientRecords.upsertClient(db, client)
            summary.clients.add(outcome)

            var contactIDs: [String: Int64] = [:]  // file id and lowercased email → row id
            for (contactIndex, contact) in (entry.contacts ?? []).enumerated() {
                guard !contact.name.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw invalid("\(path).contacts[\(contactIndex)].name", "a contact needs a name")
                }
                let (rowID, outcome) = try ClientRecords.upsertContact(
                    db,
                    Contact(
                        clientID: clientID, externalID: contact.id, name: contact.name, email: contact.email,
                        phone: contact.phone, title: contact.title, role: contact.role ?? .user))
                summary.contacts.add(outcome)
                if let id = contact.id { contactIDs[id] = rowID }
                if let email = contact.email?.lowercased() { contactIDs[email] = rowID }
            }
            for (activityIndex, activity) in (entry.activities ?? []).enumerated() {
                var contactID: Int64?
                if let reference = activity.contact {
                    contactID = contactIDs[reference] ?? contactIDs[reference.lowercased()]
                    if contactID == nil {
                        contactID = try Int64.fetchOne(
                            db, sql: "SELECT id FROM contacts WHERE client_id = ? AND (external_id = ? OR email = ?)",
                            arguments: [clientID, reference, reference])
                    }
                    guard contactID != nil else {
                        throw invalid(
                            "\(path).activities[\(activityIndex)].contact",
                            "'\(reference)' is not the id or email of a contact of client '\(clientID)'")
                    }
                }
                let externalID = activity.id ?? "derived:" + Slug.stableHash([
                    clientID, ImportDate.dateTime(activity.occurredAt), activity.kind.rawValue, activity.subject ?? "",
                    activity.body ?? "",
                ])
                summary.activities.add(
                    try ClientRecords.upsertActivity(
                        db,
                        Activity(
                            clientID: clientID, contactID: contactID, externalID: externalID, kind: activity.kind,
                            direction: activity.direction ?? (activity.kind == .note ? .internal : .outbound),
                            occurredAt: activity.occurredAt, subject: activity.subject, body: activity.body,
                            sentiment: activity.sentiment.map { min(max($0, -1), 1) })
                    ).outcome)
            }
            for (dealIndex, deal) in (entry.deals ?? []).enumerated() {
                let history = (deal.stageHistory ?? []).map { DealStageChange(stage: $0.stage, enteredAt: $0.enteredAt) }
                    .sorted { $0.enteredAt < $1.enteredAt }
                guard let entered = deal.stageEnteredAt ?? history.last(where: { $0.stage == deal.stage })?.enteredAt else {
                    throw invalid(
                        "\(path).deals[\(dealIndex)].stage_entered_at",
                        "missing: give stage_entered_at or a stage_history entry for stage '\(deal.stage.rawValue)'")
                }
                summary.deals.add(
                    try ClientRecords.upsertDeal(
                        db,
                        Deal(
                            clientID: clientID, externalID: deal.id, name: deal.name, stage: deal.stage, amount: deal.amount,
                            currency: deal.currency ?? client.currency, closeDate: deal.closeDate,
                            probability: min(max(deal.probability ?? 0.5, 0), 1), stageEnteredAt: entered, history: history)
                    ).outcome)
            }
            for task in entry.tasks ?? [] {
                summary.tasks.add(
                    try ClientRecords.upsertTask(
                        db,
                        ClientTask(
                            clientID: clientID, externalID: task.id, title: task.title, due: task.due,
                            status: task.status ?? .open, priority: task.priority ?? .medium,
                            assignee: task.assignee ?? client.ownerID)
                    ).outcome)
            }
            for order in entry.orders ?? [] {
                let externalID = order.id ?? "derived:" + Slug.stableHash([
                    clientID, order.product, ImportDate.dateTime(order.orderedAt), String(order.amount),
                ])
                summary.orders.add(
                    try ClientRecords.upsertOrder(
                        db,
                        Order(
                            clientID: clientID, externalID: externalID, product: order.product,
                            quantity: order.quantity ?? 1, amount: order.amount,
                            currency: order.currency ?? client.currency, orderedAt: order.orderedAt,
                            status: order.status ?? "fulfilled")
                    ).outcome)
            }
            for (memoryIndex, memory) in (entry.memory ?? []).enumerated() {
                let key = Slug.make(memory.key ?? Slug.memoryKey(from: memory.value))
                guard !key.isEmpty, !memory.value.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw invalid("\(path).memory[\(memoryIndex)]", "a memory item needs a value (and a key with letters or digits)")
                }
                summary.memory.add(
                    try ClientRecords.upsertMemory(
                        db,
                        MemoryItem(
                            clientID: clientID, kind: memory.kind ?? .fact, key: key, value: memory.value,
                            source: memory.source ?? "import:\(file)",
                            confidence: min(max(memory.confidence ?? 1, 0), 1), updatedAt: now)
                    ).outcome)
            }
        }
        return summary
    }

    /// `file: clients[3].deals[0].stage: ...` for a decoding error.
    static func issue(for error: DecodingError, file: String) -> ImportError.Issue {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "(document)" : text
        }
        switch error {
        case .typeMismatch(let type, let context):
            return .init(file: file, field: path(context.codingPath), message: "expected \(type): \(context.debugDescription)")
        case .valueNotFound(_, let context):
            return .init(file: file, field: path(context.codingPath), message: "missing value: \(context.debugDescription)")
        case .keyNotFound(let key, let context):
            return .init(
                file: file, field: path(context.codingPath + [key]),
                message: "required key '\(key.stringValue)' is missing (see docs/import-format.md)")
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return .init(file: file, field: path(context.codingPath), message: context.debugDescription + underlying)
        @unknown default:
            return .init(file: file, message: "\(error)")
        }
    }
}
