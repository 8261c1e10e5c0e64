import Foundation
import KAMCore

/// The second pass of a CSV import, inside the write transaction: reads the file again (on a second
/// thread, `CSVRowPipe`) and writes each row's contact, activities and task as it comes, appending in
/// place, so the work is linear in the rows whatever their spread over clients.
///
/// A client's own fields (the furthest lead status, the owner, joined `memory.*` cells, the latest
/// contact date) gather over its rows: the client is written at its first row (so its rows can
/// refer to it) and again, complete, with its memory, at its last row (known from the first pass).
/// Only clients whose rows are still to come are held in memory.
///
/// The records wait in `pending` to be written a few hundred at a time (`CSVPendingRecords`): a client new to a store
/// that held none (held at its first row, replaced by its complete self at its last while still held), a row's
/// contact with an id, activities and task, a client's memory and its `client.imported`. What a later row looks up in
/// the store is written at once, after the held records: a client matched among the stored ones, a contact without an
/// id (matched by email or name).
struct CSVImportWriter {
    private let plan: CSVImportPlan
    private let reader: CSVRowReader
    /// Whether each client's id in the store is chosen (at its first row): its file id, unless `storeIDOf` says otherwise.
    /// A flag a client rather than a `String?` (16 bytes) each: a file with a company a row has as many clients as rows.
    private var placed: [Bool]
    /// Store ids taken by a client of the file other than the one whose file id they are, both ways.
    private var movedIDs: [String: Int] = [:]
    private var storeIDOf: [Int: String] = [:]
    private var writer: ImportWriter
    private var summary = ImportSummary()
    /// Each client's `client.imported`, appended once its last row's records are written.
    private var events: ImportedClientEvents
    /// Client index → what its rows so far say, until its last row.
    private var open: [Int: Aggregate] = [:]
    /// Records waiting to be written together.
    private var pending: CSVPendingRecords
    /// The row ids of the contacts the last batch wrote, in its order: a row whose contact it held finds it there.
    private var writtenContacts: [Int64] = []
    /// Client index → what this import created for it so far, until its `client.imported` is appended; `created`: the
    /// client itself (its lead status then moves from nothing, not from the first write's).
    private var tallies: [Int: ImportedClientEvents.Tally] = [:]
    /// Hashes of (client, email) of contacts without an id already counted in the summary: a person on several
    /// rows is one contact. (The plan knows which rows repeat a contact id: `CSVImportPlan.repeatsContact`.)
    private var countedContacts: Set<Int> = []
    private var ordinal = 0
    /// Domains of the file whose clients took another id than an older kam gave them, by that id: the clients
    /// `reportMergedClients` looks up (few: found as each client is placed, not by going over every client at the end).
    private var domainsByLegacyID: [String: [String]] = [:]
    /// Whether the store held any client when the transaction began. When it held none, the only
    /// stored clients are the ones this pass wrote, whose ids `holder(of:)` knows: a client's
    /// first row needs no lookup of its id.
    private var storeHadClients = true

    private struct Aggregate {
        var entry: ImportDocument.ClientEntry
        /// The client as last written.
        var client: Client
        var memory: [MemoryCell] = []
        var lastContact: Date?
        var rows = 0
    }

    /// The values of one `memory.KEY` / `preference.KEY` column over a client's rows, joined with `; `.
    private struct MemoryCell {
        var key: String
        var kind: MemoryKind
        var values: [String]
        /// Built once a cell holds many values, so that joining stays linear.
        var seen: Set<String>?

        mutating func add(_ value: String) {
            if let known = seen {
                guard !known.contains(value) else { return }
                seen!.insert(value)
            } else {
                guard !values.contains(value) else { return }
                if values.count >= 32 { seen = Set(values + [value]) }
            }
            values.append(value)
        }
    }

