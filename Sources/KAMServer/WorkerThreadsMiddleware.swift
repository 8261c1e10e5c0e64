import Hummingbird
import KAMPostgres
import NIOCore
import NIOPosix

/// Runs each request's handlers on one of the process's worker threads (`WorkerThreadsMiddleware.threads`) instead
/// of Swift's cooperative pool.
///
/// The runtime is synchronous: a route waits for SQLite or PostgreSQL by blocking its thread. The cooperative pool
/// has one thread a core, so on a 2-core machine two requests waiting for PostgreSQL's answers (a round trip each,
/// the server's CPU idle meanwhile) held the whole server: two PostgreSQL servers answered 700 requests a second
/// each on their context route, at 22 ms a request. On the worker threads, as many requests wait at once as there
/// are threads. On SQLite, whose reads keep the CPU busy, this changes little.
struct WorkerThreadsMiddleware: RouterMiddleware {
    typealias Context = KAMRequestContext

    /// The worker threads, one group for the process, started on first use: each request takes the next loop.
    static let threads = MultiThreadedEventLoopGroup(numberOfThreads: 32)

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: Self.threads.next())) {
            try await next(request, context)
        }
    }
}
