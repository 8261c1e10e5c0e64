import Foundation

/// Runs one body on many threads at once, as many processes would run it: each call on a thread of its own (never a
/// thread of Swift's cooperative pool, which has one thread a core, so the calls really overlap and a blocked one
/// blocks no other test), all released together; the caller awaits their results without blocking.
///
/// The races of the store conformance suites use it: eight handles' writes racing for one row, one of which must win.
///
/// For example:
///
/// ```swift
/// let outcomes = await OnThreads.results(8) { index in try handles[index % 2].start(requestID) }
/// #expect(outcomes.filter { (try? $0.get()) == true }.count == 1)
/// ```
public enum OnThreads {
    /// `body(index)` for every index in 0..<`count`, each on a thread of its own, started together; what each
    /// returned or threw, by index.
    public static func results<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) async
        -> [Result<T, any Error>]
    {
        await spawn(count) { index in Result { try body(index) } }
    }

    /// `results` for a body that cannot throw: what each returned, by index.
    public static func values<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
        await spawn(count, body)
    }

    private static func spawn<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
        let (results, sink) = AsyncStream.makeStream(of: (Int, T).self)
        let start = DispatchSemaphore(value: 0)
        for index in 0..<count {
            Thread.detachNewThread {
                start.wait()
                sink.yield((index, body(index)))
            }
        }
        for _ in 0..<count { start.signal() }
        var collected = [T?](repeating: nil, count: count)
        var received = 0
        for await (index, result) in results {
            collected[index] = result
            received += 1
            if received == count { break }
        }
        return collected.compactMap { $0 }
    }
}
