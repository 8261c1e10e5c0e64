import Foundation
import KAMCore

/// Writes the entries of an import, one record at a time, inside the caller's transaction.
///
/// The JSON path hands it a whole `ImportDocument`; the CSV path hands it each row's entries as it
/// reads the file a second time. Both get the same checks, defaults and matching by external id, so
/// every source still goes through one write path, whichever store `sink` writes into (`ImportSink`: SQLite or
/// PostgreSQL).
struct ImportWriter {
    let sink: any ImportSink
    let file: String
    let now: Date
    /// The source of every memory item the import writes: always the file, whatever its `source` says.
    private let memorySource: String
    /// The CSV line being written, for messages; nil for JSON (whose messages carry a path).
    var line: Int?
    /// Whether each created client, contact, activity, task and memory item gets its event as it is written; false when
    /// the caller announces them otherwise before its commit (`ImportedClientEvents`: a CSV import's one event a client).
    let announcesCreations: Bool
    /// User id and lowercased email → user id, for `owner` and `assignee` references.
    private var userIDs: [String: String] = [:]

    init(sink: any ImportSink, file: String, now: Date, announcesCreations: Bool = true) {
        self.sink = sink
        self.file = file
        self.now = now
        self.announcesCreations = announcesCreations
        memorySource = "import:\(file)"
    }

    /// Whether `text` holds more than spaces and tabs (what trimming `.whitespaces` leaves), checked
    /// scalar by scalar: Foundation's trimming bridges to NSString, slow for every record of an import.
    static func hasText(_ text: String) -> Bool {
        // ASCII first, byte by byte: the only space separator in ASCII is the space itself, and a general category
        // is a table look-up, paid for every name and value of an import.
        for byte in text.utf8 {
            guard byte < 0x80 else { break }
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") { return true }
        }
        return text.unicodeScalars.contains { $0 != "\t" && $0.properties.generalCategory != .spaceSeparator }
    }

    func invalid(_ path: String?, _ message: String) -> ImportError {
        ImportError(.invalidRows, issues: [.init(file: file, line: line, field: path, message: message)])
    }

    mutating func user(_ entry: ImportDocument.UserEntry, path: String) throws -> UpsertOutcome {
        let email = entry.email.trimmingCharacters(in: .whitespaces)
        guard email.contains("@") else { throw invalid("\(path).email", "'\(email)' is not an email address") }
        let local = String(email.split(separator: "@")[0])
        let id = entry.resolvedID
        guard !id.isEmpty else { throw invalid("\(path).id", "the user needs an id") }
        let user = User(
            id: id, name: entry.name ?? CSVRowReader.personName(fromLocalPart: local), email: email, team: entry.team)
        let outcome: UpsertOutcome
        do {
            outcome = try sink.upsertUser(user)
        } catch let error as StoreError {
            throw invalid(path, error.message)
        }
        userIDs[id] = id
        userIDs[email.lowercased()] = id
        return outcome
    }

    /// Upserts a client, matched by external id, else by id; unset fields keep their stored values.
    ///
    /// - Parameters:
    ///   - isNew: the caller knows that no stored client has the entry's id or external id,
    ///     so the lookup is skipped.
    ///   - announcingLeadMove: false when the client was created earlier in this import (the CSV path writes
    ///     a client at its first and last rows): its lead status is then news of `client.created`, not a move.
    func client(
        _ entry: ImportDocument.ClientEntry, path: @autoclosure () -> String, isNew: Bool = false, announcingLeadMove: Bool = true
    ) throws -> (client: Client, outcome: UpsertOutcome) {
        var (client, stored) = try clientRecord(entry, path: path, lookUp: !isNew)
        guard stored else {
            // Checked just above: no client has this id or external id, and the owner is a user.
            try sink.insertClient(client, at: now, announcing: announcesCreations)
            return (client, .created)
        }
        let (clientID, outcome) = try sink.upsertClient(
            client, at: now, announcingLeadMove: announcingLeadMove, announcingCreation: announcesCreations)
        client.id = clientID
        return (client, outcome)
    }

