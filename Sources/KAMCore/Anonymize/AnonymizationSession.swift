import Crypto
import Foundation
import Synchronization

/// The placeholders of one dataset: the same value always gets the same placeholder, and the
/// placeholder's number comes from an HMAC-SHA256 of the value under a secret key, so two exports
/// made with different keys cannot be joined on their placeholders.
///
/// Shared by every record of an export (also across tasks), so its small state sits behind a `Mutex`.
/// It keeps the mapping in memory to keep placeholders unique; the mapping leaves the process only
/// when a caller asks for ``mapping()``.
public final class AnonymizationSession: Sendable {
    /// One placeholder and the value it stands for.
    public struct MappingEntry: Codable, Sendable, Hashable {
        public var placeholder: String
        public var entityType: PIIEntityType
        /// The text as first seen.
        public var value: String

        enum CodingKeys: String, CodingKey {
            case placeholder
            case entityType = "entity_type"
            case value
        }
    }

    private struct State {
        /// By type and the text exactly as found: the common case, with no normalization.
        var byRawValue: [String: String] = [:]
        var byValue: [String: String] = [:]
        var taken: Set<String> = []
        var entries: [MappingEntry] = []
    }

    /// The secret, as bytes: `SymmetricKey` is not `Sendable`, so one is made per new value.
    private let key: [UInt8]
    /// The first 16 hex digits of SHA-256 of the key: names the key in audit records without revealing it.
    public let keyID: String
    /// Placeholder numbers are drawn from `0..<numberSpace`.
    public let numberSpace: UInt64
    private let state = Mutex(State())

    /// - Parameter key: at least 16 bytes of secret.
    /// - Throws: ``AnonymizerError`` with code `invalid_key` when the key is shorter.
    public init(key: [UInt8], numberSpace: UInt64 = 1_000_000) throws(AnonymizerError) {
        guard key.count >= 16 else {
            throw AnonymizerError(
                code: .invalidKey,
                message: "the anonymization key has \(key.count) bytes; use at least 16 random bytes "
                    + "(e.g. `head -c 32 /dev/urandom > kam-anon.key`)")
        }
        self.key = key
        self.keyID = SHA256.hash(data: key).prefix(8).map { String(format: "%02x", $0) }.joined()
        self.numberSpace = max(numberSpace, 10)
    }

    /// A session with a fresh random key: placeholders are consistent within the run and unlinkable to any other.
    public static func randomKey() -> AnonymizationSession {
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        // A 32-byte key always satisfies the length check.
        return try! AnonymizationSession(key: key)
    }

    /// The value as compared for consistency: case, spacing, titles and separators do not make a new person or number.
    static func normalized(_ type: PIIEntityType, _ value: String) -> String {
        switch type {
        case .phoneNumber, .creditCard, .iban, .nationalID, .ipAddress:
            return String(String.UnicodeScalarView(value.unicodeScalars.filter { ScannedText.isAlnum($0) || $0 == ":" })).uppercased()
        case .emailAddress, .url:
            var v = value.lowercased()
            while v.hasSuffix("/") { v.removeLast() }
            for prefix in ["https://", "http://"] where v.hasPrefix(prefix) { v.removeFirst(prefix.count) }
            if v.hasPrefix("www.") { v.removeFirst(4) }
            return v
        default:
            let t = ScannedText(value)
            var words: [String] = []
            for token in t.tokens where token.kind == .word || token.kind == .number {
                let w = t.lower(token)
                if type == .person, words.isEmpty, NameDetector.titles.contains(w) { continue }
                words.append(w)
            }
            return words.joined(separator: " ")
        }
    }

    /// The placeholder for `value`, the same every time it is asked for the same value in this session.
    public func placeholder(for type: PIIEntityType, value: String) -> String {
        let raw = type.placeholderTag + "\u{0}" + value
        if let found = state.withLock({ $0.byRawValue[raw] }) { return found }
        let norm = Self.normalized(type, value)
        let lookup = type.rawValue + "\u{0}" + norm
        if let found = state.withLock({ $0.byValue[lookup] }) {
            state.withLock { $0.byRawValue[raw] = found }
            return found
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(lookup.utf8), using: SymmetricKey(data: key))
        var number = mac.withUnsafeBytes { raw in
            raw.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        } % numberSpace
        return state.withLock { state in
            if let found = state.byValue[lookup] {
                state.byRawValue[raw] = found
                return found
            }
            var placeholder = "<\(type.placeholderTag)_\(number)>"
            // Two values whose HMACs collide: the later one takes the next free number.
            while state.taken.contains(placeholder) {
                number = (number + 1) % numberSpace
                placeholder = "<\(type.placeholderTag)_\(number)>"
            }
            state.taken.insert(placeholder)
            state.byValue[lookup] = placeholder
            state.byRawValue[raw] = placeholder
            state.entries.append(MappingEntry(placeholder: placeholder, entityType: type, value: value))
            return placeholder
        }
    }

    /// The reversible mapping, in order of first appearance; write it only where the user asked for it.
    public func mapping() -> [MappingEntry] {
        state.withLock { $0.entries }
    }

    /// How many distinct values have a placeholder.
    public var count: Int { state.withLock { $0.byValue.count } }
}
