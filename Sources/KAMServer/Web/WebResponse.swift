import Foundation
import HTTPTypes
import Hummingbird
import KAMCore

/// Responses of the web page: HTML with the security headers every page carries, redirects, and the static files.
enum WebResponse {
    /// No inline script or style anywhere (the page's script and style are files of the server), nothing framed, no
    /// plugin, forms and requests only to this server.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// The headers every page and asset carries.
    static func securityHeaders(contentType: String, cache: String = "no-store") -> HTTPFields {
        [
            .contentType: contentType,
            .contentSecurityPolicy: contentSecurityPolicy,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            .cacheControl: cache,
        ]
    }

    /// A page: `template` rendered with `context`.
    static func page(
        _ template: String, _ context: JSONValue, status: HTTPResponse.Status = .ok, cookies: [Cookie] = []
    ) -> Response {
        var response = Response(
            status: status, headers: securityHeaders(contentType: "text/html; charset=utf-8"),
            body: .init(byteBuffer: ByteBuffer(string: WebTemplates.shared.render(template, context))))
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    /// An evaluation report (`EvalHTMLWriter`: self-contained, inline CSS and SVG, no script): served with a policy
    /// that allows its inline style and nothing else.
    static func report(_ html: String) -> Response {
        var headers = securityHeaders(contentType: "text/html; charset=utf-8")
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// 303 See Other to `location` (a path of this server).
    static func redirect(to location: String, cookies: [Cookie] = []) -> Response {
        var headers = securityHeaders(contentType: "text/plain; charset=utf-8")
        headers[.location] = location
        var response = Response(status: .seeOther, headers: headers)
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    /// A static file of `Resources/web` (the script and the style sheet), or nil.
    static func asset(_ name: String) -> Response? {
        guard let text = WebTemplates.shared.assets[name] else { return nil }
        let type = name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8"
        return Response(
            status: .ok, headers: securityHeaders(contentType: type, cache: "public, max-age=300"),
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `path` when it is a path of the web page (`/app/...`, no scheme, host or `//`), else `/app/today`: a redirect
    /// after signing in never leads to another site.
    static func localPath(_ path: String?) -> String {
        guard let path, path.hasPrefix("/app/"), !path.hasPrefix("//"), !path.contains("\\"),
            path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f })
        else { return "/app/today" }
        return path
    }
}
