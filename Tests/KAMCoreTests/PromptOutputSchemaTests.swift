import Foundation
import Testing

@testable import KAMCore
import KAMResources

/// Each shipped prompt's output schema and its Swift `Codable` type agree field by field.
@Suite("Prompt output schemas")
struct PromptOutputSchemaTests {
    static let promptIDs = [
        "draft.follow-up-email", "draft.check-in", "draft.deal-update", "draft.task-reminder", "analysis.inbound-email",
        "analysis.needs", "suggestions.next-best-actions", "plan.daily-review", "analysis.client-intelligence",
        "analysis.team-coaching", "prompt.refine", "analysis.campaign-insights",
    ]

    /// Fields a later version added, which the type reads as empty when absent: an analysis stored by an earlier
    /// version has none (its schema, like every version's, is checked before decoding).
    static let addedLater: [String: Set<String>] = ["analysis.inbound-email": ["objections", "competitors"]]

    /// A JSON value the schema accepts, every property present.
    static func sample(_ schema: JSONValue) -> JSONValue {
        if case .array(let values)? = schema["enum"], let first = values.first { return first }
        let type: String
        switch schema["type"] {
        case .string(let name)?: type = name
        case .array(let names)?: type = names.first?.stringValue ?? "null"
        default: type = "null"
        }
        switch type {
        case "object":
            var object: [String: JSONValue] = [:]
            for (key, property) in schema["properties"]?.objectValue ?? [:] { object[key] = sample(property) }
            return .object(object)
        case "array": return .array([sample(schema["items"] ?? .null)])
        case "string": return "text"
        case "integer": return .int(schema["minimum"]?.intValue ?? 1)
        case "number": return .double(schema["minimum"]?.doubleValue ?? 0.5)
        case "boolean": return true
        default: return .null
        }
    }

    /// Paths (keys, with `[0]` for array items) of every object in `value`.
    static func objectPaths(_ value: JSONValue, _ path: [String] = []) -> [[String]] {
        switch value {
        case .object(let fields):
            return [path] + fields.flatMap { objectPaths($0.value, path + [$0.key]) }
        case .array(let items):
            return items.first.map { objectPaths($0, path + ["[0]"]) } ?? []
        default: return []
        }
    }

    static func modify(_ value: JSONValue, at path: ArraySlice<String>, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
        guard let head = path.first else {
            guard case .object(var fields) = value else { return value }
            change(&fields)
            return .object(fields)
        }
        switch value {
        case .object(var fields):
            fields[head] = modify(fields[head] ?? .null, at: path.dropFirst(), change)
            return .object(fields)
        case .array(var items) where !items.isEmpty:
            items[0] = modify(items[0], at: path.dropFirst(), change)
            return .array(items)
        default: return value
        }
    }

    static func decodes(_ type: any PromptOutput.Type, _ value: JSONValue) -> Bool {
        guard let data = try? JSONEncoder().encode(value) else { return false }
        return (try? JSONDecoder().decode(type, from: data)) != nil
    }

    /// Every enum in the schema, as (path to the object holding it, key, values).
    static func enums(_ schema: JSONValue, _ path: [String] = []) -> [([String], String, [JSONValue])] {
        var out: [([String], String, [JSONValue])] = []
        for (key, property) in schema["properties"]?.objectValue ?? [:] {
            if case .array(let values)? = property["enum"] { out.append((path, key, values)) }
            out += enums(property, path + [key])
            if let items = property["items"] {
                if case .array(let values)? = items["enum"] { out.append((path, key, values)) }
                out += enums(items, path + [key, "[0]"])
            }
        }
        return out
    }

    @Test("schema and Swift type agree", arguments: promptIDs)
    func schemaMatchesType(promptID: String) throws {
        let template = try PromptRegistry(directory: PromptTestSupport.shippedPrompts).load(PromptReference(promptID: promptID))
        let schema = try #require(template.outputSchema)
        let type = try #require(PromptOutputTypes.type(for: promptID))
        let valid = Self.sample(schema)

        // Every required field decodes, and the type writes back exactly the schema's fields.
        let data = try JSONEncoder().encode(valid)
        let decoded = try JSONDecoder().decode(type, from: data)
        let reencoded = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(decoded))
        #expect(Self.objectPaths(reencoded).map { $0.joined(separator: ".") }.sorted() == Self.objectPaths(valid).map { $0.joined(separator: ".") }.sorted())
        for path in Self.objectPaths(valid) {
            // An extra field anywhere is rejected.
            let extra = Self.modify(valid, at: path[...]) { $0["unexpected_field"] = "x" }
            #expect(!Self.decodes(type, extra), "\(promptID): extra field at \(path) was accepted")
            // Every property of the schema is required by the type.
            var fieldsHere: [String] = []
            _ = Self.modify(valid, at: path[...]) { fieldsHere = Array($0.keys) }
            for key in fieldsHere where !(path.isEmpty && Self.addedLater[promptID]?.contains(key) == true) {
                let missing = Self.modify(valid, at: path[...]) { $0[key] = nil }
                #expect(!Self.decodes(type, missing), "\(promptID): missing \(path + [key]) was accepted")
            }
        }
        // Every enum value the schema allows decodes.
        for (path, key, values) in Self.enums(schema) {
            for value in values {
                let variant = Self.modify(valid, at: path[...]) { fields in
                    if case .array = fields[key] { fields[key] = .array([value]) } else { fields[key] = value }
                }
                #expect(Self.decodes(type, variant), "\(promptID): \(path + [key]) = \(value) was rejected")
            }
        }
    }

    @Test("a draft answer decodes into the draft content the lifecycle stores")
    func draftOutput() throws {
        let json = #"{"subject":"Inspection","body":"Hi Dana","call_to_action":"Reply by Friday?","tone":"friendly","facts_used":[{"fact":"inspection on 2025-03-12","source":"activity 2025-03-02"}]}"#
        let draft = try JSONDecoder().decode(DraftOutput.self, from: Data(json.utf8))
        #expect(draft.content == DraftContent(subject: "Inspection", body: "Hi Dana", callToAction: "Reply by Friday?"))
        #expect(draft.factsUsed == [DraftFact(fact: "inspection on 2025-03-12", source: "activity 2025-03-02")])
        let misspelled = json.replacingOccurrences(of: "call_to_action", with: "callToAction")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DraftOutput.self, from: Data(misspelled.utf8)) }
    }
}
