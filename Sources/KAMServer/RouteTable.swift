import Hummingbird

/// One route of the API as documented and tested: its method and its path in Hummingbird's syntax
/// (`/clients/:id`). `open` routes need no key (health, the OpenAPI document, signed webhooks, metrics).
public struct RouteDescriptor: Sendable, Hashable, CustomStringConvertible {
    public var method: HTTPRequest.Method
    public var path: String
    public var open: Bool

    public var description: String { "\(method.rawValue) \(path)" }

    /// The path in OpenAPI's syntax: `/clients/{id}`.
    public var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }
}

/// The router of the API plus the list of every route added to it, so the OpenAPI document, the isolation
/// matrix test and the key middleware all read one list instead of each keeping its own.
///
/// Route groups (`Routes/*.swift`) add their routes through it: `routes.get("/clients/:id") { request, context in ... }`.
public final class RouteTable: @unchecked Sendable {
    // Filled only while `KAMAPI.router()` builds the router, on one task, then read-only.
    public let router: Router<KAMRequestContext>
    public private(set) var descriptors: [RouteDescriptor] = []
    /// `METHOD /path/{param}` of every open route, in the syntax Hummingbird reports the matched route in
    /// (`context.endpointPath`), so the key middleware's check per request is one set lookup.
    private var openRoutes: Set<String> = []

    init(router: Router<KAMRequestContext>) {
        self.router = router
    }

    public typealias Handler = @Sendable (Request, KAMRequestContext) async throws -> Response

    /// Adds a route; `open` routes skip the API key (they authenticate otherwise, or are public).
    public func add(_ method: HTTPRequest.Method, _ path: String, open: Bool = false, _ handler: @escaping Handler) {
        let descriptor = RouteDescriptor(method: method, path: path, open: open)
        descriptors.append(descriptor)
        if open { openRoutes.insert("\(method.rawValue) \(descriptor.openAPIPath)") }
        router.on(RouterPath(path), method: method, use: handler)
    }

    /// The web page's routes (`/app/...`, HTML): kept apart from `descriptors`, since they are not part of the JSON API
    /// (its OpenAPI document and isolation matrix). They skip the API key; a page reads the session cookie itself.
    public private(set) var pages: [RouteDescriptor] = []
    private var pagePaths: Set<String> = []

    /// Adds a web page route.
    public func page(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        let descriptor = RouteDescriptor(method: method, path: path, open: true)
        pages.append(descriptor)
        pagePaths.insert("\(method.rawValue) \(descriptor.openAPIPath)")
        router.on(RouterPath(path), method: method, use: handler)
    }

    /// Whether `method path` (as `isOpen` reads it) is a web page route.
    func isPage(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        pagePaths.contains("\(method.rawValue) \(path)")
    }

    public func get(_ path: String, open: Bool = false, _ handler: @escaping Handler) { add(.get, path, open: open, handler) }
    public func post(_ path: String, open: Bool = false, _ handler: @escaping Handler) { add(.post, path, open: open, handler) }
    public func put(_ path: String, open: Bool = false, _ handler: @escaping Handler) { add(.put, path, open: open, handler) }
    public func patch(_ path: String, open: Bool = false, _ handler: @escaping Handler) { add(.patch, path, open: open, handler) }
    public func delete(_ path: String, open: Bool = false, _ handler: @escaping Handler) { add(.delete, path, open: open, handler) }

    /// The methods of the routes whose path matches `path` (a concrete one, `/clients/acme`), for a 405's `Allow`.
    ///
    /// Only the routes of the path the router picks count: a literal segment wins over a parameter, as in
    /// Hummingbird's trie, so `/prompts/p/labels/history` takes GET (`.../labels/history`) and not the PUT of
    /// `.../labels/:label`, which never sees that path.
    func methods(matching path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let matching = descriptors.filter { route in
            let parts = route.path.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == segments.count
                && zip(parts, segments).allSatisfy { part, segment in
                    part.hasPrefix(":") ? !segment.isEmpty : part == segment
                }
        }
        // Literal segments as 1, parameters as 0: the greatest pattern, compared segment by segment, is the one chosen.
        func specificity(_ route: RouteDescriptor) -> [Int] {
            route.path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? 0 : 1 }
        }
        guard let chosen = matching.map(specificity).max(by: { $0.lexicographicallyPrecedes($1) }) else { return [] }
        var methods: [HTTPRequest.Method] = []
        for route in matching where specificity(route) == chosen && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }

    /// Whether `method path` (the matched route's path as Hummingbird reports it, `/clients/{id}`) is an open route.
    func isOpen(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        openRoutes.contains("\(method.rawValue) \(path)")
    }
}
