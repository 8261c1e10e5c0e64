import KAMCore

/// YAML documents built to go over one of `YAMLLimits`' limits, for tests of every place KAM reads YAML.
///
/// Alias bombs ("billion laughs") of several widths, depths and shapes (in lists, in mappings, as a
/// mapping key, through a merge key), nesting deeper than allowed (flow and block, and through an alias),
/// values longer than allowed in every scalar style, too many anchors or aliases, aliases of long values
/// and a text over the size limit. Every document is a top-level mapping, so it stands where any YAML file
/// is expected, and each says which limit it goes over and on which lines that can be found.
///
/// For example:
///
///     for bomb in HostileYAML.cases() {
///         #expect(throws: ConfigurationError.self) { try KAMConfiguration.parse(bomb.text, file: "kam.yaml") }
///     }
public enum HostileYAML {
    public struct Case: Sendable, CustomStringConvertible {
        public var name: String
        public var text: String
        public var limit: YAMLLimits.Limit
        /// The 1-based lines of `text` where going over the limit can be detected; nil for the input size,
        /// which has no line.
        public var lines: ClosedRange<Int>?

        public var description: String { name }
    }

    /// Where the repetition of an alias bomb sits.
    public enum BombShape: String, Sendable, CaseIterable {
        /// `a2: &a2 [*a1, *a1, …]`
        case flowSequence
        /// `a2: &a2` then `  - *a1` lines.
        case blockSequence
        /// `a2: &a2 {k0: *a1, k1: *a1, …}`
        case flowMapping
        /// The top level as a complex key, `? *a9`: Yams hashes keys, which walks the whole expansion.
        case mappingKey
        /// `boom: {<<: *a9}`: a merge key copies the expansion.
        case mergeKey
    }

    /// Every case, sized for `limits`.
    public static func cases(limits: YAMLLimits = .default) -> [Case] {
        var cases: [Case] = []
        for width in [2, 3, 5, 10, 16, 50] {
            for shape in BombShape.allCases { cases.append(aliasBomb(width: width, shape: shape, limits: limits)) }
        }
        for depth in [limits.maxDepth + 1, limits.maxDepth * 2, 999, 3_000] {
            cases.append(nested(depth: depth, open: "[", close: "]", name: "flow lists"))
            cases.append(nested(depth: depth, open: "{a: ", close: "}", name: "flow mappings"))
            cases.append(nested(depth: depth, open: "- ", close: "", name: "block lists"))
        }
        cases.append(blockMappings(depth: limits.maxDepth + 1))
        cases.append(blockMappings(depth: limits.maxDepth * 3))
        cases.append(deepThroughAlias(limits: limits))
        for style in ScalarStyle.allCases { cases.append(longValue(style: style, limits: limits)) }
        cases.append(manyAnchors(limits: limits))
        cases.append(manyAliases(flow: false, limits: limits))
        cases.append(manyAliases(flow: true, limits: limits))
        cases.append(aliasesOfLongValue(limits: limits))
        cases.append(tooLarge(limits: limits))
        return cases
    }

    /// `a0` holds `width` scalars, each next level `width` aliases of the one before, deep enough that the
    /// whole expands to more than `limits.maxNodes` values.
    public static func aliasBomb(width: Int, shape: BombShape, limits: YAMLLimits = .default) -> Case {
        var levels = 1
        var expanded = width
        while expanded <= limits.maxNodes {
            expanded *= width
            levels += 1
        }
        let items = { (item: String) in Array(repeating: item, count: width) }
        var lines = ["a0: &a0 [" + items("lol").joined(separator: ", ") + "]"]
        for level in 1..<levels {
            let alias = "*a\(level - 1)"
            switch shape {
            case .flowSequence, .mappingKey, .mergeKey:
                lines.append("a\(level): &a\(level) [" + items(alias).joined(separator: ", ") + "]")
            case .blockSequence:
                lines.append("a\(level): &a\(level)")
                lines += items("  - " + alias)
            case .flowMapping:
                let pairs = (0..<width).map { "k\($0): \(alias)" }
                lines.append("a\(level): &a\(level) {" + pairs.joined(separator: ", ") + "}")
            }
        }
        switch shape {
        case .mappingKey:
            lines += ["? *a\(levels - 1)", ": boom"]
        case .mergeKey:
            lines.append("boom: {<<: *a\(levels - 1)}")
        default:
            lines.append("boom: *a\(levels - 1)")
        }
        return Case(
            name: "alias bomb, width \(width), \(levels) levels, \(shape.rawValue)", text: lines.joined(separator: "\n") + "\n",
            limit: .nodes, lines: 1...lines.count)
    }

