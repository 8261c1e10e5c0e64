import Crypto
import Foundation

extension ChatRequest {
    /// The request reduced to what decides the answer: model, messages, schema and options.
    ///
    /// `metadata` is left out (variables are already rendered into the messages; ids do not change
    /// the answer) and so is `stream` (a streamed and a whole answer are the same answer).
    public var normalized: JSONValue {
        var fields: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
        ]
        if let temperature { fields["temperature"] = .double(temperature) }
        if let maxOutputTokens { fields["max_output_tokens"] = .int(Int64(maxOutputTokens)) }
        if let outputSchema {
            fields["output_schema"] = outputSchema
            fields["schema_name"] = .string(effectiveSchemaName)
        }
        if !extraOptions.isEmpty { fields["options"] = .object(extraOptions) }
        return .object(fields)
    }

    /// SHA-256 (hex) of the normalized request as sorted-key JSON: the replay cache key.
    public var fingerprint: String {
        SHA256.hash(data: normalized.jsonData()).map { String(format: "%02x", $0) }.joined()
    }
}
