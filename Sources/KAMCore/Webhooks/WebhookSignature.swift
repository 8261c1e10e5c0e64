import Crypto
import Foundation

/// The signature of a webhook, inbound and outbound alike:
/// `X-KAM-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the shared secret>`.
///
/// The timestamp is inside what is signed, so a captured request cannot be replayed with a new time; a
/// request older (or newer) than the tolerance (5 minutes) is refused. Comparison is constant-time
/// (swift-crypto's `isValidAuthenticationCode`). Several `v1=` values may be sent (while a secret is
/// rotated); one valid one suffices.
///
/// For example:
/// ```swift
/// let header = WebhookSignature.header(secret: secret, timestamp: now, body: body)
/// try WebhookSignature.verify(header, secret: secret, body: body, now: now)
/// ```
public enum WebhookSignature {
    /// The header's name.
    public static let headerName = "X-KAM-Signature"
    /// How far a signature's time may be from the receiver's clock.
    public static let tolerance: TimeInterval = 300

    /// The header value for `body` signed at `timestamp`.
    public static func header(secret: String, timestamp: Date, body: some DataProtocol) -> String {
        let t = Int64(timestamp.timeIntervalSince1970.rounded(.down))
        let code = HMAC<SHA256>.authenticationCode(for: signed(t, body), using: key(secret))
        return "t=\(t),v1=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Checks `header` against `body`, `secret` and `now`.
    ///
    /// - Throws: `WebhookSignatureError` `webhook.signature-missing`, `webhook.signature-malformed`,
    ///   `webhook.signature-expired` (outside the tolerance) or `webhook.signature-invalid`.
    public static func verify(
        _ header: String?, secret: String, body: some DataProtocol, now: Date, tolerance: TimeInterval = tolerance
    ) throws(WebhookSignatureError) {
        guard let header, !header.isEmpty else {
            throw WebhookSignatureError(
                code: "webhook.signature-missing",
                message: "send `\(headerName): t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">`")
        }
        var timestamp: Int64?
        var codes: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1", let bytes = hexBytes(pair[1]), bytes.count == SHA256.byteCount { codes.append(bytes) }
        }
        guard let timestamp, !codes.isEmpty else {
            throw WebhookSignatureError(
                code: "webhook.signature-malformed",
                message: "\(headerName) needs `t=<unix seconds>` and `v1=<64 hex digits>`, comma-separated")
        }
        let age = now.timeIntervalSince1970 - Double(timestamp)
        guard abs(age) <= tolerance else {
            throw WebhookSignatureError(
                code: "webhook.signature-expired",
                message: "the signature's time t=\(timestamp) is \(Int(age)) s from the server's clock (allowed: "
                    + "\(Int(tolerance)) s); sign each request when it is sent and check the sender's clock")
        }
        let message = signed(timestamp, body)
        let key = key(secret)
        guard codes.contains(where: { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: message, using: key) })
        else {
            throw WebhookSignatureError(
                code: "webhook.signature-invalid",
                message: "the signature does not match the body under this source's secret; sign the raw body "
                    + "bytes as sent, prefixed with \"<t>.\"")
        }
    }

    static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Data(secret.utf8)) }

    static func signed(_ timestamp: Int64, _ body: some DataProtocol) -> Data {
        var data = Data("\(timestamp).".utf8)
        data.append(contentsOf: body)
        return data
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// A new random secret: `whsec_` and 64 hex digits (32 bytes from the system's generator).
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }
            .joined()
    }
}

/// A webhook request whose signature is missing, malformed, too old or wrong: nothing of it is stored.
public struct WebhookSignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `webhook.signature-missing`, `-malformed`, `-expired`, `-invalid`, or `webhook.unknown-source`.
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