    /// `depth` collections nested on one line: `[[[x]]]`, `{a: {a: x}}`, `- - - x`.
    static func nested(depth: Int, open: String, close: String, name: String) -> Case {
        let text = "deep: " + (close.isEmpty ? "\n  " : "") + String(repeating: open, count: depth) + "x"
            + String(repeating: close, count: depth) + "\n"
        return Case(name: "\(depth) nested \(name)", text: text, limit: .depth, lines: 1...2)
    }

    /// `depth` block mappings, each indented one more space.
    static func blockMappings(depth: Int) -> Case {
        var text = ""
        for level in 0..<depth { text += String(repeating: " ", count: level) + "k:\n" }
        text += String(repeating: " ", count: depth) + "x\n"
        return Case(name: "\(depth) nested block mappings", text: text, limit: .depth, lines: 1...depth + 1)
    }

    /// Two nestings each within the depth limit, one holding an alias of the other.
    static func deepThroughAlias(limits: YAMLLimits) -> Case {
        let half = limits.maxDepth / 2 + 1
        let text = "inner: &inner " + String(repeating: "[", count: half) + "x" + String(repeating: "]", count: half)
            + "\nouter: " + String(repeating: "[", count: half) + "*inner" + String(repeating: "]", count: half) + "\n"
        return Case(name: "nesting deeper than allowed through an alias", text: text, limit: .depth, lines: 2...2)
    }

    public enum ScalarStyle: String, Sendable, CaseIterable {
        case plain, doubleQuoted, singleQuoted, literal, folded
    }

    /// One value a little longer than `limits.maxScalarBytes`, written in `style`.
    static func longValue(style: ScalarStyle, limits: YAMLLimits) -> Case {
        let value = String(repeating: "laugh", count: limits.maxScalarBytes / 5 + 2)
        let text: String
        switch style {
        case .plain: text = "name: x\nlong: \(value)\n"
        case .doubleQuoted: text = "name: x\nlong: \"\(value)\"\n"
        case .singleQuoted: text = "name: x\nlong: '\(value)'\n"
        case .literal: text = "name: x\nlong: |\n  \(value)\n"
        case .folded: text = "name: x\nlong: >\n  \(value)\n"
        }
        return Case(name: "a \(style.rawValue) value of \(value.utf8.count) bytes", text: text, limit: .scalarBytes, lines: 2...3)
    }

    /// One anchor more than allowed, one a line: the last is on line `maxAnchors + 1`.
    static func manyAnchors(limits: YAMLLimits) -> Case {
        let count = limits.maxAnchors + 1
        let text = (0..<count).map { "k\($0): &k\($0) v\($0)\n" }.joined()
        return Case(name: "\(count) anchors", text: text, limit: .anchors, lines: count...count)
    }

    /// One alias more than allowed, of a one-word value; in block style the last is on line `maxAliases + 3`.
    static func manyAliases(flow: Bool, limits: YAMLLimits) -> Case {
        let count = limits.maxAliases + 1
        let text =
            flow
            ? "a: &a v\nl: [" + Array(repeating: "*a", count: count).joined(separator: ", ") + "]\n"
            : "a: &a v\nl:\n" + String(repeating: "  - *a\n", count: count)
        return Case(
            name: "\(count) aliases (\(flow ? "flow" : "block"))", text: text, limit: .aliases,
            lines: flow ? 2...2 : (count + 2)...(count + 2))
    }

    /// A value half the longest allowed, aliased until the text it stands for passes `maxExpandedBytes`.
    static func aliasesOfLongValue(limits: YAMLLimits) -> Case {
        let length = limits.maxScalarBytes / 2
        let count = limits.maxExpandedBytes / length + 1
        let text = "s: &s " + String(repeating: "y", count: length) + "\nl:\n" + String(repeating: "  - *s\n", count: count)
        return Case(
            name: "\(count) aliases of a \(length)-byte value", text: text, limit: .expandedBytes, lines: 3...count + 2)
    }

    /// A text one line longer than `limits.maxBytes`, of comments.
    static func tooLarge(limits: YAMLLimits) -> Case {
        let line = "# a comment line that only takes room\n"
        let text = "name: x\n" + String(repeating: line, count: limits.maxBytes / line.utf8.count + 1)
        return Case(name: "\(text.utf8.count) bytes of text", text: text, limit: .bytes, lines: nil)
    }
}
