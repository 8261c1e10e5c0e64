import Foundation
import KAMCore

/// A help desk's export read into tickets, every row checked before anything is stored: a CSV file
/// through a `TicketMapping`, or a JSON API export (`{"tickets": [{"id", "subject", "description",
/// "status", "priority", "requester_email" or "requester": {"email"}, "organization_name", "tags",
/// "created_at", "updated_at"}]}`). Errors name the file, the line (CSV) or the ticket's index (JSON)
/// and the field.
public struct TicketFile: Sendable {
    public var entries: [TicketImportEntry]

    /// Reads `bytes` (UTF-8) as CSV through `mapping`, or as JSON when `json`.
    public static func read(_ bytes: [UInt8], file: String, json: Bool, mapping: TicketMapping = .zendesk) throws -> TicketFile {
        json ? try readJSON(bytes, file: file) : try readCSV(bytes, file: file, mapping: mapping)
    }

    static func readCSV(_ bytes: [UInt8], file: String, mapping: TicketMapping) throws -> TicketFile {
        try mapping.validate(file: file)
        var header: [String: Int]?
        var issues = ImportIssues()
        var entries: [TicketImportEntry] = []
        do {
            try CSVReader().forEachRecord(bytes) { record in
                guard let columns = header else {
                    header = Dictionary(
                        record.fields.enumerated().map { ($1.trimmingCharacters(in: .whitespaces), $0) },
                        uniquingKeysWith: { first, _ in first })
                    return
                }
                func field(_ target: String) -> String? {
                    guard let column = mapping.fields[target], let index = columns[column], index < record.fields.count else {
                        return nil
                    }
                    let value = record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
                    return value.isEmpty ? nil : value
                }
                if let entry = Self.entry(
                    field, prefix: mapping.name, file: file, line: record.line, location: "\(file):\(record.line)",
                    issues: &issues)
                {
                    entries.append(entry)
                }
            }
        } catch {
            throw ImportError(.malformed, issues: [.init(file: file, line: error.line, message: error.message)], underlying: error)
        }
        guard let columns = header else {
            throw ImportError(.malformed, issues: [.init(file: file, message: "the file is empty: expected a header row")])
        }
        let missing = ["ticket.external_id", "ticket.subject", "ticket.created_at"].compactMap { target in
            mapping.fields[target].flatMap { columns[$0] == nil ? $0 : nil }
        }
        if !missing.isEmpty {
            throw ImportError(
                .invalidMapping,
                issues: missing.map {
                    .init(file: file, line: 1, field: $0, message: "the mapping names this column but the header has none such")
                })
        }
        try issues.throwIfAny()
        return TicketFile(entries: entries)
    }

    static func readJSON(_ bytes: [UInt8], file: String) throws -> TicketFile {
        let root: JSONValue
        do {
            root = try JSONParser().parse(bytes: bytes)
        } catch {
            throw ImportError(
                .malformed, issues: [.init(file: file, line: error.line, column: error.column, message: error.message)],
                underlying: error)
        }
        guard let tickets = root["tickets"]?.arrayValue ?? root.arrayValue else {
            throw ImportError(
                .malformed, issues: [.init(file: file, message: "expected {\"tickets\": [...]} (a help desk's API export) or an array of tickets")])
        }
        var issues = ImportIssues()
        var entries: [TicketImportEntry] = []
        let keys: [String: [String]] = [
            "ticket.external_id": ["id", "external_id"], "ticket.subject": ["subject", "raw_subject"],
            "ticket.description": ["description"], "ticket.status": ["status"], "ticket.priority": ["priority"],
            "ticket.requester_email": ["requester_email"], "ticket.organization": ["organization_name", "organization"],
            "ticket.client": ["client"], "ticket.created_at": ["created_at"], "ticket.updated_at": ["updated_at"],
        ]
        for (index, ticket) in tickets.enumerated() {
            func text(_ value: JSONValue?) -> String? {
                switch value {
                case .string(let text): text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : text
                case .int(let number): String(number)
                default: nil
                }
            }
            func field(_ target: String) -> String? {
                if target == "ticket.tags" {
                    return ticket["tags"]?.arrayValue?.compactMap(\.stringValue).joined(separator: " ")
                }
                if target == "ticket.requester_email", let email = text(ticket["requester"]?["email"]) { return email }
                return keys[target]?.lazy.compactMap { text(ticket[$0]) }.first
            }
            let path = "tickets[\(index)]"
            if let entry = Self.entry(field, prefix: "json", file: file, line: nil, location: "\(file): \(path)", issues: &issues, path: path) {
                entries.append(entry)
            }
        }
        try issues.throwIfAny()
        return TicketFile(entries: entries)
    }

    /// One ticket from its fields, or nil with the problems reported.
    private static func entry(
        _ field: (String) -> String?, prefix: String, file: String, line: Int?, location: String,
        issues: inout ImportIssues, path: String? = nil
    ) -> TicketImportEntry? {
        let before = issues.count
        func report(_ target: String, _ message: String) {
            issues.report(file, line, path.map { "\($0).\(target.dropFirst("ticket.".count))" } ?? target, message)
        }
        let id = field("ticket.external_id")
        if id == nil { report("ticket.external_id", "a ticket needs its help desk id") }
        let subject = field("ticket.subject") ?? field("ticket.description").map { String($0.prefix(80)) }
        if subject == nil { report("ticket.subject", "a ticket needs a subject or a description") }
        let created = field("ticket.created_at").flatMap(ImportDate.parse)
        if created == nil {
            report("ticket.created_at", field("ticket.created_at").map { "'\($0)' is not a date (2026-03-05 or 2026-03-05T14:30:00Z)" }
                ?? "a ticket needs its creation date")
        }
        let updated = field("ticket.updated_at").flatMap { text -> Date?? in
            guard let date = ImportDate.parse(text) else {
                report("ticket.updated_at", "'\(text)' is not a date (2026-03-05 or 2026-03-05T14:30:00Z)")
                return nil
            }
            return date
        }
        /// A help desk's word for one of `T`'s cases; `fallback` when the column is empty, nil (reported) when unknown.
        func word<T: RawRepresentable & CaseIterable>(_ target: String, _ fallback: T, _ make: (String) -> T?) -> T?
        where T.RawValue == String {
            guard let text = field(target) else { return fallback }
            guard let value = make(text) else {
                report(target, "'\(text)' is not a \(target.dropFirst("ticket.".count)); use \(T.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            return value
        }
        let status = word("ticket.status", TicketStatus.open, TicketStatus.init(helpDesk:))
        let priority = word("ticket.priority", TicketPriority.normal, TicketPriority.init(helpDesk:))
        let email = field("ticket.requester_email")
        if let email, !email.contains("@") { report("ticket.requester_email", "'\(email)' is not an email address") }
        guard issues.count == before, let id, let subject, let created, let status, let priority else { return nil }
        let tags = (field("ticket.tags") ?? "").split { $0 == " " || $0 == "," }.map(String.init)
        return TicketImportEntry(
            ticket: SupportTicket(
                clientID: nil, externalID: "\(prefix):\(id)", channel: .import, requester: email,
                organization: field("ticket.organization"), subject: subject, body: field("ticket.description") ?? "",
                status: status, priority: priority, tags: tags, createdAt: created, updatedAt: (updated ?? nil) ?? created),
            client: field("ticket.client"), location: location)
    }
}
