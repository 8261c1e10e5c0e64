import Foundation
import KAMCore
import KAMTesting
import Testing

/// Client identification through relays: every sender variant of `SenderVariants` (exact, case,
/// plus-addressing, subdomain, new person, Reply-To, Sender, X-Original-From, Resent-From, forwarded and
/// quoted originals) matches its client, and no unknown, look-alike or free-mail stranger ever matches.
@Suite struct SenderIdentificationTests {
    static let variants = SenderVariants()

    struct Score {
        var shouldMatch = 0
        var matched = 0
        var falseMatches: [String] = []
        var missed: [String] = []
        var rate: Double { shouldMatch == 0 ? 0 : Double(matched) / Double(shouldMatch) }
    }

    static func score() throws -> Score {
        let matcher = ClientMatcher(directory: variants.directory)
        var score = Score()
        for variant in variants.all {
            let match = try matcher.match(try EmailParser().parse(variant.raw))
            if let expected = variant.expectedClientID {
                score.shouldMatch += 1
                if match.clientID == expected {
                    score.matched += 1
                } else if let got = match.clientID {
                    score.falseMatches.append("\(variant.kind) → \(got), not \(expected)")
                } else {
                    score.missed.append("\(variant.kind) (\(expected)): \(match.reason)")
                }
            } else if let got = match.clientID {
                score.falseMatches.append("\(variant.kind) → \(got): \(match.reason)")
            }
        }
        return score
    }

    @Test func atLeast99PercentOfVariantsMatchAndNoStrangerDoes() throws {
        let score = try Self.score()
        print("sender identification: \(score.matched)/\(score.shouldMatch) matched "
            + "(\(String(format: "%.1f", score.rate * 100)) %), \(score.falseMatches.count) false matches, "
            + "\(Self.variants.all.count - score.shouldMatch) strangers")
        #expect(score.shouldMatch >= 300)
        #expect(Self.variants.all.count - score.shouldMatch >= 150)
        #expect(score.rate >= 0.99, "missed: \(score.missed.prefix(10))")
        #expect(score.falseMatches.isEmpty, "\(score.falseMatches.prefix(10))")
    }

    static func match(_ lines: [String], body: String = "Hello") throws -> EmailClientMatch {
        let raw = (lines + ["Subject: x", "Message-ID: <t@x>", "", body]).joined(separator: "\r\n")
        return try ClientMatcher(directory: variants.directory).match(try EmailParser().parse(raw))
    }

    @Test func aRelayMatchRecordsItsHeaderReasonAndALowerConfidence() throws {
        let relay = try Self.match(["From: noreply@tickets.relay.example", "Reply-To: Jane <jane.smith@acme.example>"])
        #expect(relay.clientID == "acme")
        #expect(relay.method == .contactEmail)
        #expect(relay.via == .replyTo)
        #expect(relay.confidence == 0.9)
        #expect(relay.reason.contains("Reply-To jane.smith@acme.example"))
        #expect(relay.reason.contains("sends for others"))

        let direct = try Self.match(["From: jane.smith@acme.example", "Reply-To: hank@globex.com"])
        #expect(direct.clientID == "acme")
        #expect(direct.via == .from)
        #expect(direct.confidence == 1.0)

        let tagged = try Self.match(["From: jane.smith+orders@acme.example"])
        #expect(tagged.method == .contactEmail)
        #expect(tagged.confidence == 0.95)

        let quoted = try Self.match(
            ["From: maria.lopez@kam.example", "To: tom@kam.example"],
            body: "---------- Forwarded message ---------\nFrom: Jane <jane.smith@acme.example>\n\nHi")
        #expect(quoted.clientID == "acme")
        #expect(quoted.via == .quotedFrom)
        #expect(quoted.direction == .inbound)
        #expect(quoted.reason.hasPrefix("forwarded by maria.lopez@kam.example"))
    }

    @Test func aPersonAtAClientDomainWinsOverARelayHeaderAndFreeMailNeverMatchesByDomain() throws {
        // A person at a client's domain is that client, whatever their Reply-To says.
        let person = try Self.match(["From: new.hire@globex.com", "Reply-To: someone@unknown.example"])
        #expect(person.clientID == "globex")
        #expect(person.method == .emailDomain)
        // A Reply-To at a free-mail domain that is nobody's contact identifies nothing.
        let free = try Self.match(["From: noreply@relay.example", "Reply-To: jane.smith@gmail.com"])
        #expect(free.clientID == nil)
        #expect(free.method == .unmatched)
    }

    @Test func relayHeadersAreReadAndKeptOnTheMessage() throws {
        let raw = [
            "From: noreply@relay.example", "Reply-To: =?UTF-8?Q?Jos=C3=A9?= <JOSE@Acme.Example>, b@x.example",
            "Sender: s@x.example", "X-Original-From: o@x.example", "Resent-From: r@x.example", "Subject: x", "", "b",
        ].joined(separator: "\r\n")
        let relay = try #require(try EmailParser().parse(raw).relay)
        #expect(relay.replyTo.map(\.address) == ["jose@acme.example", "b@x.example"])
        #expect(relay.replyTo.first?.name == "José")
        #expect(relay.sender?.address == "s@x.example")
        #expect(relay.originalFrom?.address == "o@x.example")
        #expect(relay.resentFrom?.address == "r@x.example")
        #expect(try EmailParser().parse("From: a@b.example\r\nSubject: x\r\n\r\nb").relay == nil)
    }

    @Test func aQuotedFromCountsOnlyRightAfterAForwardMarker() {
        #expect(QuotedOriginal.from("Hi\nFrom: jane@acme.example\n") == nil)
        #expect(QuotedOriginal.from("-----Original Message-----\nFrom: J [mailto:j@a.example]")?.address == "j@a.example")
        #expect(QuotedOriginal.from("-------- Forwarded Message --------\n1\n2\n3\n4\n5\n6\n7\nFrom: j@a.example") == nil)
    }
}
