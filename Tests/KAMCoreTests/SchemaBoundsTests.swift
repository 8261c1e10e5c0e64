import KAMCore
import Testing

/// Bounds added to the schema a grammar-constrained server gets: only where the author left none, never looser.
@Suite struct SchemaBoundsTests {
    @Test func unboundedStringsAndArraysGetTheDefaultsAtEveryLevel() throws {
        let schema = try JSONValue.parse("""
            {"type":"object","properties":{
              "subject":{"type":"string","maxLength":120},
              "body":{"type":"string"},
              "tone":{"type":"string","enum":["friendly","formal"]},
              "due":{"type":"string","format":"date"},
              "note":{"type":["string","null"]},
              "facts":{"type":"array","items":{"type":"object","properties":{"fact":{"type":"string"}}}},
              "tags":{"type":"array","maxItems":3,"items":{"type":"string","maxLength":5000}},
              "either":{"anyOf":[{"type":"string"},{"$ref":"#/$defs/x"}]}},
             "$defs":{"x":{"type":"array","items":{"type":"string"}}}}
            """)
        let bounded = SchemaBounds(maxLength: 300, maxItems: 8).apply(to: schema)
        let properties = try #require(bounded["properties"])
        #expect(properties["subject"]?["maxLength"] == .int(120))
        #expect(properties["body"]?["maxLength"] == .int(300))
        #expect(properties["tone"]?["maxLength"] == nil)
        #expect(properties["due"]?["maxLength"] == nil)
        #expect(properties["note"]?["maxLength"] == .int(300))
        #expect(properties["facts"]?["maxItems"] == .int(8))
        #expect(properties["facts"]?["items"]?["properties"]?["fact"]?["maxLength"] == .int(300))
        #expect(properties["tags"]?["maxItems"] == .int(3))
        #expect(properties["tags"]?["items"]?["maxLength"] == .int(5000))
        #expect(properties["either"]?["anyOf"]?.arrayValue?.first?["maxLength"] == .int(300))
        #expect(bounded["$defs"]?["x"]?["maxItems"] == .int(8))
        #expect(bounded["$defs"]?["x"]?["items"]?["maxLength"] == .int(300))
    }
}
