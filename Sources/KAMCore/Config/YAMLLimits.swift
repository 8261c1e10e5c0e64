/// How much a YAML document may hold before KAM refuses to read it.
///
/// A YAML alias (`*name`) stands for the whole subtree its anchor (`&name`) marks, so a file of a few
/// hundred bytes can stand for billions of values (the "billion laughs" file): turning it into values,
/// hashing a key made of it or walking it takes unbounded time and memory. `YAMLReader.compose`, the one
/// way KAM reads YAML (kam.yaml, price overrides, eval suites, prompt front matter, labels.yaml, CSV
/// mappings), checks these limits on libyaml's event stream before any tree is built, counting what each
/// alias repeats, so a refused file costs one pass over its text.
///
/// The defaults are far above what KAM's own files need (the largest shipped file is a few kilobytes
/// with no aliases).
///
/// For example:
///
///     let root = try YAMLReader.compose(text, file: "kam.yaml", limits: YAMLLimits(maxAliases: 10))
public struct YAMLLimits: Sendable, Hashable {
    /// One of the limits, named as in error messages (`limit max-aliases`).
    public enum Limit: String, Sendable, Hashable, CaseIterable {
        case bytes = "max-bytes"
        case scalarBytes = "max-scalar-bytes"
        case depth = "max-depth"
        case anchors = "max-anchors"
        case aliases = "max-aliases"
        case nodes = "max-nodes"
        case expandedBytes = "max-expanded-bytes"
    }

    /// Where a document went over a limit; the `underlying` error of the `ConfigurationError` thrown.
    public struct Exceeded: Error, Sendable, Hashable, CustomStringConvertible {
        public var limit: Limit
        /// The limit's value.
        public var maximum: Int
        /// 1-based position of the event that went over it (nil for the input size).
        public var line: Int?
        public var column: Int?
        /// What went over it and what to do, for a person.
        public var message: String

        public var description: String { message }
    }

    /// Bytes of UTF-8 text.
    public var maxBytes: Int
    /// Bytes of one value (a scalar).
    public var maxScalarBytes: Int
    /// Lists and mappings nested in one another, counting what aliases bring in.
    public var maxDepth: Int
    /// Anchors (`&name`).
    public var maxAnchors: Int
    /// Aliases (`*name`).
    public var maxAliases: Int
    /// Values (scalars, lists, mappings) with every alias expanded.
    public var maxNodes: Int
    /// Bytes of scalar text with every alias expanded.
    public var maxExpandedBytes: Int

    public init(
        maxBytes: Int = 4 << 20, maxScalarBytes: Int = 1 << 20, maxDepth: Int = 64, maxAnchors: Int = 256,
        maxAliases: Int = 1_024, maxNodes: Int = 100_000, maxExpandedBytes: Int = 8 << 20
    ) {
        self.maxBytes = maxBytes
        self.maxScalarBytes = maxScalarBytes
        self.maxDepth = maxDepth
        self.maxAnchors = maxAnchors
        self.maxAliases = maxAliases
        self.maxNodes = maxNodes
        self.maxExpandedBytes = maxExpandedBytes
    }

    public static let `default` = YAMLLimits()

    /// The value of `limit`.
    public func maximum(_ limit: Limit) -> Int {
        switch limit {
        case .bytes: maxBytes
        case .scalarBytes: maxScalarBytes
        case .depth: maxDepth
        case .anchors: maxAnchors
        case .aliases: maxAliases
        case .nodes: maxNodes
        case .expandedBytes: maxExpandedBytes
        }
    }

    /// The error for going over `limit` (`found` is the size reached, when known), saying what to do.
    func exceeded(_ limit: Limit, found: Int? = nil, line: Int? = nil, column: Int? = nil) -> Exceeded {
        let maximum = maximum(limit)
        let what: String
        let advice: String
        switch limit {
        case .bytes:
            what = "the YAML text is \(found ?? maximum + 1) bytes, more than the \(maximum) KAM reads"
            advice = "split the file or remove what it does not need"
        case .scalarBytes:
            what = "a single value of \(found ?? maximum + 1) bytes, more than \(maximum)"
            advice = "keep long text in a separate file"
        case .depth:
            what = "lists and mappings nested more than \(maximum) deep (counting what aliases bring in)"
            advice = "flatten the structure"
        case .anchors:
            what = "more than \(maximum) anchors (&name)"
            advice = "write the values out instead of sharing them"
        case .aliases:
            what = "more than \(maximum) aliases (*name)"
            advice = "write the values out instead of repeating them through aliases"
        case .nodes:
            what = "more than \(maximum) values once aliases are expanded; an alias here repeats a large part of"
                + " the file, as in a \"billion laughs\" file that would take unbounded memory"
            advice = "write the values out or use fewer aliases"
        case .expandedBytes:
            what = "more than \(maximum) bytes of text once aliases are expanded"
            advice = "write the values out or use fewer aliases of long values"
        }
        return Exceeded(
            limit: limit, maximum: maximum, line: line, column: column,
            message: "refused: \(what) (YAML limit \(limit.rawValue)); \(advice)")
    }
}
