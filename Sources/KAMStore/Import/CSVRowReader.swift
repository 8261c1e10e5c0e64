import Foundation
import KAMCore

/// Reads CSV records through a mapping into `CSVRow`s, reporting every bad value with its line and
/// column; pure, so the importer can read a file twice (check, then write) and get the same rows.
struct CSVRowReader {
    /// The target fields a mapping may fill, in `CSVMapping.targets` order.
    enum Target: Int, CaseIterable {
        case clientID, clientName, clientExternalID, clientIndustry, clientTier, clientDomain, clientOwner
        case clientLeadStatus, clientLifecycle, clientMonthlyBudget, clientCurrency, clientLastContactDate
        case clientRenewalDate
        case ownerEmail, ownerName, ownerTeam
        case contactExternalID, contactName, contactEmail, contactPhone, contactTitle, contactRole
        case activityExternalID, activityOccurredAt, activityKind, activityDirection, activitySubject, activityBody
        case datedNotes
        case taskTitle, taskDue, taskPriority

        var name: String { CSVMapping.targets[rawValue] }
    }

    let mapping: CSVMapping
    let file: String
    let domains: CompanyDomains
    /// Column index of each target, by `Target.rawValue`.
    private var columnOf: [Int?]
    /// `memory.KEY` / `preference.KEY` columns, sorted by target name.
    private var memoryColumns: [(key: String, kind: MemoryKind, column: Int, name: String)] = []
    let columnCount: Int
    /// Whose each email host is (the last few thousand): rows of one company repeat it, and the
    /// list look-up is the costly part.
    private var owners: [String: CompanyDomains.Owner] = [:]
    /// `ownerParts` of each account manager's email seen (the last few thousand).
    private var ownerEmails: [String: (id: String, name: String)?] = [:]

    /// Checks the header against the mapping.
    ///
    /// - Throws: `ImportError` `.invalidMapping` naming every mapped column the header lacks.
    init(header: CSVReader.Record, mapping: CSVMapping, file: String, domains: CompanyDomains) throws {
        precondition(Target.allCases.count == CSVMapping.targets.count, "CSVRowReader.Target must follow CSVMapping.targets")
        self.mapping = mapping
        self.file = file
        self.domains = domains
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        columnCount = columns.count
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
        columnOf = Target.allCases.map { target in mapping.fields[target.name].flatMap { position[$0] } }
        for (target, column) in mapping.fields.sorted(by: { $0.key < $1.key }) {
            let parts = target.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "memory" || parts[0] == "preference", let index = position[column] else { continue }
            memoryColumns.append((Slug.make(parts[1]), parts[0] == "memory" ? .fact : .preference, index, column))
        }
    }

    /// The CSV column a target reads, for messages.
    func column(_ target: Target) -> String { mapping.fields[target.name] ?? target.name }

    func isMapped(_ target: Target) -> Bool { columnOf[target.rawValue] != nil }

