import Foundation

/// A minimal RFC 5322 reader for checking exported drafts: unfolded headers, and the body decoded
/// from quoted-printable when the message says so.
struct EMLMessage {
    var headers: [String: String] = [:]
    var body: String

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        guard let split = text.range(of: "\n\n") else {
            throw Malformed(description: "\(url.path): no blank line between headers and body")
        }
        var lines: [String] = []
        for line in text[..<split.lowerBound].split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            } else {
                lines.append(String(line))
            }
        }
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw Malformed(description: "\(url.path): header line without a name: \(line)")
            }
            let name = line[..<colon].lowercased()
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw Malformed(description: "\(url.path): bad header name: \(name)")
            }
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        body = String(text[split.upperBound...])
    }

    /// The body, decoded when `Content-Transfer-Encoding` is quoted-printable.
    var decodedBody: String {
        guard headers["content-transfer-encoding"]?.lowercased() == "quoted-printable" else { return body }
        var bytes: [UInt8] = []
        let source = Array(body.utf8)
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "=") {
                if index + 1 < source.count, source[index + 1] == UInt8(ascii: "\n") {
                    index += 2  // soft line break
                    continue
                }
                if index + 2 < source.count, let high = hex(source[index + 1]), let low = hex(source[index + 2]) {
                    bytes.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            bytes.append(byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
