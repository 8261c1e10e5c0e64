import Foundation

/// Parses RFC 5322 messages: folded headers, RFC 2047 encoded words, MIME multipart trees,
/// quoted-printable and base64 bodies, and the charsets mail really uses.
///
/// It works on bytes, not strings, because a body's charset is only known once its headers are read.
public struct EmailParser: Sendable {
    public init() {}

    public func parse(_ text: String) throws(EmailParseError) -> EmailMessage {
        try parse(Array(text.utf8))
    }

    public func parse(_ bytes: [UInt8]) throws(EmailParseError) -> EmailMessage {
        let part = try MIMEPart.parse(bytes[...], depth: 0)
        guard !part.headers.isEmpty else { throw EmailParseError("no header lines before the body") }
        guard part.header("from") != nil || part.header("message-id") != nil || part.header("subject") != nil else {
            throw EmailParseError("none of From, Subject or Message-ID is present")
        }
        var message = EmailMessage()
        message.messageID = part.header("message-id").flatMap { Self.messageIDs($0).first }
        message.inReplyTo = part.header("in-reply-to").flatMap { Self.messageIDs($0).first }
        message.references = part.header("references").map(Self.messageIDs) ?? []
        message.from = part.header("from").flatMap { Self.addresses(EncodedWords.decode($0)).first }
        message.to = part.header("to").map { Self.addresses(EncodedWords.decode($0)) } ?? []
        message.cc = part.header("cc").map { Self.addresses(EncodedWords.decode($0)) } ?? []
        message.subject = part.header("subject").map(EncodedWords.decode) ?? ""
        message.date = part.header("date").flatMap(RFC5322Date.parse)
        let relay = RelayHeaders(
            replyTo: part.header("reply-to").map { Self.addresses(EncodedWords.decode($0)) } ?? [],
            sender: part.header("sender").flatMap { Self.addresses(EncodedWords.decode($0)).first },
            originalFrom: (part.header("x-original-from") ?? part.header("x-original-sender"))
                .flatMap { Self.addresses(EncodedWords.decode($0)).first },
            resentFrom: (part.header("resent-from") ?? part.header("x-forwarded-from"))
                .flatMap { Self.addresses(EncodedWords.decode($0)).first })
        message.relay = relay.isEmpty ? nil : relay
        var plain: [String] = []
        var html: [String] = []
        var attachments: [String] = []
        part.collect(plain: &plain, html: &html, attachments: &attachments)
        message.html = html.isEmpty ? nil : html.joined(separator: "\n")
        message.text = plain.isEmpty ? html.map(HTMLText.strip).joined(separator: "\n") : plain.joined(separator: "\n")
        message.attachments = attachments
        return message
    }

    /// Splits an mbox file into messages (lines starting `From ` separate them; `>From ` is unescaped).
    public static func splitMbox(_ data: [UInt8]) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var current: [UInt8] = []
        var started = false
        for line in data.split(separator: 10, omittingEmptySubsequences: false) {
            if line.starts(with: Array("From ".utf8)) {
                if started { messages.append(current) }
                current = []
                started = true
                continue
            }
            guard started else { continue }
            var l = Array(line)
            if l.starts(with: Array(">From ".utf8)) { l.removeFirst() }
            current.append(contentsOf: l)
            current.append(10)
        }
        if started { messages.append(current) }
        return messages
    }

    /// `<a@b> <c@d>` → ["a@b", "c@d"]
    static func messageIDs(_ value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            ids.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            let bare = value.trimmingCharacters(in: .whitespaces)
            if !bare.isEmpty { ids.append(bare) }
        }
        return ids
    }

    /// Parses an address list: `"Ruiz, Ana" <ana@acme.com>, bob@x.org (Bob)`.
    static func addresses(_ value: String) -> [EmailAddress] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var angle = false
        for ch in value {
            switch ch {
            case "\"": quoted.toggle()
            case "<": angle = true
            case ">": angle = false
            case "," where !quoted && !angle:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(ch)
        }
        parts.append(current)
        return parts.compactMap { raw in
            let item = raw.trimmingCharacters(in: .whitespaces)
            if let open = item.lastIndex(of: "<"), let close = item.lastIndex(of: ">"), open < close {
                let address = item[item.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
                var name = item[..<open].trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
                return address.contains("@") ? EmailAddress(name: name.isEmpty ? nil : name, address: address) : nil
            }
            let bare = item.split(separator: " ").first.map(String.init) ?? ""
            return bare.contains("@") ? EmailAddress(address: bare) : nil
        }
    }
}
