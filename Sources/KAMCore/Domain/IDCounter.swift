import Synchronization

/// A thread-safe counter behind `IDMaker.sequential()`.
final class IDCounter: Sendable {
    private let value = Mutex<UInt32>(0)

    func next() -> UInt32 {
        value.withLock { value in
            value &+= 1
            return value
        }
    }
}
