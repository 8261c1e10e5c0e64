import Foundation

/// A user's daily digest of notifications as an RFC 5322 message (`.eml`), which the `notification-digest` job writes
/// into kam.yaml's `notifications.digest_folder`. KAM writes the file; it never sends it. Pure.
public enum NotificationDigest {
    /// One notification of the digest.
    public struct Line: Sendable, Hashable {
        public var at: Date
        public var clientID: String?
        public var title: String
        public var body: String
        public var rule: String?
        public var read: Bool

        public init(at: Date, clientID: String?, title: String, body: String, rule: String?, read: Bool) {
            self.at = at
            self.clientID = clientID
            self.title = title
            self.body = body
            self.rule = rule
            self.read = read
        }
    }

    /// The message for `user` (`name`, `email`) of `day` (YYYY-MM-DD), its lines oldest first.
    public static func message(userID: String, name: String, email: String, day: String, lines: [Line], at now: Date) -> String {
        let unread = lines.count { !$0.read }
        var body = ["\(lines.count) notification\(lines.count == 1 ? "" : "s") on \(day) (\(unread) unread):", ""]
        for line in lines.sorted(by: { $0.at < $1.at }) {
            body.append("- \(UTCTimestamp.dateTime(line.at))  \(line.clientID ?? "-")  \(line.title)\(line.read ? "" : "  [unread]")")
            if !line.body.isEmpty { body.append("  \(line.body)") }
            if let rule = line.rule { body.append("  (rule \(rule))") }
        }
        body += ["", "`kam inbox` shows them; `kam inbox read --all` marks them read."]
        return EmailWriter.message(
            from: EmailAddress(name: "KAM", address: "kam@localhost"), to: EmailAddress(name: name, address: email),
            subject: "KAM digest for \(day): \(lines.count) notification\(lines.count == 1 ? "" : "s")",
            body: body.joined(separator: "\n"), date: now, messageID: "digest-\(userID)-\(day)@kam.localhost",
            generatedBy: "kam (a notification digest; not sent)")
    }
}
