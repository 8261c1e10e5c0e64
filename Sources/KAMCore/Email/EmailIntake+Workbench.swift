import Foundation

extension EmailIntake {
    /// The columns of the workbench email export (`workbench-emails.csv`).
    public static let workbenchColumns = ["email_id", "inbox/outbox", "sender/recipient", "subject", "sent_datetime", "body"]

    /// Why a workbench CSV cannot be read at all (a missing column); a bad row is a failed intake instead.
    public struct WorkbenchError: Error, Sendable, CustomStringConvertible {
        public let code = "email.workbench-columns"
        public var file: String
        public var missing: [String]

        public var description: String {
            "\(file):1: the header lacks \(missing.joined(separator: ", ")); a workbench email export has the columns "
                + EmailIntake.workbenchColumns.joined(separator: ", ")
        }
    }

    /// Builds a message per row of a workbench email export.
    ///
    /// Each row becomes an RFC 5322 message (kept as its raw bytes) with Message-ID
    /// `workbench-<email_id>@import`, so importing the file again adds nothing. `inbox` rows come from
    /// `sender/recipient` to `mailbox`; `outbox` rows go from `mailbox` to it. The body's literal `\n`
    /// are line breaks. A row whose date cannot be read is a malformed item carrying its line.
    ///
    /// - Parameters:
    ///   - records: the CSV records, header first, each with the physical line it starts on.
    ///   - mailbox: whose mailbox the export is (the acting user), when known.
    public static func workbenchItems(
        records: [(line: Int, fields: [String])], file: String, mailbox: EmailAddress? = nil
    ) throws(WorkbenchError) -> [EmailIntakeItem] {
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            return []
        }
        let missing = workbenchColumns.filter { !header.contains($0) }
        guard missing.isEmpty else { throw WorkbenchError(file: file, missing: missing) }
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where index[name] == nil { index[name] = position }
        var items: [EmailIntakeItem] = []
        for record in records.dropFirst() {
            func field(_ name: String) -> String {
                guard let position = index[name], position < record.fields.count else { return "" }
                return record.fields[position]
            }
            let raw = Array(record.fields.joined(separator: ",").utf8)
            let id = field("email_id").trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else {
                items.append(.malformed(raw: raw, reason: "\(file):\(record.line): email_id is empty"))
                continue
            }
            let stamp = field("sent_datetime").trimmingCharacters(in: .whitespaces)
            guard let date = workbenchDate(stamp) else {
                items.append(
                    .malformed(
                        raw: raw,
                        reason: "\(file):\(record.line): sent_datetime \(ErrorExcerpt.quoted(stamp)) is not yyyy-MM-dd HH:mm:ss (UTC)"))
                continue
            }
            let other = EmailAddress(address: field("sender/recipient").trimmingCharacters(in: .whitespaces))
            let outbound = field("inbox/outbox").trimmingCharacters(in: .whitespaces).lowercased() == "outbox"
            let from = outbound ? mailbox : other
            let to = outbound ? other : mailbox
            let body = field("body").replacingOccurrences(of: "\\r\\n", with: "\n").replacingOccurrences(
                of: "\\n", with: "\n")
            let messageID = "workbench-\(id)@import"
            let subject = field("subject")
            let message = EmailMessage(
                messageID: messageID, from: from, to: to.map { [$0] } ?? [], subject: subject, date: date, text: body)
            let text = EmailWriter.message(
                from: from, to: to, subject: subject, body: body, date: date, messageID: messageID)
            items.append(.message(message, raw: Array(text.utf8)))
        }
        return items
    }

    /// `2023-10-01 09:15:02`, read as UTC.
    static func workbenchDate(_ text: String) -> Date? {
        let parts = text.split { $0 == "-" || $0 == " " || $0 == ":" || $0 == "T" }.compactMap { Int($0) }
        guard parts.count == 6 || parts.count == 5 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(
            year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
            second: parts.count == 6 ? parts[5] : 0)
        // A day that does not exist (2026-02-30) is refused, not rolled over into the next month.
        guard CalendarDay.problem(year: parts[0], month: parts[1], day: parts[2]) == nil, (0...23).contains(parts[3]),
            (0...59).contains(parts[4])
        else { return nil }
        return calendar.date(from: components)
    }
}