    /// Writes the file planned by `plan` (read again from `source`) into `sink`, with each client's `client.imported`
    /// (`events`); returns what it wrote, and `events` for the caller's `import.completed`.
    ///
    /// - Throws: `ImportError` `.unreadable` when the file no longer holds the bytes the plan was made from (it
    ///   changed in between: the caller's transaction then stores nothing of it).
    static func write(
        source: CSVSource, plan: CSVImportPlan, reader: CSVRowReader, sink: any ImportSink, now: Date,
        events: ImportedClientEvents, batchCapacity: Int = CSVPendingRecords.defaultCapacity
    ) throws -> (summary: ImportSummary, events: ImportedClientEvents) {
        // One event a client is appended before the commit instead of one a created record (`ImportedClientEvents`).
        var pass = CSVImportWriter(
            plan: plan, reader: reader, writer: ImportWriter(sink: sink, file: plan.file, now: now, announcesCreations: false),
            events: events, batchCapacity: batchCapacity)
        pass.storeHadClients = try sink.hasClients()
        for user in plan.users {
            pass.summary.users.add(try pass.writer.user(user, path: "\(reader.column(.ownerEmail)) \(user.email)"))
        }
        let pipe = CSVRowPipe(source: source, file: plan.file, reader: reader) { row in row.ids = Self.ids(of: row, plan: plan) }
        var rowReader = reader
        do {
            while let batch = pipe.take() {
                // Each item read in place, and the batch handed back for the reading thread to free (`CSVRowPipe.recycle`).
                for index in batch.indices {
                    switch batch[index] {
                    case .row(let row):
                        try pass.write(row)
                    case .record(let record):
                        // Only a first pass's pipe leaves records to read; read here all the same, never skipped.
                        var issues = ImportIssues()
                        guard let row = rowReader.read(record, issues: &issues) else {
                            throw ImportError(.invalidRows, issues: issues.kept, issueCount: issues.count)
                        }
                        try pass.write(row)
                    case .invalid(let issues):
                        // The first pass read the same bytes and found them good.
                        throw ImportError(.invalidRows, issues: issues.kept, issueCount: issues.count)
                    case .malformed(let error):
                        throw ImportError(
                            .malformed, issues: [.init(file: plan.file, line: error.line, message: error.message)], underlying: error)
                    case .refused(let error):
                        throw error
                    case .header, .headerRefused:
                        continue  // only a first pass's pipe reads the header
                    }
                }
                pipe.recycle(batch)
            }
            try pass.flush()
        } catch {
            pipe.cancel()
            throw error
        }
        guard pipe.digest == plan.digest else { throw changed(plan.file) }
        try pass.reportMergedClients()
        return (pass.summary, pass.events)
    }

    /// The file read in the second pass is not the one the first pass checked.
    private static func changed(_ file: String) -> ImportError {
        ImportError(
            .unreadable,
            issues: [.init(file: file, message: "the file changed while it was being imported; nothing was stored: import it again once it is written")])
    }

    private init(plan: CSVImportPlan, reader: CSVRowReader, writer: ImportWriter, events: ImportedClientEvents, batchCapacity: Int) {
        pending = CSVPendingRecords(capacity: batchCapacity)
        self.plan = plan
        self.reader = reader
        self.writer = writer
        self.events = events
        placed = Array(repeating: false, count: plan.clients.count)
    }

    /// Client `index`'s id in the store; nil before its first row.
    private func storeID(of index: Int) -> String? {
        guard placed[index] else { return nil }
        return storeIDOf[index] ?? plan.clients[index].fileID
    }

    /// The client of the file that holds `id`: the one whose store id it became, else whose file id it is.
    private func holder(of id: String) -> Int? { movedIDs[id] ?? plan.holder(ofFileID: id) }

    /// What a row's records are called, made from the row and the plan alone: the reading thread of
    /// `CSVRowPipe` makes them while the writer inserts the rows before.
    struct RowIDs {
        /// The index of the client the row is written to.
        var client: Int
        /// The key of the row's own records: the contact's id, else its email, else the row itself.
        var rowKey: String
        var activityID: String?
        var notes: [(id: String, kind: ActivityKind)] = []
        /// The task's title and id; nil when the task is named after the client (no title, no contact name).
        var task: (title: String, id: String)?
        /// Hash of (client, email) of a contact without an id: a person on several rows is counted once.
        var contact: Int?
        /// For the first row of a company found from its domain: its name, unless the store has one.
        var companyName: String?
        /// For the first row of a company found from its domain: the id an older kam gave it
        /// (`CompanyDomains.legacyName(ofHost:)`), for `reportMergedClients`.
        var legacyID: String?
    }

