import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import Testing

@testable import KAMServer

/// What the routes accept agrees with what the OpenAPI document says they accept: days and times (the `date` and
/// `date-time` formats), page cursors (the `PageCursor` pattern) and `null` body fields (allowed nowhere).
@Suite struct RequestParsingTests {
    @Test func daysAndTimesAreExactlyRFC3339() throws {
        let day = try #require(RFC3339.date("2026-03-01"))
        #expect(day == Date(timeIntervalSince1970: 1_772_323_200))
        #expect(RFC3339.date("2026-03-01T00:00:00Z") == day)
        #expect(RFC3339.date("2026-03-01t00:00:00z") == day)
        #expect(RFC3339.date("2026-03-01T02:30:00+02:30") == day)
        #expect(RFC3339.date("2026-02-28T23:00:00-01:00") == day)
        #expect(RFC3339.date("2026-03-01T00:00:00.25Z") == day.addingTimeInterval(0.25))
        #expect(RFC3339.date("2024-02-29") != nil)
        #expect(RFC3339.date("0001-01-01T00:00:00.123456Z") != nil)
        for text in [
            "", "2026", "2026-3-01", "2026-13-01", "2026-00-10", "2026-01-00", "2026-04-31", "2023-02-29", "1900-02-29",
            "2026-01-01T24:00:00Z", "2026-01-01T10:60:00Z", "2026-01-01T10:00:60Z", "2026-01-01T10:00:00",
            "2026-01-01T10:00:00+24:00", "2026-01-01T10:00:00+0100", "2026-01-01 10:00:00Z", "2026-01-01T10:00:00.Z",
            " 2026-01-01", "2026-01-01x", "２０２６-01-01", "yesterday",
        ] {
            #expect(RFC3339.date(text) == nil, "\(text)")
        }
        #expect(throws: APIError.self) { try Request.date("2026-02-30", field: "until") }
    }

    /// The `PageCursor` pattern of the served document.
    static func cursorPattern() throws -> NSRegularExpression {
        let document = try OpenAPIDocument.bundled().json
        let pattern = try #require(document["components"]?["parameters"]?["PageCursor"]?["schema"]?["pattern"]?.stringValue)
        return try NSRegularExpression(pattern: pattern)
    }

    /// Whether `regex` matches all of `text`, as JSON Schema reads a pattern anchored with `^...$` (ICU's `$` would
    /// also match before a final newline).
    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        let whole = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, range: whole)?.range == whole
    }

    @Test func everyCursorAListGivesMatchesTheDocumentedPatternAndNothingElseIsTaken() throws {
        let regex = try Self.cursorPattern()
        var offsets = Array(0...1_200)
        var power = 1
        for _ in 1...17 {
            power *= 10
            offsets += [power - 1, power, power + 7]
        }
        for offset in offsets {
            let cursor = try #require(PageRequest(limit: 1, offset: offset).page(fetched: [0, 1]).next)
            #expect(Self.matches(regex, cursor), "\(offset): \(cursor)")
            #expect(try PageRequest(limit: 3, cursor: cursor).offset == offset + 1)
        }
        // Other spellings of an offset (leading zeros, padding, standard base64, spare bits) and other texts are refused,
        // and none of them matches the pattern either.
        func base64url(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        for cursor in [
            "", "bzo", "bzow==", "bzoxMA==", "bzoxMB", base64url("o:01"), base64url("o:-1"), base64url("o: 1"), base64url("o:1 "),
            base64url("x:1"), base64url("o:1234567890123456789"), "bzox\n", "abc", "bzowMA",
        ] {
            #expect(throws: RuntimeError.self, "\(cursor)") { try PageRequest(cursor: cursor) }
            #expect(!Self.matches(regex, cursor), "\(cursor)")
        }
    }

    @Test func aNullBodyFieldIsRefusedNamingIt() throws {
        struct Body: Decodable {
            var hint: String?
            var kind: String?
            var ids: [String]?
            var parameters: [String: JSONValue]?
        }
        #expect(try KAMRequestDecoder.decode(Body.self, from: Data(#"{"kind":"x"}"#.utf8)).kind == "x")
        // A field the body does not read may be null: it is ignored, as any unknown field.
        #expect(try KAMRequestDecoder.decode(Body.self, from: Data(#"{"kind":"x","other":null}"#.utf8)).kind == "x")
        for (text, field) in [
            (#"{"hint":null}"#, "hint"), (#"{"kind":"x","hint":null,"other":null}"#, "hint"), (#"{"ids":null}"#, "ids"),
            (#"{"parameters":null,"a":null}"#, "parameters"), (#"{"a":null,"kind":null}"#, "kind"),
        ] {
            do {
                _ = try KAMRequestDecoder.decode(Body.self, from: Data(text.utf8))
                Issue.record("\(text) was taken")
            } catch let error as APIError {
                #expect(error.status == .badRequest)
                #expect(error.code == "request.invalid-json")
                #expect(error.field == field)
            }
        }
    }
}
