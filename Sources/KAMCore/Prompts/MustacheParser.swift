/// Turns Mustache source into the node tree `MustacheTemplate` renders.
///
/// Works on UTF-8 bytes: every delimiter and sigil is ASCII, so byte offsets are safe cut points,
/// and positions are turned into line:column only when an error is reported.
struct MustacheParser {
    private let bytes: [UInt8]
    private var open: [UInt8] = Array("{{".utf8)
    private var close: [UInt8] = Array("}}".utf8)

    init(source: String) {
        self.bytes = Array(source.utf8)
    }

    private enum TagKind {
        case variable(escaped: Bool)
        case section, inverted, close, comment, partial, setDelimiters, parent, block
    }

    /// A section, parent or block waiting for its closing tag.
    private struct OpenScope {
        var kind: TagKind
        var name: String
        var nameValue: MustacheName
        var dynamic: Bool
        var indentation: String
        var offset: Int
        var nodes: [MustacheTemplate.Node] = []
    }

    /// Every name read by a variable or section tag, in source order, filled by `parse()`.
    private(set) var references: [MustacheReference] = []
    /// Every partial and parent tag, in source order, filled by `parse()`.
    private(set) var inclusions: [MustacheInclusion] = []
    /// The last position turned into line:column, so that successive lookups scan forward only.
    private var tracked = (offset: 0, line: 1, column: 1)

    mutating func parse() throws -> [MustacheTemplate.Node] {
        var scopes: [OpenScope] = []
        var nodes: [MustacheTemplate.Node] = []
        var position = 0
        var textStart = 0
        var segmentStartsLine = true
        let count = bytes.count

        func append(_ node: MustacheTemplate.Node) {
            if scopes.isEmpty { Self.appendMerging(node, to: &nodes) } else { Self.appendMerging(node, to: &scopes[scopes.count - 1].nodes) }
        }

        while let tagStart = find(open, from: position) {
            var cursor = tagStart + open.count
            guard cursor <= count else { break }
            let sigil: UInt8? = cursor < count ? bytes[cursor] : nil
            let kind: TagKind
            var contentStart = cursor
            let contentEnd: Int
            let tagEnd: Int
            switch sigil {
            case UInt8(ascii: "{"):
                kind = .variable(escaped: false)
                contentStart = cursor + 1
                guard let end = find([UInt8(ascii: "}")] + close, from: contentStart) else {
                    throw error(.unclosedTag, at: tagStart, "tag is not closed: expected `}\(String(decoding: close, as: UTF8.self))`")
                }
                contentEnd = end
                tagEnd = end + 1 + close.count
            case UInt8(ascii: "="):
                kind = .setDelimiters
                contentStart = cursor + 1
                guard let end = find([UInt8(ascii: "=")] + close, from: contentStart) else {
                    throw error(.unclosedTag, at: tagStart, "set-delimiters tag is not closed: expected `=\(String(decoding: close, as: UTF8.self))`")
                }
                contentEnd = end
                tagEnd = end + 1 + close.count
            default:
                switch sigil {
                case UInt8(ascii: "&"): kind = .variable(escaped: false); cursor += 1
                case UInt8(ascii: "#"): kind = .section; cursor += 1
                case UInt8(ascii: "^"): kind = .inverted; cursor += 1
                case UInt8(ascii: "/"): kind = .close; cursor += 1
                case UInt8(ascii: "!"): kind = .comment; cursor += 1
                case UInt8(ascii: ">"): kind = .partial; cursor += 1
                case UInt8(ascii: "<"): kind = .parent; cursor += 1
                case UInt8(ascii: "$"): kind = .block; cursor += 1
                default: kind = .variable(escaped: true)
                }
                contentStart = cursor
                guard let end = find(close, from: contentStart) else {
                    throw error(.unclosedTag, at: tagStart, "tag is not closed: expected `\(String(decoding: close, as: UTF8.self))`")
                }
                contentEnd = end
                tagEnd = end + close.count
            }

            // Standalone lines: a tag other than an interpolation alone on its line takes the line with it.
            var standalone = false
            var lineBegin = tagStart
            var resume = tagEnd
            if case .variable = kind {} else {
                while lineBegin > textStart, bytes[lineBegin - 1] == 0x20 || bytes[lineBegin - 1] == 0x09 { lineBegin -= 1 }
                let startsLine = lineBegin > textStart ? bytes[lineBegin - 1] == 0x0A : segmentStartsLine
                if startsLine {
                    var after = tagEnd
                    while after < count, bytes[after] == 0x20 || bytes[after] == 0x09 { after += 1 }
                    if after == count {
                        standalone = true
                        resume = after
                    } else if bytes[after] == 0x0A {
                        standalone = true
                        resume = after + 1
                    } else if bytes[after] == 0x0D, after + 1 < count, bytes[after + 1] == 0x0A {
                        standalone = true
                        resume = after + 2
                    }
                }
            }
            let textEnd = standalone ? lineBegin : tagStart
            if textEnd > textStart { append(.text(string(textStart, textEnd))) }
            let indentation = standalone ? string(lineBegin, tagStart) : ""

            let rawContent = string(contentStart, contentEnd)
            let content = rawContent.mustacheTrimmed()
            switch kind {
            case .comment:
                break
            case .setDelimiters:
                let parts = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                guard parts.count == 2, !parts[0].contains("="), !parts[1].contains("=") else {
                    throw error(.badDelimiters, at: tagStart, "set-delimiters tag needs two delimiters separated by a space, like `{{=<% %>=}}`")
                }
                open = Array(parts[0].utf8)
                close = Array(parts[1].utf8)
            case .variable(let escaped):
                let value = try name(content, at: tagStart)
                record(value, at: tagStart, scopes: scopes)
                append(.variable(value, escaped: escaped))
            case .partial:
                guard !content.isEmpty else { throw error(.emptyName, at: tagStart, "partial tag has no name") }
                let dynamic = content.hasPrefix("*")
                let partialName = dynamic ? String(content.dropFirst()).mustacheTrimmed() : content
                recordInclusion(.partial, name: partialName, dynamic: dynamic, at: tagStart)
                append(.partial(partialName, dynamic: dynamic, indentation: indentation))
            case .section, .inverted, .parent, .block:
                guard !content.isEmpty else { throw error(.emptyName, at: tagStart, "section tag has no name") }
                var dynamic = false
                if case .parent = kind {
                    dynamic = content.hasPrefix("*")
                    let parentName = dynamic ? String(content.dropFirst()).mustacheTrimmed() : content
                    recordInclusion(.parent, name: parentName, dynamic: dynamic, at: tagStart)
                }
                let value: MustacheName
                switch kind {
                case .section, .inverted:
                    value = try name(content, at: tagStart)
                    record(value, at: tagStart, scopes: scopes)
                default: value = MustacheName(parts: [])
                }
                scopes.append(
                    OpenScope(
                        kind: kind, name: content, nameValue: value, dynamic: dynamic,
                        indentation: indentation, offset: tagStart))
            case .close:
                guard let scope = scopes.popLast() else {
                    throw error(.unexpectedClose, at: tagStart, "`/\(Self.shown(content))` closes a section that was never opened")
                }
                guard scope.name == content else {
                    let (line, column) = lineColumn(scope.offset)
                    throw error(
                        .mismatchedClose, at: tagStart,
                        "`/\(Self.shown(content))` does not match the open section `\(Self.shown(scope.name))` (opened at \(line):\(column)); expected `/\(Self.shown(scope.name))`")
                }
                switch scope.kind {
                case .section: append(.section(scope.nameValue, scope.nodes, inverted: false))
                case .inverted: append(.section(scope.nameValue, scope.nodes, inverted: true))
                case .block: append(.block(scope.name, scope.nodes))
                case .parent:
                    var overrides: [String: [MustacheTemplate.Node]] = [:]
                    for node in scope.nodes {
                        if case .block(let blockName, let children) = node { overrides[blockName] = children }
                    }
                    let parentName = scope.dynamic ? String(scope.name.dropFirst()).mustacheTrimmed() : scope.name
                    append(.parent(parentName, dynamic: scope.dynamic, indentation: scope.indentation, overrides: overrides))
                default: break
                }
            }
            position = resume
            textStart = resume
            segmentStartsLine = standalone
        }
        if textStart < count { append(.text(string(textStart, count))) }
        if let scope = scopes.last {
            throw error(.unclosedSection, at: scope.offset, "section `\(Self.shown(scope.name))` is never closed: expected `\(String(decoding: open, as: UTF8.self))/\(Self.shown(scope.name))\(String(decoding: close, as: UTF8.self))`")
        }
        return nodes
    }