    /// nil for a row of a client the first pass did not see (the file changed in between).
    static func ids(of row: CSVRow, plan: CSVImportPlan) -> RowIDs? {
        guard let index = plan.clientIndex(of: row) else { return nil }
        let mapping = plan.mapping.name
        let fileID = plan.clients[index].fileID
        let contactID = row.contactName != nil ? row.contactExternalID : nil
        let rowKey = contactID ?? "\(mapping):\(row.contactName != nil ? row.email ?? "\(fileID):\(row.line)" : "\(fileID):\(row.line)")"
        var ids = RowIDs(client: index, rowKey: rowKey)
        if let activity = row.activity {
            let kind = activity.kind ?? .note
            ids.activityID = activity.externalID ?? "\(mapping):\(Slug.stableHash([fileID, ImportDate.dateTime(activity.occurredAt), kind.rawValue, activity.subject ?? "", activity.body ?? ""]))"
        }
        var seen: [String: Int] = [:]
        for note in row.notes {
            let base = "\(rowKey):\(ImportDate.day(note.date)):\(Slug.make(note.text, maxLength: 40))"
            seen[base, default: 0] += 1
            ids.notes.append((seen[base]! > 1 ? "\(base):\(seen[base]!)" : base, CSVRowReader.activityKind(ofNote: note.text)))
        }
        if row.hasTask, let title = row.taskTitle ?? row.contactName.map({ "Follow up with \($0)" }) {
            ids.task = (title, taskID(rowKey: rowKey, title: title))
        }
        if row.contactName != nil, row.contactExternalID == nil, let email = row.email {
            var hasher = Hasher()
            hasher.combine(index)
            hasher.combine(email)
            ids.contact = hasher.finalize()
        }
        if plan.clients[index].firstLine == row.line, plan.clients[index].isDomain, case .domain(let domain) = plan.key(of: index) {
            ids.companyName = CompanyDomains.companyName(ofRegistrableDomain: domain)
            ids.legacyID = Slug.make(CompanyDomains.legacyName(ofHost: domain))
        }
        return ids
    }

    private static func taskID(rowKey: String, title: String) -> String { "\(rowKey):task:\(Slug.make(title, maxLength: 40))" }

    private mutating func write(_ row: CSVRow) throws {
        let ordinal = self.ordinal
        self.ordinal += 1
        writer.line = row.line
        guard let ids = row.ids ?? Self.ids(of: row, plan: plan) else { throw Self.changed(plan.file) }
        let index = ids.client
        do {
            // Taken out while the row is written, so its arrays grow in place.
            var aggregate = try open.removeValue(forKey: index)
                ?? start(index, row, ids: ids, more: ordinal != plan.clients[index].lastRow)
            try writeRow(row, ids: ids, aggregate: &aggregate)
            if ordinal == plan.clients[index].lastRow {
                try finish(aggregate, index, line: row.line)
            } else {
                open[index] = aggregate
            }
        } catch let error as StoreError {
            throw writer.invalid(nil, error.message)
        }
    }

    /// The client of a row seen for the first time: its id in the store chosen, and a first version written.
    /// When `more` rows of it follow, that version keeps a stored client's lead status and lifecycle (the last row
    /// writes the furthest one), so a re-import moves no lead back and forth.
    private mutating func start(_ index: Int, _ row: CSVRow, ids: RowIDs, more: Bool) throws -> Aggregate {
        let planned = plan.clients[index]
        var id = planned.fileID
        var name = row.clientName ?? planned.fileID
        // A company found from its domain is never joined to another, so its key is this row's own (no copy out of the plan).
        var companyDomain: String?
        if planned.isDomain, case .domain(let domain) = row.client { companyDomain = domain }
        if let domain = companyDomain {
            let (storeID, storedName) = try storeID(for: domain, index: index)
            id = storeID
            name = storedName ?? ids.companyName ?? CompanyDomains.companyName(ofRegistrableDomain: domain)
            let legacy = ids.legacyID ?? Slug.make(CompanyDomains.legacyName(ofHost: domain))
            if !legacy.isEmpty, legacy != id { domainsByLegacyID[legacy, default: []].append(domain) }
        }
        placed[index] = true
        if id != planned.fileID {
            movedIDs[id] = index
            storeIDOf[index] = id
        }
        var entry = ImportDocument.ClientEntry(id: id, name: name, domain: companyDomain ?? plan.domain(of: index))
        Self.fold(row, into: &entry)
        // Without stored clients at the start, no stored client has this id (chosen free among the
        // ones this pass wrote); an external id may still be shared with a client written before.
        let isNew = !storeHadClients && entry.externalID == nil
        var first = entry
        if more { (first.leadStatus, first.lifecycle) = (nil, nil) }
        let client: Client
        let outcome: UpsertOutcome
        if isNew {
            // Inserted with the batch it is held in, before the records that refer to it.
            (client, outcome) = (try writer.newClient(first, path: reader.column(.clientName)), .created)
            if pending.mustWrite(before: client) { try flush() }
            pending.hold(client, line: row.line)
        } else {
            // Matched among the stored clients: after the held ones are stored.
            if pending.holdsClients { try flush() }
            (client, outcome) = try writer.client(first, path: reader.column(.clientName))
        }
        summary.clients.add(outcome)
        tallies[index] = .init(created: outcome == .created)
        return Aggregate(entry: entry, client: client)
    }

