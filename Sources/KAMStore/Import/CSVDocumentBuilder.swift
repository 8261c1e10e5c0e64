import Foundation
import KAMCore

/// Turns the records of a CSV file into an `ImportDocument` through a `CSVMapping`, checking
/// every value first so that a bad row is reported with its line and column and nothing is stored.
struct CSVDocumentBuilder {
    var mapping: CSVMapping
    var file: String
    /// Issues kept in full; the rest are only counted.
    var issueLimit = 20

    private var issues: [ImportError.Issue] = []
    private var issueCount = 0
    private var users: [String: ImportDocument.UserEntry] = [:]  // by lowercased email
    private var userOrder: [String] = []
    private var clients: [String: ImportDocument.ClientEntry] = [:]
    private var clientOrder: [String] = []

    init(mapping: CSVMapping, file: String) {
        self.mapping = mapping
        self.file = file
    }

    /// The document for `records` (the first is the header).
    mutating func build(_ records: [CSVReader.Record]) throws -> ImportDocument {
        guard let header = records.first else {
            throw ImportError(.malformed, issues: [.init(file: file, message: "the file is empty: expected a header line")])
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var position: [String: Int] = [:]
        for (index, column) in columns.enumerated() where position[column] == nil { position[column] = index }
        let missing = Set(mapping.fields.values).filter { position[$0] == nil }.sorted()
        if !missing.isEmpty {
            throw ImportError(
                .invalidMapping,
                issues: missing.map {
                    .init(
                        file: file, line: header.line, field: $0,
                        message: "the mapping '\(mapping.name)' reads this column but the header has only: \(columns.joined(separator: ", "))")
                })
        }
        for record in records.dropFirst() {
            if record.fields.count != columns.count {
                report(record.line, nil, "the row has \(record.fields.count) fields but the header has \(columns.count)")
                continue
            }
            var row = Row(record: record, position: position, mapping: mapping)
            addRow(&row)
        }
        if issueCount > 0 { throw ImportError(.invalidRows, issues: issues, issueCount: issueCount) }
        return ImportDocument(
            users: userOrder.compactMap { users[$0] }, clients: clientOrder.compactMap { clients[$0] })
    }

    private mutating func report(_ line: Int, _ column: String?, _ message: String) {
        issueCount += 1
        if issues.count < issueLimit { issues.append(.init(file: file, line: line, field: column, message: message)) }
    }

    /// The mapped cells of one record.
    private struct Row {
        var record: CSVReader.Record
        var position: [String: Int]
        var mapping: CSVMapping

        /// The trimmed value of the column mapped to `target`, nil when unmapped or empty.
        func value(_ target: String) -> String? {
            guard let column = mapping.fields[target], let index = position[column] else { return nil }
            let text = record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }

        func column(_ target: String) -> String { mapping.fields[target] ?? target }
    }

    private mutating func date(_ row: Row, _ target: String) -> Date? {
        guard let text = row.value(target) else { return nil }
        guard let date = ImportDate.parse(text) else {
            report(row.record.line, row.column(target), "'\(text)' is not a date (expected YYYY-MM-DD)")
            return nil
        }
        return date
    }

    private mutating func parsed<T>(_ row: Row, _ target: String, _ expected: String, _ parse: (String) -> T?) -> T? {
        guard let text = row.value(target) else { return nil }
        guard let value = parse(text) else {
            report(row.record.line, row.column(target), "'\(text)' is not \(expected)")
            return nil
        }
        return value
    }

    private mutating func addRow(_ row: inout Row) {
        let line = row.record.line
        let before = issueCount
        let email = row.value("contact.email")?.lowercased()
        let emailDomain = email.flatMap { $0.split(separator: "@", maxSplits: 1).count == 2 ? String($0.split(separator: "@")[1]) : nil }
        if let email, emailDomain == nil || emailDomain!.isEmpty {
            report(line, row.column("contact.email"), "'\(email)' is not an email address (expected name@domain)")
        }
        let name = row.value("client.name") ?? emailDomain.map(Self.companyName(fromDomain:))
        guard let clientID = row.value("client.id").map({ Slug.make($0) }) ?? name.map({ Slug.make($0) }),
            !clientID.isEmpty, let clientName = name ?? row.value("client.id")
        else {
            report(line, nil, "no client for this row: it needs a value in \(["client.id", "client.name", "contact.email"].compactMap { mapping.fields[$0] }.joined(separator: " or "))")
            return
        }

        // Owner user.
        var ownerID = row.value("client.owner")
        if let ownerEmail = row.value("owner.email")?.lowercased() {
            guard ownerEmail.contains("@") else {
                report(line, row.column("owner.email"), "'\(ownerEmail)' is not an email address")
                return
            }
            let local = String(ownerEmail.split(separator: "@")[0])
            let user = ImportDocument.UserEntry(
                id: Slug.make(local), name: row.value("owner.name") ?? Self.personName(fromLocalPart: local),
                email: ownerEmail, team: row.value("owner.team"))
            if users[ownerEmail] == nil { userOrder.append(ownerEmail) }
            users[ownerEmail] = user
            ownerID = user.id
        }

        let leadStatus = parsed(row, "client.lead_status", "a lead status (Lead, Contacted, Qualified, Proposal, Negotiation, Won, Lost)", Self.leadStatus)
        let lifecycle = parsed(row, "client.lifecycle", "a lifecycle (\(LifecycleStatus.allCases.map(\.rawValue).joined(separator: ", ")))") {
            LifecycleStatus(rawValue: $0.lowercased())
        }
        let tier = parsed(row, "client.tier", "a tier (\(SubscriptionTier.allCases.map(\.rawValue).joined(separator: ", ")))") {
            SubscriptionTier(rawValue: $0.lowercased())
        }
        let budget = parsed(row, "client.monthly_budget", "a number") { Double($0) }
        let lastContact = date(row, "client.last_contact_date")
        let role = parsed(row, "contact.role", "a role (\(ContactRole.allCases.map(\.rawValue).joined(separator: ", ")))") {
            ContactRole(rawValue: $0.lowercased())
        }
        let activityDate = date(row, "activity.occurred_at")
        let activityKind = parsed(row, "activity.kind", "an activity kind (email, call, meeting, note, demo)") {
            ActivityKind(rawValue: $0.lowercased())
        }
        let direction = parsed(row, "activity.direction", "a direction (inbound, outbound, internal)") {
            ActivityDirection(rawValue: $0.lowercased())
        }
        let due = date(row, "task.due")
        let priority = parsed(row, "task.priority", "a priority (low, medium, high, urgent)") {
            TaskPriority(rawValue: $0.lowercased())
        }
        let notes = datedNotes(row)
        guard issueCount == before else { return }

        var client = clients[clientID] ?? ImportDocument.ClientEntry(
            id: clientID, name: clientName, externalID: row.value("client.external_id").map { "\(mapping.name):\($0)" })
        if clients[clientID] == nil { clientOrder.append(clientID) }
        client.industry = row.value("client.industry") ?? client.industry
        client.tier = tier ?? client.tier
        client.monthlyBudget = budget ?? client.monthlyBudget
        client.currency = row.value("client.currency") ?? client.currency
        client.owner = client.owner ?? ownerID
        client.domain = client.domain ?? row.value("client.domain") ?? emailDomain
        if let leadStatus {
            // Several people of one company: the company is as far along as its furthest lead.
            if client.leadStatus.map({ Self.rank(leadStatus) > Self.rank($0) }) ?? true { client.leadStatus = leadStatus }
            client.lifecycle = lifecycle ?? client.lifecycle
            if lifecycle == nil {
                client.lifecycle = switch client.leadStatus! {
                case .won: .active
                case .lost: .churned
                default: .prospect
                }
            }
        } else {
            client.lifecycle = lifecycle ?? client.lifecycle
        }

        var contact: ImportDocument.ContactEntry?
        let contactName = row.value("contact.name") ?? email.map { Self.personName(fromLocalPart: String($0.split(separator: "@")[0])) }
        if let contactName {
            let entry = ImportDocument.ContactEntry(
                id: row.value("contact.external_id").map { "\(mapping.name):\($0)" }, name: contactName, email: email,
                phone: row.value("contact.phone"), title: row.value("contact.title"), role: role)
            client.contacts = (client.contacts ?? []).filter { existing in
                !(existing.id != nil && existing.id == entry.id) && !(existing.id == nil && existing.email != nil && existing.email == entry.email)
            } + [entry]
            contact = entry
        }
        let contactRef = contact?.id ?? contact?.email
        let rowKey = contact?.id ?? "\(mapping.name):\(contact?.email ?? "\(clientID):\(line)")"

        if let activityDate {
            let kind = activityKind ?? .note
            let subject = row.value("activity.subject")
            let body = row.value("activity.body")
            client.activities = (client.activities ?? []) + [
                ImportDocument.ActivityEntry(
                    id: row.value("activity.external_id").map { "\(mapping.name):\($0)" }
                        ?? "\(mapping.name):\(Slug.stableHash([clientID, ImportDate.dateTime(activityDate), kind.rawValue, subject ?? "", body ?? ""]))",
                    kind: kind, direction: direction ?? (kind == .note ? .internal : .outbound), occurredAt: activityDate,
                    subject: subject, body: body, contact: contactRef)
            ]
        }
        var seen: [String: Int] = [:]
        for note in notes {
            let base = "\(rowKey):\(ImportDate.day(note.date)):\(Slug.make(note.text, maxLength: 40))"
            seen[base, default: 0] += 1
            let kind = Self.activityKind(ofNote: note.text)
            client.activities = (client.activities ?? []) + [
                ImportDocument.ActivityEntry(
                    id: seen[base]! > 1 ? "\(base):\(seen[base]!)" : base, kind: kind,
                    direction: kind == .note ? .internal : .outbound, occurredAt: note.date, subject: note.text,
                    contact: contactRef)
            ]
        }
        if due != nil || row.value("task.title") != nil {
            let title = row.value("task.title") ?? "Follow up with \(contactName ?? clientName)"
            client.tasks = (client.tasks ?? []) + [
                ImportDocument.TaskEntry(
                    id: "\(rowKey):task:\(Slug.make(title, maxLength: 40))", title: title, due: due,
                    status: .open, priority: priority, assignee: ownerID)
            ]
        }
        var memory = client.memory ?? []
        func remember(_ key: String, _ kind: MemoryKind, _ value: String, joining: Bool) {
            if let index = memory.firstIndex(where: { $0.key == key }) {
                guard joining else {
                    memory[index].value = value
                    return
                }
                let parts = memory[index].value.components(separatedBy: "; ")
                if !parts.contains(value) { memory[index].value = (parts + [value]).joined(separator: "; ") }
            } else {
                memory.append(.init(key: key, kind: kind, value: value, source: "import:\(file)"))
            }
        }
        for (target, _) in mapping.fields.sorted(by: { $0.key < $1.key }) {
            let parts = target.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "memory" || parts[0] == "preference", let value = row.value(target) else { continue }
            remember(Slug.make(parts[1]), parts[0] == "memory" ? .fact : .preference, value, joining: true)
        }
        if let lastContact {
            let day = ImportDate.day(lastContact)
            let current = memory.first(where: { $0.key == "last-contact-date" })?.value ?? ""
            if day > current { remember("last-contact-date", .fact, day, joining: false) }
        }
        client.memory = memory.isEmpty ? nil : memory
        clients[clientID] = client
    }

    /// The `YYYY-MM-DD: text.` entries of the `activities.dated_notes` column.
    private mutating func datedNotes(_ row: Row) -> [(date: Date, text: String)] {
        guard let text = row.value("activities.dated_notes") else { return [] }
        let characters = Array(text)
        var starts: [Int] = []  // indexes of "NNNN-NN-NN:"
        var index = 0
        while index + 11 <= characters.count {
            let candidate = characters[index..<index + 11]
            let isStamp = candidate.enumerated().allSatisfy { offset, character in
                switch offset {
                case 4, 7: character == "-"
                case 10: character == ":"
                default: character.isASCII && character.isNumber
                }
            }
            if isStamp && (index == 0 || characters[index - 1].isWhitespace) {
                starts.append(index)
                index += 11
            } else {
                index += 1
            }
        }
        guard !starts.isEmpty else {
            report(row.record.line, row.column("activities.dated_notes"), "'\(text)' has no dated entries (expected 'YYYY-MM-DD: text.')")
            return []
        }
        if !String(characters[0..<starts[0]]).trimmingCharacters(in: .whitespaces).isEmpty {
            report(row.record.line, row.column("activities.dated_notes"), "text before the first date; expected 'YYYY-MM-DD: text.' entries")
            return []
        }
        var notes: [(Date, String)] = []
        for (position, start) in starts.enumerated() {
            let end = position + 1 < starts.count ? starts[position + 1] : characters.count
            let stamp = String(characters[start..<start + 10])
            let body = String(characters[(start + 11)..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let date = ImportDate.parse(stamp) else {
                report(row.record.line, row.column("activities.dated_notes"), "'\(stamp)' is not a date (expected YYYY-MM-DD)")
                continue
            }
            notes.append((date, body.isEmpty ? "Note." : body))
        }
        return notes
    }

    /// "Had a call." → call, "Saw the demo." → demo, "Met in person." → meeting, emails → email, else note.
    static func activityKind(ofNote text: String) -> ActivityKind {
        let lower = text.lowercased()
        if lower.contains("demo") { return .demo }
        if lower.contains("call") || lower.contains("phone") || lower.contains("rang") { return .call }
        if lower.contains("met ") || lower.contains("meeting") || lower.contains("in person") || lower.contains("visit") {
            return .meeting
        }
        if lower.contains("email") || lower.contains("e-mail") || lower.contains("mail") || lower.contains("wrote") {
            return .email
        }
        return .note
    }

    /// CRM status words to the lead pipeline.
    static func leadStatus(_ text: String) -> LeadStatus? {
        switch text.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ") {
        case "lead", "new", "open", "new lead": .new
        case "contacted", "attempted", "working", "attempted to contact": .contacted
        case "qualified", "sql", "mql": .qualified
        case "proposal", "proposal sent", "quote", "quoted": .proposal
        case "negotiation", "negotiating", "in negotiation": .negotiation
        case "won", "closed won", "customer", "converted": .won
        case "lost", "closed lost", "unqualified", "disqualified", "dead": .lost
        default: nil
        }
    }

    /// How far along the pipeline a status is; lost counts least.
    static func rank(_ status: LeadStatus) -> Int {
        switch status {
        case .lost: 0
        case .new: 1
        case .contacted: 2
        case .qualified: 3
        case .proposal: 4
        case .negotiation: 5
        case .won: 6
        }
    }

    /// `nanolabs` → "Nanolabs", `acme-corp.com` → "Acme Corp".
    static func companyName(fromDomain domain: String) -> String {
        var labels = domain.split(separator: ".").map(String.init)
        let generic: Set<String> = ["com", "org", "net", "io", "co", "de", "fr", "uk", "biz", "info", "eu", "ai"]
        while labels.count > 1, generic.contains(labels.last!.lowercased()) { labels.removeLast() }
        let main = labels.last ?? domain
        return main.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }

    /// `taylor.jackson` → "Taylor Jackson".
    static func personName(fromLocalPart local: String) -> String {
        local.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }
}
