import Hummingbird

/// The request context of the KAM API: Hummingbird's core storage plus the user the API key acts for.
public struct KAMRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `APIKeyMiddleware` once the bearer key is verified; nil only on unauthenticated routes.
    public var userID: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.userID = nil
    }
}