    /// The id a domain's client takes in the store: the client of the same company under one of
    /// its usual ids (`alpha`, `alpha-co-uk`) when the store has one, else the first candidate that
    /// is free there (or held by a client with no domain recorded); never a client of another domain.
    private func storeID(for domain: String, index: Int) throws -> (id: String, name: String?) {
        let sink = writer.sink
        let fileID = plan.clients[index].fileID
        func freeInFile(_ id: String) -> Bool { holder(of: id).map { $0 == index } ?? true }
        if !storeHadClients {
            // Every stored client was written by this pass under an id the plan gives another client
            // of the file, so none is this company's, and an id free in the file is free in the store.
            var attempt = 0
            var candidate = fileID
            while candidate.isEmpty || !freeInFile(candidate) {
                candidate = CSVImportPlan.candidateID(for: domain, attempt: attempt)
                attempt += 1
            }
            return (candidate, nil)
        }
        let usual = [fileID, CSVImportPlan.candidateID(for: domain, attempt: 0), CSVImportPlan.candidateID(for: domain, attempt: 1)]
        let stored = try sink.clients(ids: usual, orDomain: domain)
        func sameCompany(_ storedDomain: String?) -> Bool {
            storedDomain.map { reader.domains.owner(ofHost: $0) == .company(domain) } ?? false
        }
        // The store's client of this company, unless a named client of the file or one already
        // placed holds that id.
        for id in usual {
            guard let client = stored[id], sameCompany(client.domain) else { continue }
            let taker = holder(of: id)
            if taker == nil || taker == index || (plan.clients[taker!].isDomain && storeID(of: taker!) != id) {
                return (id, client.name)
            }
        }
        var attempt = 0
        var candidate = fileID
        while true {
            if !candidate.isEmpty, freeInFile(candidate) {
                if let client = usual.contains(candidate) ? stored[candidate] : try sink.client(id: candidate) {
                    if client.domain == nil || sameCompany(client.domain) { return (candidate, client.name) }
                } else {
                    return (candidate, nil)
                }
            }
            candidate = CSVImportPlan.candidateID(for: domain, attempt: attempt)
            attempt += 1
        }
    }

    /// Gathers a row's client fields, as the CRM's several rows of one company say them.
    private static func fold(_ row: CSVRow, into entry: inout ImportDocument.ClientEntry) {
        entry.externalID = entry.externalID ?? row.externalID
        entry.industry = row.industry ?? entry.industry
        entry.tier = row.tier ?? entry.tier
        entry.monthlyBudget = row.monthlyBudget ?? entry.monthlyBudget
        entry.currency = row.currency ?? entry.currency
        entry.renewalDate = row.renewalDate ?? entry.renewalDate
        entry.owner = entry.owner ?? row.ownerID
        entry.domain = entry.domain ?? row.companyDomain
        if let leadStatus = row.leadStatus {
            // Several people of one company: the company is as far along as its furthest lead.
            if entry.leadStatus.map({ CSVRowReader.rank(leadStatus) > CSVRowReader.rank($0) }) ?? true {
                entry.leadStatus = leadStatus
            }
            entry.lifecycle = row.lifecycle ?? {
                switch entry.leadStatus! {
                case .won: .active
                case .lost: .churned
                default: .prospect
                }
            }()
        } else {
            entry.lifecycle = row.lifecycle ?? entry.lifecycle
        }
    }

