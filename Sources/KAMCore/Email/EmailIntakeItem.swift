/// One message to ingest: raw bytes to parse, a message already built (CSV import), or bytes known
/// to be unreadable, with the reason.
public enum EmailIntakeItem: Sendable, Hashable {
    case raw([UInt8])
    case message(EmailMessage, raw: [UInt8])
    case malformed(raw: [UInt8], reason: String)

    /// The messages of a file: an mbox (its first line starts with `From `) split into messages, else
    /// one RFC 5322 message.
    public static func items(fromFile bytes: [UInt8]) -> [EmailIntakeItem] {
        if isMbox(bytes) { return EmailParser.splitMbox(bytes).map { .raw($0) } }
        return [.raw(bytes)]
    }

    /// True when the first line starts with `From ` (the mbox separator; a header is `From:`).
    public static func isMbox(_ bytes: [UInt8]) -> Bool {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        return bytes[start...].starts(with: Array("From ".utf8))
    }
}
