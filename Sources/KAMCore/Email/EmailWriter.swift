import Foundation

/// Writes an approved draft as an RFC 5322 message (`.eml`) that any mail program opens and sends.
///
/// Non-ASCII subjects become RFC 2047 encoded words and the body is UTF-8 quoted-printable, so the
/// file survives any mail path; `EmailParser` reads it back unchanged (a test checks the round trip).
public enum EmailWriter {
    /// `generatedBy`: the `X-Generated-By` header (a notification digest is not a draft a person approved).
    public static func message(
        from: EmailAddress?, to: EmailAddress?, subject: String, body: String, date: Date, messageID: String,
        generatedBy: String = "kam (approved by a person)"
    ) -> String {
        var lines: [String] = []
        if let from { lines.append("From: \(format(from))") }
        if let to { lines.append("To: \(format(to))") }
        lines.append("Subject: \(encodeHeader(subject))")
        lines.append("Date: \(rfc5322(date))")
        lines.append("Message-ID: <\(messageID)>")
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("Content-Transfer-Encoding: quoted-printable")
        lines.append("X-Generated-By: \(generatedBy)")
        lines.append("")
        lines.append(quotedPrintable(body))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func format(_ address: EmailAddress) -> String {
        guard let name = address.name, !name.isEmpty else { return address.address }
        let safe = name.unicodeScalars.allSatisfy { $0.isASCII } ? "\"\(name.replacingOccurrences(of: "\"", with: ""))\"" : encodeHeader(name)
        return "\(safe) <\(address.address)>"
    }

    /// Plain when a reader gets the same text back: printable ASCII with no white space at
    /// either end (a header's value is trimmed when read) and nothing a reader decodes (`=?`).
    static func encodeHeader(_ text: String) -> String {
        let plain =
            text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 && $0.value != 127 })
            && text.first != " " && text.last != " " && !text.contains("=?")
        if plain { return text }
        return "=?utf-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// RFC 2045 quoted-printable with soft breaks at 76 columns and CRLF line ends.
    static func quotedPrintable(_ text: String) -> String {
        var out: [String] = []
        for line in text.withLFLineEnds.split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded = ""
            var column = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let piece: String
                if (byte == 32 || byte == 9) && isLast {
                    piece = String(format: "=%02X", byte)
                } else if (byte >= 33 && byte <= 126 && byte != 61) || byte == 32 || byte == 9 {
                    piece = String(UnicodeScalar(byte))
                } else {
                    piece = String(format: "=%02X", byte)
                }
                if column + piece.count > 75 {
                    encoded += "=\r\n"
                    column = 0
                }
                encoded += piece
                column += piece.count
            }
            out.append(encoded)
        }
        return out.joined(separator: "\r\n")
    }
}
