/// Reads elapsed time and sleeps on an injected clock, hiding the clock's instant type.
///
/// `any Clock<Duration>` cannot subtract its own instants without opening the existential; this
/// captures the clock once, generically, and measures everything from an origin.
public struct ElapsedTime: Sendable {
    /// Time since this value was made.
    public let now: @Sendable () -> Duration
    /// Sleeps for a duration on the same clock; throws `CancellationError` when cancelled.
    public let sleep: @Sendable (Duration) async throws -> Void

    public init(clock: any Clock<Duration>) {
        self = Self.make(clock)
    }

    private static func make<C: Clock<Duration>>(_ clock: C) -> ElapsedTime {
        let origin = clock.now
        return ElapsedTime(
            now: { origin.duration(to: clock.now) },
            sleep: { duration in
                if duration > .zero { try await clock.sleep(for: duration) } else { try Task.checkCancellation() }
            })
    }

    private init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }
}