    private mutating func writeRow(_ row: CSVRow, ids: RowIDs, aggregate: inout Aggregate) throws {
        aggregate.rows += 1
        if aggregate.rows > 1 { Self.fold(row, into: &aggregate.entry) }
        for cell in row.memory {
            if let position = aggregate.memory.firstIndex(where: { $0.key == cell.key }) {
                aggregate.memory[position].add(cell.value)
            } else {
                aggregate.memory.append(MemoryCell(key: cell.key, kind: cell.kind, values: [cell.value]))
            }
        }
        if let day = row.lastContact, aggregate.lastContact.map({ day > $0 }) ?? true { aggregate.lastContact = day }

        let clientID = aggregate.client.id
        let owner = CSVPendingRecords.Owner(client: ids.client, line: row.line)
        var contact: CSVPendingRecords.ContactReference?
        if let name = row.contactName {
            let record = try writer.contactRecord(
                .init(id: row.contactExternalID, name: name, email: row.email, phone: row.phone, title: row.title, role: row.role),
                clientID: clientID, path: reader.column(.contactName))
            // A contact id is counted at its first row, an email once a client, a contact with neither on each row.
            let first = row.contactExternalID != nil ? !plan.repeatsContact(line: row.line) : ids.contact.map { countedContacts.insert($0).inserted } ?? true
            if record.externalID != nil {
                if let held = pending.add(record, owner, counts: first) {
                    contact = held
                } else {
                    try flush()
                    contact = pending.add(record, owner, counts: first)  // an empty batch takes it
                }
            } else {
                // Matched by email or name among the client's stored contacts, after the held ones (and the client) are stored.
                if pending.holdsContact(ofClient: clientID) || pending.holdsClient(clientID) { try flush() }
                let (rowID, outcome) = try writer.contact(record)
                contact = .stored(rowID)
                if first { summary.contacts.add(outcome) }
                ImportedClientEvents.Tally.count(outcome, in: &tallies[ids.client, default: .init()].contacts)
            }
        }

        if let activity = row.activity, let id = ids.activityID {
            let kind = activity.kind ?? .note
            try hold(
                writer.activityRecord(
                    .init(
                        id: id, kind: kind, direction: activity.direction ?? (kind == .note ? .internal : .outbound),
                        occurredAt: activity.occurredAt, subject: activity.subject, body: activity.body),
                    clientID: clientID, contactID: nil), owner, contact: &contact)
        }
        for (note, named) in zip(row.notes, ids.notes) {
            try hold(
                writer.activityRecord(
                    .init(
                        id: named.id, kind: named.kind, direction: named.kind == .note ? .internal : .outbound,
                        occurredAt: note.date, subject: note.text),
                    clientID: clientID, contactID: nil), owner, contact: &contact)
        }
        if row.hasTask {
            let title = ids.task?.title ?? "Follow up with \(aggregate.entry.name)"
            try hold(
                writer.taskRecord(
                    .init(
                        id: ids.task?.id ?? Self.taskID(rowKey: ids.rowKey, title: title), title: title, due: row.taskDue,
                        status: .open, priority: row.taskPriority, assignee: row.ownerID),
                    clientID: clientID, defaultAssignee: aggregate.client.ownerID), owner)
        }
    }

    /// A client's last row: the client complete, and its memory.
    private mutating func finish(_ aggregate: Aggregate, _ index: Int, line: Int) throws {
        var client = aggregate.client
        if aggregate.rows > 1 {
            if pending.holdsClient(client.id), aggregate.entry.externalID == nil {
                // Not stored yet: held complete instead, which stores what the insert and this update would.
                client = try writer.newClient(aggregate.entry, path: reader.column(.clientName))
                pending.hold(client, line: line)
            } else {
                if pending.holdsClients { try flush() }
                client = try writer.client(
                    aggregate.entry, path: reader.column(.clientName), announcingLeadMove: !(tallies[index]?.created ?? false)
                ).client
            }
        }
        let owner = CSVPendingRecords.Owner(client: index, line: line)
        for cell in aggregate.memory {
            try hold(
                writer.memoryRecord(
                    .init(key: cell.key, kind: cell.kind, value: cell.values.count == 1 ? cell.values[0] : cell.values.joined(separator: "; ")),
                    clientID: client.id, path: "memory.\(cell.key)"), owner)
        }
        if let day = aggregate.lastContact {
            try hold(
                writer.memoryRecord(
                    .init(key: "last-contact-date", kind: .fact, value: ImportDate.day(day)), clientID: client.id,
                    path: reader.column(.clientLastContactDate)), owner)
        }
        pending.finish(client: index, id: client.id)
    }

    /// Holds `activity` of `contact`; when the held records are written first, a held contact among them is stored
    /// from then on.
    private mutating func hold(
        _ activity: Activity, _ owner: CSVPendingRecords.Owner, contact: inout CSVPendingRecords.ContactReference?
    ) throws {
        guard !pending.add(activity, owner, contact: contact) else { return }
        try flush()
        if case .held(let place) = contact { contact = .stored(writtenContacts[place]) }
        _ = pending.add(activity, owner, contact: contact)  // an empty batch takes it
    }

