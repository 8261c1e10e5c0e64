import Hummingbird
import KAMCore
import KAMRuntime

/// The request context of the KAM API: Hummingbird's core storage plus the user the API key acts for, the body
/// limit and the request's trace (its id and user, read by the request log).
public struct KAMRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The key's user with their access scope, set by `APIKeyMiddleware` once the bearer key is verified; the
    /// routes pass it to every service they call. Anonymous (no id) only on the open routes.
    public var user: ActingUser
    /// The web page's session, when the request came with a live session cookie instead of a key (`/app` pages, and
    /// the JSON routes the page's script calls with the session's CSRF token).
    public var signedIn: WebSessionService.SignedIn?
    /// The key's user id; nil only on the open routes.
    public var userID: String? { user.id }
    /// The largest body a route may read (kam.yaml `server: max_body_bytes`, set by `BodyLimitMiddleware`);
    /// `request.decode` and `request.collectBody(upTo: context.maxUploadSize)` stop reading past it with a 413.
    public var maxUploadSize: Int
    /// What the request log learns while the request passes the middleware; shared by every copy of the context.
    public let trace: RequestTrace

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.user = .anonymous
        self.signedIn = nil
        self.maxUploadSize = ServerConfiguration.defaultMaxBodyBytes
        self.trace = RequestTrace()
    }

    /// JSON bodies decode through `KAMRequestDecoder`: a malformed body is a 400 naming the field.
    public var requestDecoder: KAMRequestDecoder { KAMRequestDecoder() }
}
