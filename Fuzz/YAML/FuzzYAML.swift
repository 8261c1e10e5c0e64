@testable import KAMCore
import Yams

/// libFuzzer entry point for `YAMLReader.compose`, the one way KAM reads YAML, with its limits.
///
/// The limits are checked on libyaml's events before Yams builds a tree; the invariant is that they
/// agree with the tree: whatever `compose` accepts has at most `maxNodes` values and at most
/// `maxDepth` nesting once every alias is expanded. Small limits make the fuzzer reach them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let root = try? YAMLReader.compose(text, file: "fuzz.yaml", limits: limits) else { return 0 }
    var walk = Walk()
    walk.visit(root, depth: 0)
    precondition(
        walk.nodes <= limits.maxNodes && walk.depth <= limits.maxDepth && walk.bytes <= limits.maxExpandedBytes,
        "accepted past the limits: \(walk.nodes) values, depth \(walk.depth), \(walk.bytes) bytes\n\(text)")
    _ = try? YAMLReader.load(text, file: "fuzz.yaml", limits: limits)
    return 0
}

private let limits = YAMLLimits(
    maxBytes: 64 << 10, maxScalarBytes: 4 << 10, maxDepth: 12, maxAnchors: 16, maxAliases: 32, maxNodes: 500,
    maxExpandedBytes: 16 << 10)

/// Counts the expanded tree, stopping just past the limits so a missed alias bomb cannot hang the walk.
private struct Walk {
    var nodes = 0
    var bytes = 0
    var depth = 0

    mutating func visit(_ node: Node, depth level: Int) {
        guard nodes <= limits.maxNodes, bytes <= limits.maxExpandedBytes, level <= limits.maxDepth else { return }
        nodes += 1
        switch node {
        case .scalar(let scalar):
            bytes += scalar.string.utf8.count
        case .mapping(let mapping):
            depth = max(depth, level + 1)
            for (key, value) in mapping {
                visit(key, depth: level + 1)
                visit(value, depth: level + 1)
            }
        case .sequence(let sequence):
            depth = max(depth, level + 1)
            for item in sequence { visit(item, depth: level + 1) }
        case .alias:
            break
        }
    }
}
