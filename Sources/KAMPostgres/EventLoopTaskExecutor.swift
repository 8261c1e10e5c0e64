import NIOCore

/// Runs a task's jobs on one NIO event loop instead of Swift's cooperative pool.
///
/// The ledger's store is synchronous (`BudgetStore.write` blocks its caller, as GRDB does), and its
/// callers run on the cooperative pool, which has one thread a core. If the async work that leases a
/// pooled connection needed a thread of that pool too, two blocked writers on a 2-core machine would
/// wait forever for it. The lease and the pool's own background work run here, on an event loop,
/// which never blocks: so a blocked caller always gets its connection.
///
/// The server uses it the other way round too (`WorkerThreadsMiddleware` in KAMServer): a request's handler, which
/// calls the synchronous runtime, runs on a loop of a group kept for such work, so a request waiting for PostgreSQL
/// blocks one of many threads there rather than one of the cooperative pool's few.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
