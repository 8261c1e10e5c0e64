import Foundation
import KAMCore
import KAMTesting
import Testing

/// `AssembledContext.encodedJSON()` writes exactly JSONEncoder's bytes (the API's settings) for real contexts at
/// every budget and for hand-made ones holding every awkward string and number.
@Suite("Assembled context JSON")
struct AssembledContextJSONTests {
    private func foundation(_ context: AssembledContext) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(context)
    }

    private func expectSameBytes(_ context: AssembledContext, _ comment: Comment) throws {
        let fast = try context.encodedJSON()
        let expected = try foundation(context)
        let shown = "\(comment): \(String(decoding: fast.prefix(400), as: UTF8.self)) vs "
            + String(decoding: expected.prefix(400), as: UTF8.self)
        #expect(fast == expected, Comment(rawValue: shown))
    }

    @Test func assembledContextsAtEveryBudgetMatchJSONEncoder() throws {
        let whole = try #require(try ContextFixtures.assemble().context)
        try expectSameBytes(whole, "no budget")
        #expect(whole.budget == nil)
        // Budgets from the profile alone to everything: dropped items with and without a token count.
        var sawDropped = false
        for budget in stride(from: whole.totalTokens, through: 1, by: -7) {
            guard let context = try ContextFixtures.assemble(budget: budget).context else { continue }
            sawDropped = sawDropped || !context.dropped.isEmpty
            try expectSameBytes(context, "budget \(budget)")
        }
        #expect(sawDropped)
    }

    @Test func aContextReassembledAtAnotherInstantIsWrittenAsAFreshOne() throws {
        for budget in [nil, 60] as [Int?] {
            var context = try #require(try ContextFixtures.assemble(budget: budget).context)
            let encoded = try context.encodedJSON()
            for seconds: TimeInterval in [0, 1, 59.5, 86_400 * 400] {
                context.assembledAt = ContextFixtures.now.addingTimeInterval(seconds)
                let rewritten = AssembledContext.encodedJSON(encoded, reassembledAt: context.assembledAt)
                #expect(rewritten == (try context.encodedJSON()), "budget \(String(describing: budget)), +\(seconds) s")
            }
        }
        let now = ContextFixtures.now
        #expect(AssembledContext.encodedJSON(Data("{\"assembledAt\":\"x\"}".utf8), reassembledAt: now) == nil)
        #expect(AssembledContext.encodedJSON(Data("{\"activityDays\":30,\"budget\":1}".utf8), reassembledAt: now) == nil)
        #expect(AssembledContext.encodedJSON(Data("{\"activityDays\":30,\"assembledAt\":\"2025".utf8), reassembledAt: now) == nil)
    }

    @Test func awkwardStringsAndNumbersMatchJSONEncoder() throws {
        var awkward = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        awkward += ["\"", "\\", "/", "</untrusted>", "é", "e\u{301}", "😀", "\u{7F}", "\u{2028}", "\u{FEFF}", ""]
        awkward += HostileText.variants
        let numbers: [Double] = [0, -0.0, 1, -1, 0.79, 156_549, 1.5, 0.1 + 0.2, 123_456.789, -42.25, 1e15, 1e-5, 2e20]
        var fields: [String: JSONValue] = [:]
        for (index, text) in awkward.enumerated() {
            fields["k\(index)"] = .string(text)
            fields[text.isEmpty ? "empty" : "key " + text] = .int(Int64(index))
        }
        for (index, number) in numbers.enumerated() { fields["n\(index)"] = .double(number) }
        fields["nested"] = .array([.null, .bool(true), .bool(false), .int(-7), .object(["b": .int(1), "B": .int(2), "a_b": .null])])
        for (index, text) in awkward.enumerated() {
            let item = ContextItem(id: "x:\(index)", text: text + "\n", tokens: index, fields: .object(fields))
            let context = AssembledContext(
                clientID: "c/\(text)", clientName: text, assembledAt: Date(timeIntervalSince1970: 1_750_000_000.5),
                activityDays: 30, budget: index % 2 == 0 ? nil : 100 + index,
                sections: [ContextSection(kind: .memory, header: "## " + text + "\n", headerTokens: 3, items: [item])],
                text: text, totalTokens: index,
                dropped: [DroppedContextItem(section: .activities, itemID: "a:\(index)", tier: .activity, tokens: index % 3 == 0 ? nil : index)])
            try expectSameBytes(context, "string \(index) \(text.unicodeScalars.map { $0.value })")
        }
    }
}