    private mutating func hold(_ task: ClientTask, _ owner: CSVPendingRecords.Owner) throws {
        try hold { $0.add(task, owner) }
    }

    private mutating func hold(_ item: MemoryItem, _ owner: CSVPendingRecords.Owner) throws {
        try hold { $0.add(item, owner) }
    }

    /// Holds a record by `add`; when the batch refuses it (full, or holding its key), writes the batch first and holds
    /// the record in the empty one.
    private mutating func hold(_ add: (inout CSVPendingRecords) -> Bool) throws {
        guard !add(&pending) else { return }
        try flush()
        _ = add(&pending)
    }

    /// Writes the held records together, counts their outcomes into the summary and their clients' tallies, then
    /// appends the `client.imported` of the clients finished meanwhile, in the order of their last rows.
    private mutating func flush() throws {
        guard !pending.isEmpty else { return }
        var batch = CSVPendingRecords(capacity: pending.capacity)
        swap(&batch, &pending)
        let (writer, file) = (self.writer, plan.file)
        _ = try Self.written(batch.clientLines, file) {
            try writer.insertClients(batch.clients)
            return batch.clients
        }
        let contacts = try Self.written(batch.contactOwners.map(\.line), file) { try writer.contacts(batch.contacts) }
        for ((result, owner), counts) in zip(zip(contacts, batch.contactOwners), batch.contactCounts) {
            if counts { summary.contacts.add(result.outcome) }
            ImportedClientEvents.Tally.count(result.outcome, in: &tallies[owner.client, default: .init()].contacts)
        }
        writtenContacts = contacts.map(\.id)
        batch.contactsWritten(writtenContacts)
        count(try Self.written(batch.activityOwners.map(\.line), file) { try writer.activities(batch.activities) }, batch.activityOwners, \.activities, \.activities)
        count(try Self.written(batch.taskOwners.map(\.line), file) { try writer.tasks(batch.tasks) }, batch.taskOwners, \.tasks, \.tasks)
        count(try Self.written(batch.memoryOwners.map(\.line), file) { try writer.memories(batch.memory) }, batch.memoryOwners, \.memory, \.memory)
        try events.append(writer.sink, batch.finished.map { ($0.id, tallies.removeValue(forKey: $0.client) ?? .init()) })
        batch.removeAll()
        pending = batch
    }

    /// Counts a batch's outcomes into the summary's `kind` and each record's client's tally of `tallied`.
    private mutating func count(
        _ outcomes: [UpsertOutcome], _ owners: [CSVPendingRecords.Owner], _ kind: WritableKeyPath<ImportSummary, ImportSummary.Tally>,
        _ tallied: WritableKeyPath<ImportedClientEvents.Tally, Int>
    ) {
        for (outcome, owner) in zip(outcomes, owners) {
            summary[keyPath: kind].add(outcome)
            ImportedClientEvents.Tally.count(outcome, in: &tallies[owner.client, default: .init()][keyPath: tallied])
        }
    }

    /// `write`'s results; a record the store refused named by its line.
    private static func written<Result>(_ lines: [Int], _ file: String, _ write: () throws -> [Result]) throws -> [Result] {
        guard !lines.isEmpty else { return [] }
        do {
            return try write()
        } catch let refused as ImportBatchError {
            throw ImportError(.invalidRows, issues: [.init(file: file, line: lines[refused.index], message: refused.error.message)])
        }
    }

    /// Clients an older kam made for several companies: it named a client after the last labels of
    /// the email domain, so `alpha.tech` and `bravo.tech` both became "Tech". Such a client is
    /// reported when it still shows one of this file's domains, or holds contacts at them.
    private mutating func reportMergedClients() throws {
        let sink = writer.sink
        for (legacyID, domains) in domainsByLegacyID.sorted(by: { $0.key < $1.key }) {
            guard let stored = try sink.client(id: legacyID) else { continue }
            var contactsLeft = 0
            for domain in domains {
                contactsLeft += try sink.contactCount(clientID: legacyID, emailDomain: domain)
            }
            let storedDomain = stored.domain
            let showsDomain = storedDomain.map { host in domains.contains { reader.domains.owner(ofHost: host) == .company($0) } } ?? false
            let importedNow = holder(of: legacyID).map { storeID(of: $0) == legacyID } ?? false
            if contactsLeft > 0 || (showsDomain && !importedNow) {
                summary.mergedClients.append(
                    .init(id: legacyID, name: stored.name, domains: domains.sorted(), contactsLeft: contactsLeft))
            }
        }
    }
}