    /// The row of `record`, or nil after reporting what is wrong with it to `issues`.
    mutating func read(_ record: CSVReader.Record, issues: inout ImportIssues) -> CSVRow? {
        let line = record.line
        guard record.fields.count == columnCount else {
            issues.report(file, line, nil, "the row has \(record.fields.count) fields but the header has \(columnCount)")
            return nil
        }
        let before = issues.count
        func value(_ target: Target) -> String? {
            guard let index = columnOf[target.rawValue] else { return nil }
            return Self.trimmed(record.fields[index])
        }
        func parsed<T>(_ target: Target, _ expected: @autoclosure () -> String, _ parse: (String) -> T?) -> T? {
            guard let text = value(target) else { return nil }
            guard let result = parse(text) else {
                issues.report(file, line, column(target), "'\(text)' is not \(expected())")
                return nil
            }
            return result
        }
        func date(_ target: Target) -> Date? {
            parsed(target, "a date (expected YYYY-MM-DD)", ImportDate.parse)
        }

        var row = CSVRow(line: line, client: .named(""))
        row.email = value(.contactEmail)?.lowercased()
        var emailOwner: CompanyDomains.Owner?
        if let email = row.email {
            let parts = email.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            // A byte search: `contains("@")` of a String goes through Foundation's NSString search.
            if parts.count == 2, !parts[0].isEmpty, !parts[1].utf8.contains(UInt8(ascii: "@")) {
                emailOwner = owner(ofHost: String(parts[1]))
            }
            if let reason = EmailSyntax.problem(email) {
                issues.report(file, line, column(.contactEmail), "'\(email)' is not an email address: \(reason)")
                emailOwner = nil
            } else if emailOwner == nil || emailOwner == .invalid {
                issues.report(file, line, column(.contactEmail), "'\(email)' is not an email address (expected name@domain)")
                emailOwner = nil
            }
        }
        var columnDomain: CompanyDomains.Owner?
        if let domain = value(.clientDomain)?.lowercased() {
            columnDomain = owner(ofHost: domain)
            if columnDomain == .invalid {
                issues.report(file, line, column(.clientDomain), "'\(domain)' is not a domain name (expected e.g. acme.com)")
            }
        }
        if case .company(let domain) = columnDomain {
            row.companyDomain = domain
        } else if case .company(let domain) = emailOwner {
            row.companyDomain = domain
        }

        // Whose row: a company column wins over the email domain.
        let clientID = value(.clientID)
        row.clientName = value(.clientName) ?? clientID
        if let named = clientID ?? row.clientName {
            let slug = Slug.make(named)
            guard !slug.isEmpty else {
                issues.report(
                    file, line, column(clientID != nil ? .clientID : .clientName),
                    "'\(named)' has no letters or digits to make a client id from")
                return nil
            }
            row.client = .named(slug)
        } else if let domainClient = domainClient(columnDomain ?? emailOwner, row: row, line: line, issues: &issues) {
            row.client = .domain(domainClient)
        } else {
            return nil
        }

        if let ownerEmail = value(.ownerEmail)?.lowercased() {
            if let (id, localName) = ownerParts(ownerEmail) {
                let user = ImportDocument.UserEntry(
                    id: id, name: value(.ownerName) ?? localName, email: ownerEmail, team: value(.ownerTeam))
                row.owner = user
                row.ownerID = user.id
            } else {
                issues.report(file, line, column(.ownerEmail), "'\(ownerEmail)' is not an email address")
            }
        }
        row.ownerID = row.ownerID ?? value(.clientOwner)

        row.externalID = value(.clientExternalID).map { "\(mapping.name):\($0)" }
        row.industry = value(.clientIndustry)
        row.currency = value(.clientCurrency)
        row.leadStatus = parsed(.clientLeadStatus, "a lead status (Lead, Contacted, Qualified, Proposal, Negotiation, Won, Lost)", Self.leadStatus)
        row.lifecycle = parsed(.clientLifecycle, "a lifecycle (\(LifecycleStatus.allCases.map(\.rawValue).joined(separator: ", ")))") {
            LifecycleStatus(rawValue: $0.lowercased())
        }
        row.tier = parsed(.clientTier, "a tier (\(SubscriptionTier.allCases.map(\.rawValue).joined(separator: ", ")))") {
            SubscriptionTier(rawValue: $0.lowercased())
        }
        row.monthlyBudget = parsed(.clientMonthlyBudget, ImportDocument.NumberRule.monthlyBudget.expected) { text in
            Double(text).flatMap { ImportDocument.NumberRule.monthlyBudget.contains($0) ? $0 : nil }
        }
        row.lastContact = date(.clientLastContactDate)
        row.renewalDate = date(.clientRenewalDate)

        row.contactExternalID = value(.contactExternalID).map { "\(mapping.name):\($0)" }
        row.contactName = value(.contactName) ?? row.email.map { Self.personName(fromLocalPart: String($0.split(separator: "@")[0])) }
        row.phone = value(.contactPhone)
        row.title = value(.contactTitle)
        row.role = parsed(.contactRole, "a role (\(ContactRole.allCases.map(\.rawValue).joined(separator: ", ")))") {
            ContactRole(rawValue: $0.lowercased())
        }

        let kind = parsed(.activityKind, "an activity kind (email, call, meeting, note, demo)") { ActivityKind(rawValue: $0.lowercased()) }
        let direction = parsed(.activityDirection, "a direction (inbound, outbound, internal)") {
            ActivityDirection(rawValue: $0.lowercased())
        }
        if let occurredAt = date(.activityOccurredAt) {
            row.activity = .init(
                externalID: value(.activityExternalID).map { "\(mapping.name):\($0)" }, occurredAt: occurredAt, kind: kind,
                direction: direction, subject: value(.activitySubject), body: value(.activityBody))
        }
        if let text = value(.datedNotes) { row.notes = datedNotes(text, line: line, issues: &issues) }
        row.taskTitle = value(.taskTitle)
        row.taskDue = date(.taskDue)
        row.taskPriority = parsed(.taskPriority, "a priority (low, medium, high, urgent)") { TaskPriority(rawValue: $0.lowercased()) }
        for memory in memoryColumns {
            if let text = Self.trimmed(record.fields[memory.column]) { row.memory.append((memory.key, memory.kind, text)) }
        }
        return issues.count == before ? row : nil
    }

