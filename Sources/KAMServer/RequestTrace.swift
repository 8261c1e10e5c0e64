import Synchronization

/// What one request's log line needs from the middleware that runs inside the log's own (the user a key named,
/// the request id): a reference shared by every copy of the request's context, since a middleware's changes to the
/// context do not reach the middleware around it.
public final class RequestTrace: Sendable {
    private struct State {
        var requestID = ""
        var userID: String?
    }

    private let state = Mutex(State())

    init() {}

    /// The request id (`X-Request-Id`), set by the request log.
    public var requestID: String {
        get { state.withLock { $0.requestID } }
        set { state.withLock { $0.requestID = newValue } }
    }

    /// The acting user, once a key was verified.
    public var userID: String? {
        get { state.withLock { $0.userID } }
        set { state.withLock { $0.userID = newValue } }
    }
}
