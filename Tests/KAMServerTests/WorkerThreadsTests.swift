import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import KAMServer

/// A server on PostgreSQL runs its handlers on worker threads (`WorkerThreadsMiddleware`): requests that block their
/// thread while the database answers wait together, more of them than the cooperative pool has threads.
@Suite struct WorkerThreadsTests {
    /// Lets its callers through once `count` of them wait in it at once; false for a caller that waited `timeout`
    /// without it happening.
    final class Rendezvous: @unchecked Sendable {
        private let condition = NSCondition()
        private var arrived = 0
        let count: Int

        init(count: Int) { self.count = count }

        func meet(timeout: TimeInterval) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            arrived += 1
            if arrived >= count {
                condition.broadcast()
                return true
            }
            let deadline = Date(timeIntervalSinceNow: timeout)
            while arrived < count {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    /// `count` requests at once to a route that blocks its thread until all of them are in it; how many met.
    static func blockedTogether(_ count: Int, workerThreads: Bool) async throws -> Int {
        let router = Router()
        if workerThreads { router.add(middleware: WorkerThreadsMiddleware(threads: count)) }
        let rendezvous = Rendezvous(count: count)
        // Blocking, as the runtime's synchronous calls to PostgreSQL block their thread.
        router.get("/blocking") { _, _ in rendezvous.meet(timeout: 3) ? "met" : "alone" }
        return try await Application(router: router).test(.router) { client in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        try await client.execute(uri: "/blocking", method: .get) { String(buffer: $0.body) == "met" }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
    }

    /// Without the middleware the same requests block the cooperative pool (one thread a core) and never meet: run
    /// so, this test fails after the rendezvous' timeout.
    @Test func requestsThatBlockWaitTogetherOnTheWorkerThreads() async throws {
        let count = ProcessInfo.processInfo.activeProcessorCount + 14
        #expect(try await Self.blockedTogether(count, workerThreads: true) == count)
    }
}