    /// The user id and the name in words of an account manager's email; nil when it is not an email.
    /// Kept per email: a file has a few managers, each on thousands of rows.
    private mutating func ownerParts(_ email: String) -> (id: String, name: String)? {
        if let known = ownerEmails[email] { return known }
        var parts: (id: String, name: String)?
        let split = email.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        if split.count == 2, EmailSyntax.isValid(email) {
            let local = String(split[0])
            parts = (Slug.make(local), Self.personName(fromLocalPart: local))
        }
        if ownerEmails.count >= 4_096 { ownerEmails.removeAll(keepingCapacity: true) }
        ownerEmails[email] = .some(parts)  // nil too: an invalid email is checked once
        return parts
    }

    private mutating func owner(ofHost host: String) -> CompanyDomains.Owner {
        if let known = owners[host] { return known }
        let owner = domains.owner(ofHost: host)
        // Bounded: a file with a company per row would otherwise keep every host it ever saw.
        if owners.count >= 4_096 { owners.removeAll(keepingCapacity: true) }
        owners[host] = owner
        return owner
    }

    /// The company a row without a company column belongs to, from `client.domain` or the email.
    private func domainClient(_ owner: CompanyDomains.Owner?, row: CSVRow, line: Int, issues: inout ImportIssues) -> String? {
        let companyColumn = isMapped(.clientName) ? "fill '\(column(.clientName))' for this row" : isMapped(.clientID)
            ? "fill '\(column(.clientID))' for this row"
            : "the mapping '\(mapping.name)' has no company column: map client.name to one (docs/import-format.md)"
        let field = isMapped(.clientDomain) ? column(.clientDomain) : isMapped(.contactEmail) ? column(.contactEmail) : nil
        switch owner {
        case .company(let domain):
            return domain
        case .freeMail(let provider):
            issues.report(
                file, line, field,
                "'\(row.email ?? provider)' is a free-mail address (\(provider)), which names no company; \(companyColumn)")
        case .publicSuffix(let suffix):
            issues.report(
                file, line, field, "'\(suffix)' is a public suffix that anyone registers under, not a company's domain; \(companyColumn)")
        case .invalid:
            break  // already reported
        case nil:
            issues.report(
                file, line, nil,
                "no client for this row: it needs a value in \([Target.clientID, .clientName, .clientDomain, .contactEmail].filter(isMapped).map(column).joined(separator: " or "))")
        }
        return nil
    }

