import NIOPosix

/// Runs a task's jobs on the threads of a `NIOThreadPool`: plain threads, which may block (an event loop's may not:
/// `EventLoopFuture.wait()` traps there, and the PostgreSQL store waits for its answers so).
final class ThreadPoolTaskExecutor: TaskExecutor {
    let pool: NIOThreadPool

    /// A started pool of `threads` threads, stopped when the executor goes.
    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    deinit {
        pool.shutdownGracefully { _ in }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
