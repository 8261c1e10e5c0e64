import Foundation
import HTTPTypes
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Signing in (a name and password set with `kam users passwd`, or an API key) and out. The sign-in form carries
    /// a token that must match a cookie of its own (double submit), so another site cannot sign a browser in; the
    /// sign-out form carries the session's CSRF token.
    func addSignInRoutes(_ routes: RouteTable) {
        routes.page(.get, "/app/sign-in") { request, context in
            if context.signedIn != nil { return WebResponse.redirect(to: WebResponse.localPath(request.query("next"))) }
            return signInForm(next: request.query("next"), error: nil, secure: WebSessionCookie.isSecure(request))
        }
        routes.page(.post, "/app/sign-in") { request, context in
            let form = try await WebForm.read(request, context: context)
            let secure = WebSessionCookie.isSecure(request)
            guard let token = form["form_token"], !token.isEmpty, token == request.cookies[Self.signInCookie]?.value else {
                return signInForm(
                    next: form["next"], error: "The form had expired; please sign in again.", secure: secure, status: .forbidden)
            }
            do {
                let (signedIn, sessionToken): (WebSessionService.SignedIn, String)
                if let key = form["api_key"], !key.isEmpty {
                    (signedIn, sessionToken) = try runtime.webSessions.signIn(apiKey: key.trimmingCharacters(in: .whitespaces))
                } else {
                    (signedIn, sessionToken) = try runtime.webSessions.signIn(
                        name: form["name"] ?? "", password: form["password"] ?? "")
                }
                return WebResponse.redirect(
                    to: WebResponse.localPath(form["next"]),
                    cookies: [
                        WebSessionCookie.set(sessionToken, expires: signedIn.session.expiresAt, secure: secure),
                        WebSessionCookie.cleared(Self.signInCookie, path: "/app/sign-in", secure: secure),
                    ])
            } catch let error as RuntimeError where error.code == "auth.sign-in-failed" {
                return signInForm(
                    next: form["next"], error: "That name and password (or key) did not sign you in.", secure: secure,
                    status: .unauthorized)
            }
        }
        routes.page(.post, "/app/sign-out") { request, context in
            let form = try await WebForm.read(request, context: context)
            let secure = WebSessionCookie.isSecure(request)
            if let signedIn = context.signedIn, form["csrf"] == signedIn.session.csrfToken, let token = WebSessionCookie.token(request) {
                try runtime.webSessions.signOut(token)
            } else if context.signedIn != nil {
                throw APIError(.forbidden, code: "auth.csrf", message: "the sign-out form's token did not match; reload the page")
            }
            return WebResponse.redirect(to: "/app/sign-in", cookies: [WebSessionCookie.cleared(secure: secure)])
        }
    }

    private static let signInCookie = "kam_sign_in"

    /// The sign-in page with a fresh form token (and its cookie).
    private func signInForm(next: String?, error: String?, secure: Bool, status: HTTPResponse.Status = .ok) -> Response {
        let token = WebSessionRepository.formToken()
        struct Form: Encodable { var formToken: String; var next: String; var error: String? }
        let context = (try? WebFrame.json(Form(formToken: token, next: WebResponse.localPath(next), error: error))) ?? .null
        return WebResponse.page(
            "sign-in", .object(["page": context]), status: status,
            cookies: [
                Cookie(
                    name: Self.signInCookie, value: token, maxAge: 1800, path: "/app/sign-in", secure: secure, httpOnly: true,
                    sameSite: .strict)
            ])
    }
}
