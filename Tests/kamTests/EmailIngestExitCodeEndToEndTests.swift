import Foundation
import KAMCore
import Testing

/// `kam email ingest` with broken messages among good ones: the good ones are stored, the broken
/// ones are kept as failed intake, and the exit code (14) says that something failed.
@Suite("kam email ingest exit code end to end")
struct EmailIngestExitCodeEndToEndTests {
    /// The documented exit code of an ingest in which a message could not be parsed (README, Exit codes).
    static let someMessagesFailed: Int32 = 14

    /// Demo contacts a good message comes from (so it matches a client).
    static let senders = ["jane.smith@acme.example", "bob.lee@acme.example", "hank@globex.example", "li.wei@globex.example"]

    /// A message that parses: From, Subject, Message-ID, Date and a body.
    static func good(_ index: Int) -> String {
        """
        From: \(senders[index % senders.count])
        To: maria.lopez@kam.example
        Subject: Order question \(index)
        Message-ID: <good-\(index)@e2e.example>
        Date: Mon, 5 Jan 2026 10:\(String(format: "%02d", index % 60)):00 +0000

        Hello, a question about order \(index).
        """
    }

    /// A message the parser refuses, in one of several ways (the kind cycles with `index`).
    static func broken(_ index: Int) -> String {
        switch index % 5 {
        case 0:  // headers, but none of From, Subject or Message-ID
            return "X-Note: broken \(index)\nX-Other: nothing useful\n\nbody \(index)"
        case 1:  // multipart without a boundary
            return "From: jane.smith@acme.example\nSubject: broken \(index)\nContent-Type: multipart/mixed\n\nbody \(index)"
        case 2:  // a header line with no colon
            return "From: jane.smith@acme.example\nThis header line \(index) has no colon\n\nbody"
        case 3:  // a continuation line before any header
            return " folded \(index) before any header\nFrom: jane.smith@acme.example\n\nbody"
        default:  // no header lines at all: the message starts with its body
            return "\nJust a body \(index), no headers."
        }
    }

    /// An mbox of `good` and `broken` messages in a shuffled (but reproducible) order.
    static func mbox(good: Int, broken: Int, seed: UInt64) -> String {
        var messages = (0..<good).map { Self.good($0) } + (0..<broken).map { Self.broken($0) }
        var generator = SplitMix64(seed: seed)
        messages.shuffle(using: &generator)
        return messages.map { "From sender@example Mon Jan  5 10:00:00 2026\n\($0)\n" }.joined()
    }

    @Test("a mix of good and broken messages: good stored, broken kept as failed, exit 14", arguments: [
        (good: 12, broken: 5, seed: UInt64(1)), (good: 3, broken: 9, seed: 2), (good: 20, broken: 1, seed: 3),
        (good: 0, broken: 6, seed: 4),
    ])
    func mixedMbox(good: Int, broken: Int, seed: UInt64) async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let before = try workspace.count("inbound_emails")
        let file = try workspace.write("mixed.mbox", Self.mbox(good: good, broken: broken, seed: seed))
        let result = try await workspace.kam("email", "ingest", file.path, "--no-analysis")
        #expect(result.exitCode == Self.someMessagesFailed, "\(result)")
        #expect(result.stdout.contains("\(good + broken) messages: \(good) new, 0 duplicate, 0 unmatched, \(broken) failed"), "\(result)")
        #expect(result.stderr.contains("\(broken) message"), "\(result)")
        #expect(result.stderr.contains("failed intake"), "\(result)")
        #expect(try workspace.count("inbound_emails") == before + good + broken)
        #expect(try workspace.count("inbound_emails", where: "status = 'failed'") == broken)
        #expect(try workspace.count("inbound_emails", where: "status = 'new' AND message_id LIKE 'good-%'") == good)
        // Every failed intake keeps its raw bytes and the reason.
        for row in try workspace.rows("SELECT length(raw) AS raw_size, failure FROM inbound_emails WHERE status = 'failed'") {
            #expect(Int(row["raw_size"] ?? "0") ?? 0 > 0, "\(row)")
            #expect(row["failure"]?.isEmpty == false, "\(row)")
        }

        let listed = try await workspace.kam("email", "list", "--status", "failed", "--json")
        #expect(listed.exitCode == 0, "\(listed)")
        #expect(listed.jsonArray?.count == broken, "\(listed)")
    }

    @Test("only good messages: exit 0")
    func onlyGood() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let file = try workspace.write("good.mbox", Self.mbox(good: 8, broken: 0, seed: 5))
        let result = try await workspace.kam("email", "ingest", file.path, "--no-analysis")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("8 messages: 8 new, 0 duplicate, 0 unmatched, 0 failed"), "\(result)")
        #expect(try workspace.count("inbound_emails", where: "status = 'failed'") == 0)
    }

    @Test("each kind of broken message alone, as a single .eml: exit 14 and one failed intake")
    func singleBrokenMessages() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        for index in 0..<5 {
            let file = try workspace.write("broken-\(index).eml", Self.broken(index))
            let result = try await workspace.kam("email", "ingest", file.path, "--no-analysis", "--json")
            #expect(result.exitCode == Self.someMessagesFailed, "\(result)")
            let lines = try #require(result.jsonArray, "\(result)")
            #expect(lines.map { $0["status"] as? String } == ["failed"], "\(result)")
        }
        #expect(try workspace.count("inbound_emails", where: "status = 'failed'") == 5)
    }

    @Test("a workbench CSV with unreadable rows: the other rows are stored, exit 14")
    func workbenchCSVWithBadRows() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        var csv = "email_id,inbox/outbox,sender/recipient,subject,sent_datetime,body\n"
        var bad = 0
        for row in 0..<30 {
            let date: String
            switch row % 7 {
            case 3: date = "2026-02-30 10:00:00"
            case 5: date = "yesterday"
            default: date = "2026-01-\(String(format: "%02d", row % 28 + 1)) 09:15:02"
            }
            if row % 7 == 3 || row % 7 == 5 { bad += 1 }
            csv += "\(row + 1),inbox,\(Self.senders[row % Self.senders.count]),Subject \(row),\(date),Body \(row)\n"
        }
        let file = try workspace.write("emails.csv", csv)
        let result = try await workspace.kam("email", "ingest", file.path, "--csv", "workbench", "--no-analysis")
        #expect(result.exitCode == Self.someMessagesFailed, "\(result)")
        #expect(try workspace.count("inbound_emails", where: "status = 'failed'") == bad)
        #expect(try workspace.count("inbound_emails", where: "status = 'new'") >= 30 - bad)
    }
}
