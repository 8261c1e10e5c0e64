import Testing

@testable import KAMCore

@Suite("SchemaValidation")
struct SchemaValidationTests {
    static let emailSchema: JSONValue = [
        "type": "object",
        "additionalProperties": false,
        "required": ["subject", "body", "tone"],
        "properties": [
            "subject": ["type": "string", "maxLength": 10],
            "body": ["type": "string", "maxLength": 20],
            "tone": ["enum": ["formal", "friendly"]],
            "facts": ["type": "array", "items": ["$ref": "#/$defs/fact"]],
        ],
        "$defs": ["fact": ["type": "object", "required": ["source"], "properties": ["source": ["type": "string", "pattern": "^deal:"]]]],
    ]

    @Test func issuesCarryInstanceAndKeywordLocations() throws {
        let schema = try JSONSchema(Self.emailSchema)
        let facts: JSONValue = [["source": "deal:1"], ["source": "task:2"], [:]]
        let instance: JSONValue = [
            "subject": "Hi", "body": .string(String(repeating: "é", count: 21)), "tone": "rude", "extra": 1, "facts": facts,
        ]
        let issues = schema.validate(instance)
        let rendered = issues.map { (issue: ValidationIssue) in issue.description }
        #expect(rendered.contains("/body: string is longer than 20 characters: it has 21 (maxLength)"))
        let tone = issues.first { (issue: ValidationIssue) in issue.instanceLocation == "/tone" }
        #expect(tone?.keyword == "enum")
        #expect(tone?.keywordLocation == "/properties/tone/enum")
        let extra = issues.first { (issue: ValidationIssue) in issue.instanceLocation == "/extra" }
        #expect(extra?.keyword == "additionalProperties")
        let source = issues.first { (issue: ValidationIssue) in issue.instanceLocation == "/facts/1/source" }
        #expect(source?.keywordLocation == "/properties/facts/items/$ref/properties/source/pattern")
        let missing = issues.first { (issue: ValidationIssue) in issue.instanceLocation == "/facts/2" }
        #expect(missing?.message == "required property 'source' is missing")
        #expect(issues.count == 5)
    }

    @Test func lengthCountsCodePointsNotBytes() throws {
        let schema = try JSONSchema(["maxLength": 2])
        #expect(schema.isValid("💩💩"))
        #expect(!schema.isValid("💩💩💩"))
    }

    @Test func numbersCompareByValue() throws {
        #expect(try JSONSchema(["const": 1]).isValid(.double(1.0)))
        #expect(try JSONSchema(["type": "integer"]).isValid(.double(2.0)))
        #expect(!(try JSONSchema(["type": "integer"]).isValid(.double(2.5))))
        #expect(try JSONSchema(["multipleOf": 0.01]).isValid(.double(0.07)))
        #expect(!(try JSONSchema(["multipleOf": 0.01]).isValid(.double(0.075))))
        #expect(!(try JSONSchema(["enum": [1, 2]]).isValid(true)))
    }

    @Test func badSchemasAreErrorsWithLocations() {
        #expect(throws: SchemaError.self) { try JSONSchema(["minLength": -1]) }
        do {
            _ = try JSONSchema(["properties": ["a": ["$ref": "#/$defs/missing"]]])
            Issue.record("an unresolved $ref must not compile")
        } catch {
            #expect(error.code == .unresolvedReference)
            #expect(error.schemaLocation.hasSuffix("#/properties/a/$ref"))
        }
        do {
            _ = try JSONSchema(["pattern": "(unclosed"])
            Issue.record("a bad pattern must not compile")
        } catch {
            #expect(error.code == .invalidPattern)
        }
    }

    @Test func ecmaPatternSemantics() throws {
        let digits = try JSONSchema(["pattern": "^\\d+$"])
        #expect(digits.isValid("123"))
        #expect(!digits.isValid("١٢٣"))  // Arabic-Indic digits are not \d in ECMA-262
        #expect(try JSONSchema(["pattern": "\\u0041"]).isValid("xAx"))
        #expect(try JSONSchema(["pattern": "b"]).isValid("abc"))  // not anchored
    }

    @Test func dynamicRefExtendsARecursiveSchema() throws {
        // A tree whose nodes are re-typed by the extending schema through $dynamicAnchor.
        let schema = try JSONSchema([
            "$id": "https://example.com/strict-tree",
            "$dynamicAnchor": "node",
            "$ref": "tree",
            "unevaluatedProperties": false,
            "$defs": [
                "tree": [
                    "$id": "tree", "$dynamicAnchor": "node", "type": "object",
                    "properties": ["data": true, "children": ["type": "array", "items": ["$dynamicRef": "#node"]]],
                ]
            ],
        ])
        #expect(schema.isValid(["children": [["data": 1]]]))
        let issues = schema.validate(["children": [["daat": 1]]])
        #expect(issues.map(\.instanceLocation) == ["/children/0/daat"])
    }
}
