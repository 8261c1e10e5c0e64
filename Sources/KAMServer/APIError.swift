import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

/// An API failure as the client sees it: an HTTP status, a stable code, an actionable message and, when one
/// field of the request is at fault, its path (`items[2].client`).
///
/// Every error the API answers has this one shape, `{"error": {"code", "message", "field"?}}`. This is the only
/// place statuses are chosen: store, budget and draft errors are mapped here (`APIError.from`), so the core never
/// knows it is behind HTTP.
public struct APIError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// The request field at fault: a JSON body path (`items[2].client`) or a query parameter (`limit`).
    public var field: String?
    /// Extra headers, e.g. `Retry-After` on a 429.
    public var headers: HTTPFields
    public var underlying: (any Error & Sendable)?

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, headers: HTTPFields = [:],
        underlying: (any Error & Sendable)? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
        self.underlying = underlying
    }

    public var description: String { "\(status.code) \(code): \(message)" + (field.map { " (field \($0))" } ?? "") }

    /// The `Retry-After` of a 503 `budget.wait-expired`: the calls in flight outlasted the admission wait, so
    /// a retry is worth it once some of them have settled.
    static let budgetRetryAfterSeconds = 5

    /// The JSON body of an error response.
    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var field: String?
        }

        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(Body(error: .init(code: code, message: message, field: field)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// The API error for anything a route threw: 404 unknown client/draft, 409 illegal draft move
    /// (naming the state), 403 budget or consent refusal (naming the budget), 503 with `Retry-After` when a
    /// call's admission wait for budget ran out (`budget.wait-expired`: nothing was sent, a retry may fit),
    /// 502 provider failure.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            return from(error)
        case let error as DraftRefusal:
            return APIError(.forbidden, code: error.code, message: error.message, underlying: error)
        case let error as RoleRefusal:
            return APIError(.forbidden, code: error.code, message: error.message, underlying: error)
        case let error as DraftTransitionError:
            return APIError(.conflict, code: error.code, message: error.description, underlying: error)
        case let error as BudgetError:
            switch error.code {
            case .exceeded, .priceUnknown:
                let name = error.budget.map { "budget '\($0.id)': " } ?? ""
                return APIError(.forbidden, code: error.code.rawValue, message: name + error.message, underlying: error)
            case .waitExpired:
                return APIError(
                    .serviceUnavailable, code: error.code.rawValue, message: error.message,
                    headers: [.retryAfter: String(budgetRetryAfterSeconds)], underlying: error)
            default:
                return APIError(.internalServerError, code: error.code.rawValue, message: error.message, underlying: error)
            }
        case let error as StoreError:
            switch error.code {
            case .clientNotFound, .memoryKeyNotFound:
                return APIError(.notFound, code: error.code.rawValue, message: error.message, underlying: error)
            case .invalidValue:
                return APIError(.badRequest, code: error.code.rawValue, message: error.message, underlying: error)
            default:
                return APIError(.serviceUnavailable, code: error.code.rawValue, message: error.message, underlying: error)
            }
        case let error as RuntimeError:
            let status: HTTPResponse.Status
            switch error.kind {
            case .notFound: status = .notFound
            case .ambiguous, .wrongState: status = .conflict
            case .invalidInput: status = .badRequest
            case .fileRefused: status = .unprocessableContent
            case .gateFailed: status = .conflict
            case .invalidOutput: status = .badGateway
            }
            return APIError(status, code: error.code, message: error.message, underlying: error)
        case let error as ContextAssemblyError:
            let status: HTTPResponse.Status = error.code == .clientNotFound ? .notFound : .unprocessableContent
            return APIError(status, code: error.code.rawValue, message: error.message, underlying: error)
        case let error as ProviderError:
            return APIError(.badGateway, code: error.code.rawValue, message: "\(error)", underlying: error)
        case let error as PromptRunError:
            return APIError(.badGateway, code: error.code, message: "\(error)", underlying: error)
        default:
            return APIError(
                .internalServerError, code: "api.internal", message: "\(error)", underlying: error)
        }
    }
}
