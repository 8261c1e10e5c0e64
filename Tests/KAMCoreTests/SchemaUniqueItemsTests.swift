import Testing

@testable import KAMCore

/// `uniqueItems` hashes items with JSON Schema's equality: generated arrays against a pairwise reference.
@Suite("SchemaUniqueItems")
struct SchemaUniqueItemsTests {
    typealias Generator = SplitMix64

    /// A small random JSON value; numbers are drawn from few values so that equal ones are common.
    static func randomValue(_ g: inout Generator, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth < 2 ? 9 : 6), using: &g) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .int(Int64.random(in: -2...2, using: &g))
        case 3: return .double([0.0, -0.0, 1.0, 1.5, 2.0, -1.0].randomElement(using: &g)!)
        case 4: return .string(["", "a", "b", "é", "e\u{0301}", "1"].randomElement(using: &g)!)
        case 5: return .int(Int64.random(in: 0...1, using: &g))
        case 6, 7:
            var fields: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &g) {
                fields[["a", "b", "c"].randomElement(using: &g)!] = randomValue(&g, depth: depth + 1)
            }
            return .object(fields)
        default:
            return .array((0..<Int.random(in: 0...3, using: &g)).map { _ in randomValue(&g, depth: depth + 1) })
        }
    }

    /// The same value written differently: integers as doubles and back, objects rebuilt in another key order.
    static func respelled(_ value: JSONValue, _ g: inout Generator) -> JSONValue {
        switch value {
        case .int(let i): return Bool.random(using: &g) ? .double(Double(i)) : value
        case .double(let d): return Int64(exactly: d).map { Bool.random(using: &g) ? .int($0) : value } ?? value
        case .array(let items): return .array(items.map { respelled($0, &g) })
        case .object(let fields):
            var rebuilt: [String: JSONValue] = [:]
            for key in fields.keys.shuffled(using: &g) { rebuilt[key] = respelled(fields[key]!, &g) }
            return .object(rebuilt)
        default: return value
        }
    }

    static func pairwiseDuplicate(_ items: [JSONValue]) -> Bool {
        for i in items.indices {
            for j in items.indices where j > i && items[i].jsonEquals(items[j]) { return true }
        }
        return false
    }

    @Test("generated arrays: the hash-based check agrees with pairwise jsonEquals")
    func agreesWithPairwise() throws {
        let schema = try JSONSchema(["uniqueItems": true])
        var g = Generator(seed: 99)
        var duplicates = 0
        for round in 0..<600 {
            var items = (0..<Int.random(in: 0...25, using: &g)).map { _ in Self.randomValue(&g) }
            if round % 3 == 0, !items.isEmpty {
                // A respelled copy of one item at a random position.
                let copy = Self.respelled(items.randomElement(using: &g)!, &g)
                items.insert(copy, at: Int.random(in: 0...items.count, using: &g))
            }
            let expected = !Self.pairwiseDuplicate(items)
            #expect(schema.isValid(.array(items)) == expected, "\(JSONValue.array(items).compactJSONText)")
            if let (i, j) = UniqueItems.firstDuplicate(in: items) {
                duplicates += 1
                #expect(i < j && items[i].jsonEquals(items[j]))
                #expect(!Self.pairwiseDuplicate(Array(items[..<j])), "the pair must be the first by its later index")
            }
        }
        #expect(duplicates > 200)
    }

    static let equalityCases: [(JSONValue, Bool)] = {
        let nested1: JSONValue = .object(["a": .int(1), "b": .array([.double(2), .object(["c": .int(3)])])])
        let nested2: JSONValue = .object(["b": .array([.int(2), .object(["c": .double(3)])]), "a": .double(1)])
        return [
            (.array([.int(1), .double(1.0)]), false),
            (.array([nested1, nested2]), false),
            (.array([.int(0), .bool(false)]), true),
            (.array([.int(1), .bool(true)]), true),
            (.array([.null, .int(0)]), true),
            (.array([.string("1"), .int(1)]), true),
            (.array([.array([.int(1)]), .int(1)]), true),
            (.array([.object(["a": .int(1)]), .object(["a": .int(1), "b": .int(1)])]), true),
            (.array([.double(1.5), .int(1)]), true),
            (.array([.string("é"), .string("e\u{0301}")]), true),
            (.array([.double(0.0), .double(-0.0)]), false),
            (.array([.int(9_007_199_254_740_993), .double(9_007_199_254_740_992.0)]), true),
            (.array([.array([]), .object([:])]), true),
        ]
    }()

    @Test("JSON Schema equality: numbers by value, objects by members, strings by code points", arguments: equalityCases)
    func equality(items: JSONValue, unique: Bool) throws {
        #expect(try JSONSchema(["uniqueItems": true]).isValid(items) == unique, "\(items.compactJSONText)")
    }

    @Test("30,000 objects: a respelled duplicate at a random position is found, and its pair named")
    func largeArray() throws {
        let schema = try JSONSchema(["type": "array", "uniqueItems": true])
        var items: [JSONValue] = (0..<30_000).map { i in
            ["id": .int(Int64(i)), "name": .string("client \(i % 97)"), "tags": ["a", .int(Int64(i % 5))], "score": .double(Double(i) / 4)]
        }
        #expect(schema.isValid(.array(items)))
        var g = Generator(seed: 5)
        let original = Int.random(in: 0..<30_000, using: &g)
        let position = Int.random(in: 0...items.count, using: &g)
        items.insert(Self.respelled(items[original], &g), at: position)
        let issues = schema.validate(.array(items))
        let first = min(original < position ? original : original + 1, position)
        let second = max(original < position ? original : original + 1, position)
        #expect(issues.map(\.message) == ["items \(first) and \(second) are equal; every item must be unique"])
    }
}
