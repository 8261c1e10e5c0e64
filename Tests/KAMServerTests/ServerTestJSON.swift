import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore

/// The JSON helpers of the route test worlds (`RouteTestWorld`, `RoleRouteWorld`), written once.
protocol ServerTestJSON {}

extension ServerTestJSON {
    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: buffer).utf8))
    }

    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// The JSON body of a response, `null` when it is not JSON: for `#expect` inside a response closure (a `try`
    /// only inside `#expect` does not make the closure throwing).
    static func parsed(_ response: TestResponse) -> JSONValue {
        (try? json(response.body)) ?? .null
    }
}
