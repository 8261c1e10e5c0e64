import KAMCore

/// libFuzzer entry point for the Mustache parser and renderer every prompt goes through.
///
/// The context holds each kind of value under the names fuzzed templates are likely to use; lists
/// have at most one item, so nested sections cannot multiply the output. Invariants: rendering is
/// deterministic, and a template without `{{` renders as its own text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMustache(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let template = try? MustacheTemplate(source) else { return 0 }
    let first = template.render(context, escaping: .none)
    let html = template.render(context, escaping: .html)
    precondition(template.render(context, escaping: .none) == first, "two renders of one template differ")
    // Bytes, not Characters: `{` followed by a combining mark is one Character, and not `{`.
    let bytes = Array(source.utf8)
    if !zip(bytes, bytes.dropFirst()).contains(where: { $0 == UInt8(ascii: "{") && $1 == UInt8(ascii: "{") }) {
        precondition(first == source && html == source, "a template without tags changed: \(source.debugDescription)")
    }
    return 0
}

private let context: JSONValue = .object([
    "a": .string("<b>&\"'</b>"),
    "b": .bool(true),
    "c": .bool(false),
    "n": .int(-7),
    "x": .double(2.5),
    "z": .null,
    "name": .string("Jane\u{0}Lee"),
    "items": .array([.object(["name": .string("one"), "a": .int(1)])]),
    "none": .array([]),
    "o": .object(["a": .object(["b": .string("deep")]), "name": .string("inner")]),
])