    private mutating func record(_ name: MustacheName, at offset: Int, scopes: [OpenScope]) {
        guard !name.isImplicit else { return }
        let insideSection = scopes.contains { if case .section = $0.kind { true } else { false } }
        let (line, column) = trackedLineColumn(offset)
        references.append(MustacheReference(path: name.parts, insideSection: insideSection, line: line, column: column))
    }

    private mutating func recordInclusion(_ kind: MustacheInclusion.Kind, name: String, dynamic: Bool, at offset: Int) {
        let (line, column) = trackedLineColumn(offset)
        inclusions.append(MustacheInclusion(kind: kind, name: name, dynamic: dynamic, line: line, column: column))
    }

    private mutating func trackedLineColumn(_ offset: Int) -> (Int, Int) {
        if offset < tracked.offset { tracked = (0, 1, 1) }
        var (index, line, column) = tracked
        while index < offset {
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        tracked = (offset, line, column)
        return (line, column)
    }

    private static func appendMerging(_ node: MustacheTemplate.Node, to nodes: inout [MustacheTemplate.Node]) {
        if case .text(let new) = node, case .text(let old)? = nodes.last {
            nodes[nodes.count - 1] = .text(old + new)
        } else {
            nodes.append(node)
        }
    }

    private func name(_ content: String, at offset: Int) throws -> MustacheName {
        if content == "." { return MustacheName(parts: []) }
        guard !content.isEmpty else { throw error(.emptyName, at: offset, "tag has no name") }
        let parts = content.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else {
            throw error(.emptyName, at: offset, "`\(Self.shown(content))` has an empty part between dots")
        }
        return MustacheName(parts: parts)
    }

    /// A tag's content in an error message: short and sanitised (`ErrorExcerpt`); a template may be
    /// printed to a CI log and must not be quoted whole.
    private static func shown(_ content: String) -> String {
        ErrorExcerpt.text(content) ?? "…"
    }

    private func string(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
        let first = needle[0]
        var index = start
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    private func lineColumn(_ offset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        for index in 0..<min(offset, bytes.count) {
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private func error(_ code: MustacheSyntaxError.Code, at offset: Int, _ message: String) -> MustacheSyntaxError {
        let (line, column) = lineColumn(offset)
        return MustacheSyntaxError(code: code, line: line, column: column, message: message)
    }
}

fileprivate extension String {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    func mustacheTrimmed() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
