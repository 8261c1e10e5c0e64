import Foundation
import Synchronization

/// A Mustache template compiled once into a node tree and rendered many times.
///
/// KAM renders every prompt through this engine rather than a reflection-based library because a
/// draft renders on every model call and evaluation case: parsing happens once per prompt version,
/// and a render is a walk over prebuilt nodes with a `JSONValue` context stack. It implements the
/// core Mustache specification (interpolation, sections, inverted sections, comments, partials and
/// set delimiters, with the standalone-line rules) plus the optional inheritance (`{{<parent}}`,
/// `{{$block}}`) and dynamic-name (`{{>*name}}`) extensions. Lambdas are not supported: contexts
/// are JSON data.
///
/// Two escaping modes exist: `.html` (the spec's default, used by the conformance suite) and
/// `.none` (prompts: a model reads text, and `&amp;` in a prompt would be noise).
public struct MustacheTemplate: Sendable {
    /// How `{{name}}` interpolations are escaped; `{{{name}}}` and `{{&name}}` never are.
    public enum Escaping: Sendable {
        case html
        case none
    }

    indirect enum Node: Sendable {
        case text(String)
        case variable(MustacheName, escaped: Bool)
        case section(MustacheName, [Node], inverted: Bool)
        case partial(String, dynamic: Bool, indentation: String)
        /// `{{<parent}}`: the blocks overridden inside it, keyed by block name.
        case parent(String, dynamic: Bool, indentation: String, overrides: [String: [Node]])
        case block(String, [Node])
    }

    let nodes: [Node]
    /// The template text as written, kept so that partials can be re-indented.
    public let source: String

    /// Compiles `source`.
    ///
    /// - Throws: `MustacheSyntaxError` with the line and column of the first problem.
    public init(_ source: String) throws {
        self.source = source
        var parser = MustacheParser(source: source)
        self.nodes = try parser.parse()
        self.referencedNames = parser.references
        self.inclusions = parser.inclusions
    }

    /// Every partial and parent tag, with its position (prompt files refuse them).
    public let inclusions: [MustacheInclusion]

    /// Every name the template reads, in source order, with whether it is read inside a section
    /// that pushes a new context (where it may be a field of the section's item) and its position.
    /// Inverted sections do not push a context.
    public let referencedNames: [MustacheReference]

    /// Renders the template against `context`.
    ///
    /// - Parameters:
    ///   - context: the root of the context stack.
    ///   - escaping: `.none` for prompts, `.html` for HTML.
    ///   - partials: where `{{>name}}` finds its templates; a missing partial renders as nothing, as the spec says.
    public func render(_ context: JSONValue, escaping: Escaping = .none, partials: MustachePartials? = nil) -> String {
        render(stack: [context], escaping: escaping, partials: partials)
    }

    /// Renders with a prebuilt context stack, last frame first in lookups (prompts put defaults and
    /// fenced values in a small frame over the caller's variables instead of copying them).
    func render(stack frames: [JSONValue], escaping: Escaping, partials: MustachePartials? = nil) -> String {
        var renderer = MustacheRenderer(escaping: escaping, partials: partials)
        var stack = frames
        var output = ""
        output.reserveCapacity(source.utf8.count + 512)
        renderer.render(nodes, stack: &stack, blocks: [:], into: &output)
        return output
    }
}

/// A name in a tag: `.` (the implicit iterator) or a dotted path.
struct MustacheName: Sendable, Hashable {
    let parts: [String]
    var isImplicit: Bool { parts.isEmpty }
}

/// A name a template reads, for checking it against a prompt's declared inputs.
public struct MustacheReference: Sendable, Hashable {
    /// The dotted path split at the dots.
    public var path: [String]
    /// Whether the name appears inside a section, where it may be a field of the section's item.
    public var insideSection: Bool
    /// 1-based line of the tag in the template text.
    public var line: Int
    /// 1-based column of the tag.
    public var column: Int
}

/// Named partial templates, compiled on first use and cached per indentation.
///
/// A class with a `Mutex` because the cache is filled lazily while templates render (partials may be
/// recursive, so they cannot all be compiled up front), and one set of partials is shared by
/// concurrent renders.
public final class MustachePartials: Sendable {
    private let sources: [String: String]
    private let cache = Mutex<[String: [MustacheTemplate.Node]]>([:])

    public init(_ sources: [String: String]) {
        self.sources = sources
    }

    /// The compiled partial, indented by `indentation` on every line, or nil when there is no such
    /// partial or it does not compile.
    func nodes(named name: String, indentation: String) -> [MustacheTemplate.Node]? {
        let key = indentation + "\u{0}" + name
        if let cached = cache.withLock({ $0[key] }) { return cached }
        guard let source = sources[name] else { return nil }
        let indented = indentation.isEmpty ? source : MustachePartials.indent(source, by: indentation)
        var parser = MustacheParser(source: indented)
        guard let nodes = try? parser.parse() else { return nil }
        cache.withLock { $0[key] = nodes }
        return nodes
    }

    /// Prefixes every line of `source` with `indentation`, except after a final newline.
    static func indent(_ source: String, by indentation: String) -> String {
        var out = indentation
        var index = source.startIndex
        while index < source.endIndex {
            let character = source[index]
            out.append(character)
            index = source.index(after: index)
            if character == "\n" || character == "\r\n", index < source.endIndex { out += indentation }
        }
        return out
    }
}

/// A template that does not compile: where, and what was expected.
public struct MustacheSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case unclosedTag = "template.unclosed-tag"
        case unclosedSection = "template.unclosed-section"
        case unexpectedClose = "template.unexpected-close"
        case mismatchedClose = "template.mismatched-close"
        case emptyName = "template.empty-name"
        case badDelimiters = "template.bad-delimiters"
    }

    public var code: Code
    /// 1-based line in the template text.
    public var line: Int
    /// 1-based column (in characters).
    public var column: Int
    public var message: String

    public var description: String { "\(line):\(column): \(message)" }
}
