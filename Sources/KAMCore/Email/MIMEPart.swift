import Foundation

/// One node of a MIME tree: its headers and either a decoded body or child parts.
struct MIMEPart: Sendable {
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var children: [MIMEPart]

    static let maxDepth = 16

    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// `text/plain; charset="utf-8"` → ("text/plain", ["charset": "utf-8"])
    var contentType: (type: String, parameters: [String: String]) {
        HeaderParameters.parse(header("content-type") ?? "text/plain; charset=us-ascii")
    }

    static func parse(_ bytes: ArraySlice<UInt8>, depth: Int) throws(EmailParseError) -> MIMEPart {
        guard depth < maxDepth else { throw EmailParseError("MIME parts nested more than \(maxDepth) deep") }
        let (headerBytes, bodyBytes) = splitHeaders(bytes)
        let headers = try parseHeaders(headerBytes)
        var part = MIMEPart(headers: headers, body: [], children: [])
        let (type, parameters) = part.contentType
        if type.hasPrefix("multipart/") {
            guard let boundary = parameters["boundary"], !boundary.isEmpty else {
                throw EmailParseError("\(ErrorExcerpt.text(type) ?? "multipart") part has no boundary parameter")
            }
            for child in splitMultipart(bodyBytes, boundary: boundary) {
                part.children.append(try parse(child, depth: depth + 1))
            }
        } else {
            let encoding = (part.header("content-transfer-encoding") ?? "7bit").lowercased()
                .trimmingCharacters(in: .whitespaces)
            switch encoding {
            case "base64": part.body = TransferEncoding.base64(bodyBytes)
            case "quoted-printable": part.body = TransferEncoding.quotedPrintable(bodyBytes)
            default: part.body = Array(bodyBytes)
            }
        }
        return part
    }

    /// Walks the tree collecting text bodies and attachment names; in multipart/alternative the
    /// plain part wins and the HTML one is kept aside.
    func collect(plain: inout [String], html: inout [String], attachments: inout [String]) {
        let (type, parameters) = contentType
        if !children.isEmpty {
            for child in children { child.collect(plain: &plain, html: &html, attachments: &attachments) }
            return
        }
        let disposition = HeaderParameters.parse(header("content-disposition") ?? "inline")
        let filename = disposition.parameters["filename"] ?? parameters["name"]
        if disposition.type == "attachment" || (filename != nil && !type.hasPrefix("text/")) {
            attachments.append(filename.map(EncodedWords.decode) ?? "unnamed")
            return
        }
        let text = Charsets.decode(body, charset: parameters["charset"] ?? "us-ascii")
        if type == "text/html" {
            html.append(text)
        } else if type.hasPrefix("text/") {
            plain.append(text.withLFLineEnds)
        } else if let filename {
            attachments.append(filename)
        }
    }

    /// Headers end at the first empty line (CRLF CRLF or LF LF).
    static func splitHeaders(_ bytes: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        var i = bytes.startIndex
        var lineStart = i
        while i < bytes.endIndex {
            if bytes[i] == 10 {
                let line = bytes[lineStart..<i]
                if line.isEmpty || (line.count == 1 && line.first == 13) {
                    return (bytes[bytes.startIndex..<lineStart], bytes[(i + 1)...])
                }
                lineStart = i + 1
            }
            i += 1
        }
        // No blank line: all headers, or (when the first line is not a header) all body.
        return (bytes, bytes[bytes.endIndex...])
    }

    static func parseHeaders(_ bytes: ArraySlice<UInt8>) throws(EmailParseError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        var lineNumber = 0
        for rawLine in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == 13 { line = line.dropLast() }
            if line.isEmpty { continue }
            let text = String(decoding: line, as: UTF8.self)
            if line.first == 32 || line.first == 9 {
                guard !headers.isEmpty else {
                    throw EmailParseError("header line \(lineNumber) is a continuation with no header before it")
                }
                headers[headers.count - 1].value += " " + text.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
                !text[..<colon].contains(" ")
            else {
                // The line itself is not quoted: the reason is stored and printed, and the line may hold anything.
                throw EmailParseError("header line \(lineNumber) has no 'Name: value' form")
            }
            headers.append(
                (String(text[..<colon]).lowercased(), text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return headers
    }

    /// The parts between `--boundary` lines, up to `--boundary--`.
    static func splitMultipart(_ body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int? = nil
        var lineStart = body.startIndex
        var i = body.startIndex
        while i <= body.endIndex {
            if i == body.endIndex || body[i] == 10 {
                var line = body[lineStart..<i]
                if line.last == 13 { line = line.dropLast() }
                if line.starts(with: delimiter) {
                    let rest = line.dropFirst(delimiter.count)
                    if let start = partStart {
                        // The line break before the delimiter belongs to the delimiter.
                        var end = lineStart
                        if end > start, body[end - 1] == 10 { end -= 1 }
                        if end > start, body[end - 1] == 13 { end -= 1 }
                        parts.append(body[start..<max(start, end)])
                    }
                    if rest.starts(with: [45, 45]) { return parts }
                    partStart = min(i + 1, body.endIndex)
                }
                lineStart = i + 1
            }
            i += 1
        }
        if let start = partStart, start < body.endIndex { parts.append(body[start...]) }
        return parts
    }
}
