import NIOPosix

/// Runs a task's jobs on the threads of a `NIOThreadPool`: plain threads, which may block (an event loop's may not:
/// `EventLoopFuture.wait()` traps there, and the PostgreSQL store waits for its answers so).
final class ThreadPoolTaskExecutor: TaskExecutor {
    /// The server's worker threads (`WorkerThreadsMiddleware`), one pool for the process, started on first use.
    static let workers = ThreadPoolTaskExecutor(threads: 32)

    let pool: NIOThreadPool

    /// A started pool of `threads` threads, kept for the process.
    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
