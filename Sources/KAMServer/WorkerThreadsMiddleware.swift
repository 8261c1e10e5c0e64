import Hummingbird

/// Runs each request's handlers on worker threads (`ThreadPoolTaskExecutor`) instead of
/// Swift's cooperative pool, for a server on PostgreSQL (`KAMAPI.routeTable` adds it then).
///
/// The runtime is synchronous: a route waits for the database by blocking its thread. The cooperative pool has one
/// thread a core, so on a 2-core machine two requests waiting for PostgreSQL's answers (a round trip each, with the
/// CPU idle meanwhile) held the whole server: two servers on PostgreSQL answered 700 requests a second each on the
/// context route, at 22 ms a request. On the worker threads as many requests wait at once as there are threads:
/// `KAMAPI` gives as many as the store's pool has connections (`pool_size`), since no more requests than that can
/// wait for PostgreSQL at once, and more threads would only take turns on the cores. A
/// server on SQLite does without: its reads keep the CPU busy, and the hop to another thread cost it a quarter of
/// its requests a second (9,500 to 6,700 on the context route).
struct WorkerThreadsMiddleware<Context: RequestContext>: RouterMiddleware {
    let threads: ThreadPoolTaskExecutor

    init(threads: Int) {
        self.threads = ThreadPoolTaskExecutor(threads: threads)
    }


    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await withTaskExecutorPreference(threads) { try await next(request, context) }
    }
}
