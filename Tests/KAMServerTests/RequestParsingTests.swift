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

    /// Whether `text` is what the document's string schema `name` (its pattern and `maxLength`, counted in code points
    /// as JSON Schema counts) allows.
    static func documentAllows(_ name: String, _ text: String) throws -> Bool {
        let schema = try #require(try OpenAPIDocument.bundled().json["components"]?["schemas"]?[name])
        let regex = try NSRegularExpression(pattern: try #require(schema["pattern"]?.stringValue))
        let maxLength = try #require(schema["maxLength"]?.intValue)
        return Int64(text.unicodeScalars.count) <= maxLength && matches(regex, text)
    }

    /// The document's email and domain schemas and the runtime's `EmailSyntax` agree, lengths included: both count
    /// characters, so schemathesis never sends a long non-ASCII address the document allows and the server refuses.
    @Test func emailAndDomainSchemasAgreeWithTheRuntime() throws {
        func run(_ scalar: String, _ count: Int) -> String { String(repeating: scalar, count: count) }
        let labels = ["acme", "müller", "a-b", run("a", 63), run("ü", 63), run("a", 64), run("ü", 64), "-a", "a-", "a_b", "a b",
            "a\u{A0}b", "a\u{3000}b", "a\u{85}", "日本", "𝒶𝒷"]
        let locals = ["jane", "o'brien+tag", "a.b", run("a", 64), run("é", 64), run("𝒶", 64), run("a", 65), run("é", 65), ".a",
            "a.", "a..b", "a b", "a\u{2028}", "\u{A0}", "a\u{9F}", "jörg", "\"q\"", "a(b)"]
        var addresses = locals.flatMap { local in labels.flatMap { ["\(local)@\($0)", "\(local)@\($0).example"] } }
        // 254 characters in all, then 255.
        let b = run("b", 63)
        addresses += ["", "@acme", "jane@", "jane", "a@b@c", run("a", 64) + "@\(b).\(b).\(run("b", 61))", run("a", 64) + "@\(b).\(b).\(run("b", 62))"]
        for address in addresses {
            #expect(try Self.documentAllows("ClientsEmailAddress", address) == EmailSyntax.isValid(address), "\(address)")
        }
        var domains = labels + labels.map { "\($0).example" } + ["", "a..b", ".a", "a.", "x@y"]
        domains += ["\(b).\(b).\(b).\(run("b", 60))", "\(b).\(b).\(b).\(run("b", 61))", "\(run("ü", 63)).\(run("ü", 63))"]  // 252, 253
        for domain in domains {
            // The client's domain rule (`ClientService`): an address's domain, with no '@' of its own.
            let runtime = !domain.contains("@") && EmailSyntax.isValid("x@" + domain)
            #expect(try Self.documentAllows("ClientsEmailDomain", domain) == runtime, "\(domain)")
        }
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
