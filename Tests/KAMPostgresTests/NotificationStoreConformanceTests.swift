import Foundation
import KAMCore
import KAMTesting
import Testing

/// The inboxes read and marked read (`NotificationStoring`), written once and run against SQLite and PostgreSQL, with
/// marks racing across two handles (two processes) that only the stores' compare-and-set keeps to one each.
@Suite("Notification store conformance")
struct NotificationStoreConformanceTests {
    static let t0 = GrowthWorld.start

    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    /// A notification for `user` created `seconds` after t0 (read at `read` when given), as SQL both stores run.
    static func notification(
        _ user: String, _ title: String, at seconds: TimeInterval, read: TimeInterval? = nil, client: String? = "acme",
        cause: Int64? = 7, rule: String? = "renewal-watch"
    ) -> String {
        func text(_ value: String?) -> String { value.map { "'\($0)'" } ?? "NULL" }
        return """
            INSERT INTO notifications (user_id, client_id, cause_event_id, rule, title, body, read_at, created_at)
            VALUES ('\(user)', \(text(client)), \(cause.map(String.init) ?? "NULL"), \(text(rule)), '\(title)',
                'body of \(title)', \(read.map { "\(at($0).timeIntervalSince1970)" } ?? "NULL"),
                \(at(seconds).timeIntervalSince1970))
            """
    }

    @Test("an inbox newest first: unread only, by creation time, limited; the unread count", arguments: StoreBackend.allCases)
    func inbox(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            try await world.execute([
                Self.notification("u1", "one", at: 0),
                Self.notification("u1", "two", at: 10, read: 15, client: nil, cause: nil, rule: nil),
                Self.notification("u2", "theirs", at: 12),
                Self.notification("u1", "three", at: 20),
                Self.notification("u1", "four", at: 30),
            ])
            let inbox = world.notifications
            let all = try inbox.inbox(userID: "u1", unreadOnly: false, created: nil, limit: 100)
            #expect(all.map(\.title) == ["four", "three", "two", "one"])
            #expect(all.map(\.id) == all.map(\.id).sorted(by: >))
            let two = try #require(all.first { $0.title == "two" })
            #expect(two.userID == "u1" && two.clientID == nil && two.causeEventID == nil && two.rule == nil)
            #expect(two.body == "body of two" && two.readAt == Self.at(15) && two.createdAt == Self.at(10))
            let one = try #require(all.last)
            #expect(one.clientID == "acme" && one.causeEventID == 7 && one.rule == "renewal-watch" && one.readAt == nil)

            #expect(
                try inbox.inbox(userID: "u1", unreadOnly: true, created: nil, limit: 100).map(\.title)
                    == ["four", "three", "one"])
            #expect(
                try inbox.inbox(userID: "u1", unreadOnly: false, created: Self.at(10)..<Self.at(30), limit: 100)
                    .map(\.title) == ["three", "two"])
            #expect(
                try inbox.inbox(userID: "u1", unreadOnly: true, created: Self.at(10)..<Self.at(30), limit: 100)
                    .map(\.title) == ["three"])
            #expect(try inbox.inbox(userID: "u1", unreadOnly: false, created: nil, limit: 2).map(\.title) == ["four", "three"])
            #expect(try inbox.inbox(userID: "u2", unreadOnly: false, created: nil, limit: 100).map(\.title) == ["theirs"])
            #expect(try inbox.inbox(userID: "nobody", unreadOnly: false, created: nil, limit: 100).isEmpty)
            #expect(try inbox.unreadCount(userID: "u1") == 3)
            #expect(try inbox.unreadCount(userID: "u2") == 1)
            #expect(try inbox.unreadCount(userID: "nobody") == 0)
        }
    }

    @Test(
        "a notification is marked read once, by its user only, keeping its first time; all at once counts the unread",
        arguments: StoreBackend.allCases)
    func markRead(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            try await world.execute([
                Self.notification("u1", "one", at: 0), Self.notification("u1", "two", at: 10),
                Self.notification("u2", "theirs", at: 12), Self.notification("u1", "three", at: 20, read: 25),
            ])
            let inbox = world.notifications
            let mine = try inbox.inbox(userID: "u1", unreadOnly: false, created: nil, limit: 100)
            let theirs = try #require(try inbox.inbox(userID: "u2", unreadOnly: false, created: nil, limit: 100).first)
            let one = try #require(mine.last)

            let read = try #require(try inbox.markRead(id: one.id, userID: "u1", at: Self.at(100)))
            #expect(read.readAt == Self.at(100) && read.title == "one" && read.createdAt == Self.at(0))
            #expect(try inbox.markRead(id: one.id, userID: "u1", at: Self.at(200))?.readAt == Self.at(100))
            // Another user's notification, or none: nil, and nothing marked.
            #expect(try inbox.markRead(id: theirs.id, userID: "u1", at: Self.at(100)) == nil)
            #expect(try inbox.markRead(id: 9_999, userID: "u1", at: Self.at(100)) == nil)
            #expect(try inbox.unreadCount(userID: "u2") == 1)

            #expect(try inbox.markAllRead(userID: "u1", at: Self.at(300)) == 1)
            #expect(try inbox.markAllRead(userID: "u1", at: Self.at(400)) == 0)
            #expect(try inbox.unreadCount(userID: "u1") == 0)
            let after = try inbox.inbox(userID: "u1", unreadOnly: false, created: nil, limit: 100)
            #expect(after.map(\.readAt) == [Self.at(25), Self.at(300), Self.at(100)])
            #expect(try inbox.markAllRead(userID: "nobody", at: Self.at(300)) == 0)
        }
    }

    @Test(
        "8 handlers marking an inbox over two handles: each notification counted once, one read time each",
        arguments: StoreBackend.allCases)
    func racingMarks(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            try await world.execute((0..<20).map { Self.notification("u1", "n\($0)", at: Double($0)) })
            let first = try #require(
                try world.notifications.inbox(userID: "u1", unreadOnly: false, created: nil, limit: 100).last)
            let handles = world.handles
            let single = await OnThreads.results(8) { index in
                try handles[index % 2].notifications.markRead(id: first.id, userID: "u1", at: Self.at(100 + Double(index)))
            }
            let times = Set(try single.map { try $0.get()?.readAt })
            #expect(times.count == 1)
            let counts = await OnThreads.results(8) { index in
                try handles[index % 2].notifications.markAllRead(userID: "u1", at: Self.at(200 + Double(index)))
            }
            #expect(try counts.map { try $0.get() }.reduce(0, +) == 19)
            #expect(try world.notifications.unreadCount(userID: "u1") == 0)
        }
    }
}
