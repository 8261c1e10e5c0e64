import Foundation
import Hummingbird

/// A submitted HTML form (`application/x-www-form-urlencoded`), read within the body limit, as name → first value.
struct WebForm: Sendable {
    private var fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    static func read(_ request: Request, context: KAMRequestContext) async throws -> WebForm {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return WebForm(fields: fields)
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