    /// The client `entry` makes when the caller knows that no stored client has its id or external id: checked, its
    /// owner a user, to be inserted with others (`insertClients`).
    func newClient(_ entry: ImportDocument.ClientEntry, path: @autoclosure () -> String) throws -> Client {
        try clientRecord(entry, path: path, lookUp: false).client
    }

    /// Clients `newClient` made, inserted together (`ImportSink.insertClients`).
    func insertClients(_ clients: [Client]) throws {
        try sink.insertClients(clients, at: now, announcing: announcesCreations)
    }

    /// The client `entry` makes, checked, over the stored one it matches when `lookUp` (its unset fields keep the stored
    /// values), and whether there is one.
    private func clientRecord(_ entry: ImportDocument.ClientEntry, path: () -> String, lookUp: Bool) throws -> (client: Client, stored: Bool) {
        let id = entry.resolvedID
        guard !id.isEmpty, Self.hasText(entry.name) else {
            throw invalid("\(path()).name", "a client needs a name with letters or digits (and an optional id)")
        }
        var ownerID: String?
        if let owner = entry.owner {
            ownerID = userIDs[owner] ?? userIDs[owner.lowercased()]
            if ownerID == nil { ownerID = try sink.userID(idOrEmail: owner) }
            guard ownerID != nil else {
                throw invalid("\(path()).owner", "'\(owner)' is not a user id or email; add the user to `users`")
            }
        }
        // Most imported clients are new: a bare existence check first, the stored client read only when there is one.
        let stored = try lookUp && sink.hasClient(externalID: entry.externalID, id: id)
        let existing = try stored ? sink.client(externalID: entry.externalID, id: id) : nil
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
            renewalDate: entry.renewalDate ?? existing?.renewalDate,
            createdAt: existing?.createdAt ?? entry.createdAt ?? now, updatedAt: now)
        return (client, stored)
    }

    func contact(_ entry: ImportDocument.ContactEntry, clientID: String, path: @autoclosure () -> String) throws -> (id: Int64, outcome: UpsertOutcome) {
        try contact(contactRecord(entry, clientID: clientID, path: path()))
    }

    /// Writes a contact `contactRecord` made: its row id and outcome.
    func contact(_ record: Contact) throws -> (id: Int64, outcome: UpsertOutcome) {
        try sink.upsertContact(record, at: now, announcingCreation: announcesCreations)
    }

    /// Contacts `contactRecord` made, written together (`ImportSink.upsertContacts`): their row ids and outcomes, in order.
    func contacts(_ records: [Contact]) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try sink.upsertContacts(records, at: now, announcingCreation: announcesCreations)
    }

    /// The contact `entry` stores for client `clientID`, checked.
    func contactRecord(_ entry: ImportDocument.ContactEntry, clientID: String, path: @autoclosure () -> String) throws -> Contact {
        guard Self.hasText(entry.name) else {
            throw invalid("\(path()).name", "a contact needs a name")
        }
        return Contact(
            clientID: clientID, externalID: entry.id, name: entry.name, email: entry.email, phone: entry.phone,
            title: entry.title, role: entry.role ?? .user)
    }

    /// The row id of the contact an activity names: its id in the file or its email, among the
    /// contacts just written (`known`) or already stored for the client.
    func contactID(_ reference: String, clientID: String, known: [String: Int64], path: String) throws -> Int64 {
        if let id = known[reference] ?? known[reference.lowercased()] { return id }
        guard let stored = try sink.contactID(clientID: clientID, idOrEmail: reference) else {
            throw invalid(path, "'\(reference)' is not the id or email of a contact of client '\(clientID)'")
        }
        return stored
    }

    /// The activity `entry` stores for client `clientID`.
    func activityRecord(_ entry: ImportDocument.ActivityEntry, clientID: String, contactID: Int64?) -> Activity {
        Activity(
            clientID: clientID, contactID: contactID, externalID: entry.externalID(clientID: clientID), kind: entry.kind,
            direction: entry.direction ?? (entry.kind == .note ? .internal : .outbound),
            occurredAt: entry.occurredAt, subject: entry.subject, body: entry.body, sentiment: entry.sentiment)
    }

    /// Activities written together (`ImportSink.upsertActivities`: one client's of a document, a CSV file's batch): their
    /// outcomes, in order.
    func activities(_ records: [Activity]) throws -> [UpsertOutcome] {
        try sink.upsertActivities(records, at: now, announcingCreation: announcesCreations).map(\.outcome)
    }

    func deal(_ entry: ImportDocument.DealEntry, client: Client, path: String) throws -> UpsertOutcome {
        let history = (entry.stageHistory ?? []).map { DealStageChange(stage: $0.stage, enteredAt: $0.enteredAt) }
            .sorted { $0.enteredAt < $1.enteredAt }
        guard let entered = entry.stageEnteredAt ?? history.last(where: { $0.stage == entry.stage })?.enteredAt else {
            throw invalid(
                "\(path).stage_entered_at",
                "missing: give stage_entered_at or a stage_history entry for stage '\(entry.stage.rawValue)'")
        }
        return try sink.upsertDeal(
            Deal(
                clientID: client.id, externalID: entry.id, name: entry.name, stage: entry.stage, amount: entry.amount,
                currency: entry.currency ?? client.currency, closeDate: entry.closeDate,
                probability: entry.probability ?? 0.5, stageEnteredAt: entered, history: history), at: now
        ).outcome
    }

    func task(_ entry: ImportDocument.TaskEntry, clientID: String, defaultAssignee: String?) throws -> UpsertOutcome {
        try sink.upsertTask(taskRecord(entry, clientID: clientID, defaultAssignee: defaultAssignee), at: now, announcingCreation: announcesCreations)
            .outcome
    }

    /// Tasks `taskRecord` made, written together (`ImportSink.upsertTasks`): their outcomes, in order.
    func tasks(_ records: [ClientTask]) throws -> [UpsertOutcome] {
        try sink.upsertTasks(records, at: now, announcingCreation: announcesCreations).map(\.outcome)
    }

    /// The task `entry` stores for client `clientID`.
    func taskRecord(_ entry: ImportDocument.TaskEntry, clientID: String, defaultAssignee: String?) -> ClientTask {
        ClientTask(
            clientID: clientID, externalID: entry.id, title: entry.title, due: entry.due, status: entry.status ?? .open,
            priority: entry.priority ?? .medium, assignee: entry.assignee ?? defaultAssignee)
    }

    func order(_ entry: ImportDocument.OrderEntry, client: Client) throws -> UpsertOutcome {
        let externalID = entry.externalID(clientID: client.id)
        return try sink.upsertOrder(
            Order(
                clientID: client.id, externalID: externalID, product: entry.product,
                quantity: entry.quantity ?? 1, amount: entry.amount,
                currency: entry.currency ?? client.currency, orderedAt: entry.orderedAt,
                status: entry.status ?? "fulfilled"), at: now
        ).outcome
    }

    func memory(_ entry: ImportDocument.MemoryEntry, clientID: String, path: @autoclosure () -> String) throws -> UpsertOutcome {
        try sink.upsertMemory(memoryRecord(entry, clientID: clientID, path: path()), announcingCreation: announcesCreations).outcome
    }

    /// Memory items `memoryRecord` made, written together (`ImportSink.upsertMemories`): their outcomes, in order.
    func memories(_ records: [MemoryItem]) throws -> [UpsertOutcome] {
        try sink.upsertMemories(records, announcingCreation: announcesCreations).map(\.outcome)
    }

    /// The memory item `entry` stores for client `clientID`, checked.
    func memoryRecord(_ entry: ImportDocument.MemoryEntry, clientID: String, path: @autoclosure () -> String) throws -> MemoryItem {
        let key = entry.resolvedKey
        guard !key.isEmpty, Self.hasText(entry.value) else {
            throw invalid(path(), "a memory item needs a value (and a key with letters or digits)")
        }
        return MemoryItem(
            clientID: clientID, kind: entry.kind ?? .fact, key: key, value: entry.value,
            // Always the file, whatever its `source` says: an import can never pass for the team
            // (`user`, trusted and unfenced in prompts); docs/import-format.md says so.
            source: memorySource,
            confidence: entry.confidence ?? 1, updatedAt: now)
    }
}
