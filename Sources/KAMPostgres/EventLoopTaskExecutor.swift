import NIOCore

/// Runs a task's jobs on one NIO event loop instead of Swift's cooperative pool.
///
/// The ledger's store is synchronous (`BudgetStore.write` blocks its caller, as GRDB does), and its
/// callers run on the cooperative pool, which has one thread a core. If the async work that leases a
/// pooled connection needed a thread of that pool too, two blocked writers on a 2-core machine would
/// wait forever for it. The lease and the pool's own background work run here, on an event loop,
/// which never blocks: so a blocked caller always gets its connection.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