    /// `text` without surrounding white space; nil when nothing is left. Checks the ends first:
    /// most cells have no padding, and Foundation's trimming is the slow part of reading a row.
    static func trimmed(_ text: String) -> String? {
        guard let firstByte = text.utf8.first, let lastByte = text.utf8.last else { return nil }
        // Most cells start and end with ASCII that is not white space: no scalar properties to look up.
        func plainASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        if plainASCII(firstByte) && plainASCII(lastByte) { return text }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return nil }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return text }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The `YYYY-MM-DD: text.` entries of the `activities.dated_notes` column.
    private func datedNotes(_ text: String, line: Int, issues: inout ImportIssues) -> [(date: Date, text: String)] {
        let field = column(.datedNotes)
        let bytes = Array(text.utf8)
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
        var starts: [Int] = []  // offsets of "NNNN-NN-NN:"
        var index = 0
        while index + 11 <= bytes.count {
            // The separators and the space before first: most positions fail there, before any digit is looked at.
            let isStamp =
                (index == 0 || isSpace(bytes[index - 1])) && bytes[index + 4] == UInt8(ascii: "-")
                && bytes[index + 7] == UInt8(ascii: "-") && bytes[index + 10] == UInt8(ascii: ":")
                && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { isDigit(bytes[index + $0]) }
            if isStamp {
                starts.append(index)
                index += 11
            } else {
                index += 1
            }
        }
        guard let first = starts.first else {
            issues.report(file, line, field, "'\(text)' has no dated entries (expected 'YYYY-MM-DD: text.')")
            return []
        }
        if !bytes[0..<first].allSatisfy(isSpace) {
            issues.report(file, line, field, "text before the first date; expected 'YYYY-MM-DD: text.' entries")
            return []
        }
        var notes: [(Date, String)] = []
        for (position, start) in starts.enumerated() {
            let end = position + 1 < starts.count ? starts[position + 1] : bytes.count
            let stamp = String(decoding: bytes[start..<start + 10], as: UTF8.self)
            var (from, to) = (start + 11, end)
            while from < to, isSpace(bytes[from]) { from += 1 }
            while to > from, isSpace(bytes[to - 1]) { to -= 1 }
            let body = String(decoding: bytes[from..<to], as: UTF8.self)
            guard let date = ImportDate.parse(stamp) else {
                issues.report(file, line, field, "'\(stamp)' is not a date (expected YYYY-MM-DD)")
                continue
            }
            notes.append((date, body.isEmpty ? "Note." : body))
        }
        return notes
    }

    /// The words that give a note its kind, first match wins, as UTF-8 bytes made once.
    private static let noteKindWords: [(kind: ActivityKind, words: [[UInt8]])] = {
        let words: [(ActivityKind, [String])] = [
            (.demo, ["demo"]), (.call, ["call", "phone", "rang"]), (.meeting, ["met ", "meeting", "in person", "visit"]),
            (.email, ["email", "e-mail", "mail", "wrote"]),
        ]
        return words.map { kind, words in (kind, words.map { Array($0.utf8) }) }
    }()

    /// "Had a call." → call, "Saw the demo." → demo, "Met in person." → meeting, emails → email, else note.
    static func activityKind(ofNote text: String) -> ActivityKind {
        // Searched as bytes: Foundation's `contains` goes through NSString, slow for every note of a large file.
        let lower = Array(text.lowercased().utf8)
        func has(_ needle: [UInt8]) -> Bool {
            guard needle.count <= lower.count else { return false }
            return (0...(lower.count - needle.count)).contains { lower[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
        return noteKindWords.first { $0.words.contains(where: has) }?.kind ?? .note
    }

    /// CRM status words to the lead pipeline.
    static func leadStatus(_ text: String) -> LeadStatus? {
        let words = String(decoding: text.lowercased().utf8.map { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") ? 0x20 : $0 }, as: UTF8.self)
        return switch words {
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

    /// `taylor.jackson` → "Taylor Jackson".
    static func personName(fromLocalPart local: String) -> String {
        local.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }
}
