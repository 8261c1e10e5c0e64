import Hummingbird
import KAMCore

/// The request context of the KAM API: Hummingbird's core storage plus the user the API key acts for, the body
/// limit and the request's trace (its id and user, read by the request log).
public struct KAMRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `APIKeyMiddleware` once the bearer key is verified; nil only on unauthenticated routes.
    public var userID: String?
    /// The largest body a route may read (kam.yaml `server: max_body_bytes`, set by `BodyLimitMiddleware`);
    /// `request.decode` and `request.collectBody(upTo: context.maxUploadSize)` stop reading past it with a 413.
    public var maxUploadSize: Int
    /// What the request log learns while the request passes the middleware; shared by every copy of the context.
    public let trace: RequestTrace

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.userID = nil
        self.maxUploadSize = ServerConfiguration.defaultMaxBodyBytes
        self.trace = RequestTrace()
    }

    /// JSON bodies decode through `KAMRequestDecoder`: a malformed body is a 400 naming the field.
    public var requestDecoder: KAMRequestDecoder { KAMRequestDecoder() }
}
