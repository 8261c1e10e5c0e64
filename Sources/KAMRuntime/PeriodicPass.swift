/// The loop of `kam serve`'s background tasks (webhook delivery, scheduled jobs): a pass, then a sleep of
/// `interval` on the runtime's clock, until the task is cancelled. A pass that fails (the store busy) is logged
/// with `failure` and the next pass tries again.
enum PeriodicPass {
    static func run(every interval: Duration, runtime: Runtime, failure: String, _ pass: () async throws -> Void) async {
        while !Task.isCancelled {
            do {
                try await pass()
            } catch is CancellationError {
                return
            } catch {
                runtime.options.logger.warning("\(failure)", metadata: ["error": "\(error)"])
            }
            do {
                try await runtime.options.clock.sleep(for: interval)
            } catch {
                return
            }
        }
    }
}
