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

    @Test("a ceiling tightens the schema's own string bounds for the grammar, never below a minLength")
    func aCeilingTightensTheGrammarsBounds() throws {
        let schema = try JSONValue.parse("""
            {"type":"object","properties":{
              "subject":{"type":"string","maxLength":120},
              "body":{"type":"string","maxLength":2000},
              "long":{"type":"string","minLength":400,"maxLength":900},
              "free":{"type":"string"},
              "facts":{"type":"array","items":{"type":"string","maxLength":5000}}}}
            """)
        let bounded = SchemaBounds(maxLength: 1000, maxItems: 20, ceiling: 300).apply(to: schema)
        let properties = try #require(bounded["properties"])
        #expect(properties["subject"]?["maxLength"] == .int(120))
        #expect(properties["body"]?["maxLength"] == .int(300))
        #expect(properties["long"]?["maxLength"] == .int(400))
        #expect(properties["free"]?["maxLength"] == .int(300))
        #expect(properties["facts"]?["items"]?["maxLength"] == .int(300))
        // Without a ceiling the schema's bounds stay as written.
        #expect(SchemaBounds().apply(to: schema)["properties"]?["body"]?["maxLength"] == .int(2000))
    }

    @Test("a number bounded within a span of 2 is its values a tenth apart for the grammar; wider or unbounded ones stay")
    func boundedNumbersBecomeTheirSteps() throws {
        let schema = try JSONValue.parse("""
            {"type":"object","properties":{
              "sentiment":{"type":"number","minimum":-1,"maximum":1},
              "confidence":{"type":"number","minimum":0,"maximum":1},
              "amount":{"type":"number","minimum":0,"maximum":1000000},
              "open":{"type":"number","minimum":0},
              "score":{"type":"integer","minimum":0,"maximum":100}}}
            """)
        let properties = try #require(SchemaBounds().apply(to: schema)["properties"])
        let sentiment = try #require(properties["sentiment"]?["enum"]?.arrayValue)
        #expect(sentiment.count == 21 && sentiment.first == .double(-1) && sentiment.last == .double(1))
        #expect(sentiment.contains(.double(0)) && sentiment.contains(.double(-0.3)))
        #expect(properties["confidence"]?["enum"]?.arrayValue?.count == 11)
        #expect(properties["amount"]?["enum"] == nil && properties["open"]?["enum"] == nil && properties["score"]?["enum"] == nil)
        // Every step is valid under the original bounds.
        for value in sentiment { #expect((-1.0...1.0).contains(value.doubleValue ?? 9)) }
    }
}
