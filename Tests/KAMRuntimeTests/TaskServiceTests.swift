import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct TaskServiceTests {
    /// globex's "Send renewal quote to Hank" is 5 days overdue in the demo.
    static func overdueTask(_ world: CRMTestWorld) throws -> ClientTask {
        try #require(try world.runtime.tasks.list(clientID: "globex", as: .anonymous).first { $0.isOverdue(at: world.now) })
    }

    @Test func finishingTheOverdueTaskResolvesTheEscalateSuggestionAndLiftsHealth() async throws {
        let world = try await CRMTestWorld.demo()
        let task = try Self.overdueTask(world)
        let before = world.suggest("globex")
        let escalate = try #require(try world.pending("globex", .escalate).first)
        #expect(escalate.target == "task:\(task.id!)")

        let done = try world.runtime.tasks.done(task.id!, as: ActingUser("tom"))
        #expect(done.task.status == .done)
        #expect(done.refresh.failure == nil)
        #expect(done.refresh.resolved.map(\.id) == [escalate.id])
        #expect(done.refresh.resolved.first?.status == .resolved)
        #expect(done.refresh.resolved.first?.resolution == "task \(task.id!) done by tom")
        #expect(try world.pending("globex", .escalate).isEmpty)
        let stored = try SuggestionRepository(store: world.runtime.sqliteStore!).suggestion(id: escalate.id)
        #expect(stored?.status == .resolved)
        // The overdue task cost business outcomes 15 points (25 % of the score).
        let health = try #require(done.refresh.health)
        #expect(done.refresh.previousHealth == before.health?.score)
        #expect(health.score > before.health!.score)
        #expect(try world.runtime.sqliteStore!.task(id: task.id!)?.status == .done)
    }

    @Test func doneTwiceIsRefusedAndReopenBringsTheEscalationBack() async throws {
        let world = try await CRMTestWorld.demo()
        let task = try Self.overdueTask(world)
        world.suggest("globex")
        _ = try world.runtime.tasks.done(task.id!, as: .anonymous)
        #expect { try world.runtime.tasks.done(task.id!, as: .anonymous) } throws: { error in
            let error = error as? RuntimeError
            return error?.kind == .wrongState && error?.code == "task.not-pending"
                && error?.message.contains("kam task reopen \(task.id!)") == true
        }
        let reopened = try world.runtime.tasks.reopen(task.id!, as: .anonymous)
        #expect(reopened.task.status == .open)
        #expect(reopened.refresh.added.map(\.type).contains(.escalate))
        #expect { try world.runtime.tasks.reopen(task.id!, as: .anonymous) } throws: { error in
            (error as? RuntimeError)?.code == "task.already-open"
        }
        #expect { try world.runtime.tasks.done(999, as: .anonymous) } throws: { error in
            (error as? RuntimeError)?.kind == .notFound
        }
    }

    @Test func addAssignsTheActingUserAndListsPendingByDueDate() async throws {
        let world = try await CRMTestWorld.demo()
        let due = world.now.addingTimeInterval(3 * 86_400)
        let added = try world.runtime.tasks.add(
            TaskService.Entry(clientID: "acme", title: "  Book the plant visit  ", due: due, priority: .high),
            as: ActingUser("maria.lopez@kam.example"))
        #expect(added.task.id != nil)
        #expect(added.task.title == "Book the plant visit")
        #expect(added.task.assignee == "maria", "the acting user's email is turned into their id")
        #expect(added.refresh.health != nil)
        // The same title again is a second task, not an update of the first.
        let again = try world.runtime.tasks.add(
            TaskService.Entry(clientID: "acme", title: "Book the plant visit", assignee: "tom"), as: .anonymous)
        #expect(again.task.id != added.task.id)
        #expect(again.task.assignee == "tom")

        let acme = try world.runtime.tasks.list(clientID: "acme", as: .anonymous)
        #expect(acme.map(\.title).filter { $0 == "Book the plant visit" }.count == 2)
        let dated = acme.compactMap(\.due)
        #expect(dated == dated.sorted(), "pending tasks by due date")
        #expect(acme.last?.due == nil, "undated last")
        #expect(try world.runtime.tasks.list(assignee: "tom", as: .anonymous).allSatisfy { $0.assignee == "tom" })

        #expect { try world.runtime.tasks.add(TaskService.Entry(clientID: "acme", title: " "), as: .anonymous) } throws: {
            error in (error as? RuntimeError)?.code == "task.title-missing"
        }
        #expect {
            try world.runtime.tasks.add(TaskService.Entry(clientID: "acme", title: "x", assignee: "nobody"), as: .anonymous)
        } throws: { error in
            let error = error as? RuntimeError
            return error?.code == "task.assignee-unknown" && error?.message.contains("client 'acme'") == true
                && error?.message.contains("maria") == true
        }
    }

    @Test func aFailedRefreshKeepsTheWriteAndReportsWhatToRun() async throws {
        let world = try await CRMTestWorld.demo()
        let task = try Self.overdueTask(world)
        try await world.runtime.sqliteStore!.writer.write { db in try db.execute(sql: "DROP TABLE health_scores") }
        let done = try world.runtime.tasks.done(task.id!, as: .anonymous)
        #expect(done.task.status == .done)
        #expect(try world.runtime.sqliteStore!.task(id: task.id!)?.status == .done, "the write is committed")
        #expect(done.refresh.health == nil)
        #expect(done.refresh.failure?.contains("kam suggest run globex") == true)
    }
}
