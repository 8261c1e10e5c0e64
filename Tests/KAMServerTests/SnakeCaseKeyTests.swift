import Foundation
import KAMCore
import Testing

@testable import KAMServer

/// The API's snake_case keys are Foundation's, but for an acronym's plural, which stays one word.
@Suite struct SnakeCaseKeyTests {
    /// What Foundation's `.convertToSnakeCase` makes of `key`, read back from an encoded object.
    static func foundation(_ key: String) throws -> String {
        struct Probe: Encodable {
            let key: String
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: IndexKey.self)
                try container.encode(1, forKey: IndexKey(stringValue: key))
            }
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(Probe(key: key))) as? [String: Any]
        return try #require(object?.keys.first)
    }

    @Test("every key without an acronym's plural is what Foundation makes of it", arguments: [
        "id", "clientID", "userID", "draftID", "myURLProperty", "HTTPServer", "VIP", "AB", "ID", "v2Draft", "draft2Body",
        "_private", "trailing_", "__both__", "already_snake", "Decision makers", "éclair", "naïveValue", "ÉtéCase", "isOK",
        "okURL", "urlsCount", "s", "S", "SS", "aSs", "lowerCaseS", "openRate", "decisionMakerClicked", "x1Y2",
        "with space", "dash-case", "dot.key", "URLSession", "callToAction", "receivedAt", "isUsed", "sendsAs",
    ])
    func likeFoundation(_ key: String) throws {
        #expect(SnakeCaseKey.convert(key) == (try Self.foundation(key)))
    }

    @Test("an acronym's plural is one word, where Foundation split it", arguments: [
        ("clickedURLs", "clicked_urls", "clicked_ur_ls"), ("taskIDs", "task_ids", "task_i_ds"),
        ("URLsCount", "urls_count", "u_r_ls_count"), ("theIDs", "the_ids", "the_i_ds"), ("userIDsSeen", "user_ids_seen", "user_i_ds_seen"),
        ("idsOfURLs", "ids_of_urls", "ids_of_ur_ls"), ("DNSs", "dnss", "d_n_ss"), ("HTTPs2", "https2", "h_tt_ps2"),
    ])
    func pluralAcronyms(_ key: String, _ expected: String, _ foundation: String) throws {
        #expect(SnakeCaseKey.convert(key) == expected)
        #expect(try Self.foundation(key) == foundation)
    }

    @Test("the API's strategy converts member names and leaves array positions alone")
    func strategy() throws {
        struct Clicks: Encodable {
            var clickedURLs = ["https://kam.example/pricing"]
            var decisionMakerClicked = true
        }
        let text = String(decoding: try JSONResponse.encode([Clicks()], keys: .snakeCase), as: UTF8.self)
        #expect(text == #"[{"clicked_urls":["https://kam.example/pricing"],"decision_maker_clicked":true}]"#)
    }
}
