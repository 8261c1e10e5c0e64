/// Walks a compiled template's nodes over a context stack and appends the output.
struct MustacheRenderer {
    let escaping: MustacheTemplate.Escaping
    let partials: MustachePartials?
    /// Guards against a partial that includes itself with the same data forever.
    private var depth = 0
    private static let maximumDepth = 256

    init(escaping: MustacheTemplate.Escaping, partials: MustachePartials?) {
        self.escaping = escaping
        self.partials = partials
    }

    mutating func render(
        _ nodes: [MustacheTemplate.Node], stack: inout [JSONValue], blocks: [String: [MustacheTemplate.Node]],
        into output: inout String
    ) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .variable(let name, let escaped):
                guard let value = Self.resolve(name, in: stack) else { continue }
                if escaped, escaping == .html {
                    Self.appendEscaped(value, to: &output)
                } else {
                    Self.append(value, to: &output)
                }
            case .section(let name, let children, let inverted):
                let value = Self.resolve(name, in: stack)
                if inverted {
                    if !Self.isTruthy(value) { render(children, stack: &stack, blocks: blocks, into: &output) }
                    continue
                }
                guard let value, Self.isTruthy(value) else { continue }
                if case .array(let items) = value {
                    for item in items {
                        stack.append(item)
                        render(children, stack: &stack, blocks: blocks, into: &output)
                        stack.removeLast()
                    }
                } else {
                    stack.append(value)
                    render(children, stack: &stack, blocks: blocks, into: &output)
                    stack.removeLast()
                }
            case .partial(let name, let dynamic, let indentation):
                guard let partialName = partialName(name, dynamic: dynamic, stack: stack),
                    let nodes = partials?.nodes(named: partialName, indentation: indentation), depth < Self.maximumDepth
                else { continue }
                depth += 1
                render(nodes, stack: &stack, blocks: blocks, into: &output)
                depth -= 1
            case .parent(let name, let dynamic, let indentation, let overrides):
                guard let partialName = partialName(name, dynamic: dynamic, stack: stack),
                    let nodes = partials?.nodes(named: partialName, indentation: indentation), depth < Self.maximumDepth
                else { continue }
                // The outermost override of a block wins.
                let merged = overrides.merging(blocks) { _, outer in outer }
                depth += 1
                render(nodes, stack: &stack, blocks: merged, into: &output)
                depth -= 1
            case .block(let name, let children):
                render(blocks[name] ?? children, stack: &stack, blocks: blocks, into: &output)
            }
        }
    }

    private func partialName(_ name: String, dynamic: Bool, stack: [JSONValue]) -> String? {
        guard dynamic else { return name }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let key = name == "." ? MustacheName(parts: []) : MustacheName(parts: parts)
        if case .string(let resolved)? = Self.resolve(key, in: stack) { return resolved }
        return nil
    }

    /// Looks the first part of a dotted name up the context stack, then the rest inside what it found.
    @inline(__always)
    static func resolve(_ name: MustacheName, in stack: [JSONValue]) -> JSONValue? {
        let parts = name.parts
        guard let first = parts.first else { return stack.last }
        var index = stack.count - 1
        var found: JSONValue?
        while index >= 0 {
            if case .object(let fields) = stack[index], let value = fields[first] {
                found = value
                break
            }
            index -= 1
        }
        guard var value = found else { return nil }
        var partIndex = 1
        while partIndex < parts.count {
            switch value {
            case .object(let fields):
                guard let next = fields[parts[partIndex]] else { return nil }
                value = next
            case .array(let items):
                // `list.0` is the first item (as in mustache.js): lets a template test "has items".
                guard let position = Int(parts[partIndex]), items.indices.contains(position) else { return nil }
                value = items[position]
            default:
                return nil
            }
            partIndex += 1
        }
        return value
    }

    /// False, null, the empty list and the empty string are false; everything else is true.
    ///
    /// The empty string is false (as in mustache.js) so that `{{#hint}}Hint: {{hint}}{{/hint}}` drops
    /// the line when a prompt input is given as `""`.
    static func isTruthy(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?, .bool(false)?: return false
        case .array(let items)?: return !items.isEmpty
        case .string(let text)?: return !text.isEmpty
        default: return true
        }
    }

    static func append(_ value: JSONValue, to output: inout String) {
        switch value {
        case .string(let text): output += text
        case .int(let number): output += String(number)
        case .double(let number): output += format(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: break
        case .array, .object: output += compactJSON(value)
        }
    }

    static func appendEscaped(_ value: JSONValue, to output: inout String) {
        let text: String
        switch value {
        case .string(let string): text = string
        default:
            var plain = ""
            append(value, to: &plain)
            text = plain
        }
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else {
            output += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            default: output.unicodeScalars.append(scalar)
            }
        }
    }

    /// `3` rather than `3.0` for whole numbers; Swift's shortest round-trip form otherwise.
    static func format(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }

    /// Arrays and objects interpolate as compact JSON with sorted keys, so output is deterministic.
    static func compactJSON(_ value: JSONValue) -> String {
        var out = ""
        func write(_ value: JSONValue) {
            switch value {
            case .null: out += "null"
            case .bool(let flag): out += flag ? "true" : "false"
            case .int(let number): out += String(number)
            case .double(let number): out += format(number)
            case .string(let text): writeString(text)
            case .array(let items):
                out += "["
                for (index, item) in items.enumerated() {
                    if index > 0 { out += "," }
                    write(item)
                }
                out += "]"
            case .object(let fields):
                out += "{"
                for (index, key) in fields.keys.sorted().enumerated() {
                    if index > 0 { out += "," }
                    writeString(key)
                    out += ":"
                    write(fields[key]!)
                }
                out += "}"
            }
        }
        func writeString(_ text: String) {
            out += "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            out += "\""
        }
        write(value)
        return out
    }
}
