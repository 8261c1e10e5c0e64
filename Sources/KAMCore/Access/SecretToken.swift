import Crypto
import Foundation

/// The secrets of the server's access: API keys, web session tokens and CSRF tokens are random hex, and the stores
/// keep only a key's or session token's SHA-256, so a leaked database opens nothing. Shared by both stores so a
/// key made through one is found through the other.
public enum SecretToken {
    /// SHA-256 of `plaintext`, lowercase hex.
    public static func hash(_ plaintext: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(plaintext.utf8)) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `bytes` bytes from the system's random generator, as lowercase hex.
    public static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes * 2)
        for _ in 0..<bytes {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return text
    }

    /// A new API key for `userID`, and its plaintext (`kam_` + 32 hex characters), the one time it exists.
    public static func newKey(userID: String, now: Date, expiresAt: Date?) -> (key: APIKey, plaintext: String) {
        let plaintext = APIKey.prefix + randomHex(bytes: 16)
        return (APIKey(id: "k-" + randomHex(bytes: 4), userID: userID, createdAt: now, expiresAt: expiresAt), plaintext)
    }

    /// A new web session of `userID` until `expiresAt`, and its token (the cookie's value), the one time it exists.
    public static func newSession(userID: String, now: Date, expiresAt: Date) -> (session: WebSession, token: String) {
        let token = WebSession.prefix + randomHex(bytes: 24)
        let session = WebSession(
            id: "s-" + randomHex(bytes: 6), userID: userID, csrfToken: randomHex(bytes: 24), createdAt: now,
            expiresAt: expiresAt)
        return (session, token)
    }
}
