import Testing

@testable import KAMCore

/// Mapping keys that are lists or mappings (`{[a]: b}`, found by fuzz-yaml) are refused with their
/// position instead of trapping inside Yams.
@Suite struct YAMLComplexKeyTests {
    @Test(arguments: ["{[a]: b}", "? [a]\n: b\n", "x:\n  ? {k: v}\n  : 1\n", "- {[1, 2]: 3}\n", "a: [{? [x] : y}]\n"])
    func aListOrMappingKeyIsAnErrorWithItsPosition(_ text: String) throws {
        #expect(throws: ConfigurationError.self) { try YAMLReader.load(text, file: "mapping.yaml") }
        do {
            _ = try YAMLReader.load(text, file: "mapping.yaml")
        } catch {
            #expect(error.description.contains("mapping.yaml:"))
            #expect(error.description.contains("a mapping key must be a plain value"))
        }
    }

    @Test func plainKeysStillLoad() throws {
        let value = try YAMLReader.load("a: 1\nb: [x, {c: d}]\n", file: "ok.yaml") as? [String: Any]
        #expect(value?["a"] as? Int == 1)
    }
}
