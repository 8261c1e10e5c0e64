import Crypto
import Foundation
import _CryptoExtras

/// A password stored as scrypt (RFC 7914, BoringSSL's through swift-crypto's `_CryptoExtras`) in the PHC string
/// format: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (unpadded base64). The cost is OWASP's minimum for scrypt
/// (N = 2^17, r = 8, p = 1: 128 MiB and about a third of a second a check here), and is read back from each stored
/// string, so a stronger cost later still verifies the old ones.
///
/// Pure: the salt is the caller's (the runtime draws it from the system's random generator).
public struct PasswordHash: Sendable, Hashable {
    /// The cost of one derivation.
    public struct Cost: Sendable, Hashable {
        /// log2 of N, the CPU and memory cost.
        public var logN: Int
        /// The block size.
        public var r: Int
        /// The parallelism.
        public var p: Int

        public init(logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// OWASP's recommended minimum for scrypt.
        public static let standard = Cost(logN: 17, r: 8, p: 1)

        /// The bounds a stored string's cost must fall in: a tampered row cannot make a sign-in take minutes or
        /// gigabytes, nor a weak one be accepted.
        static let logNRange = 10...20
        static let rRange = 1...16
        static let pRange = 1...4

        var memory: Int { 128 * r * (1 << logN) }
    }

    public let cost: Cost
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// The text stored in `users.password_hash`.
    public var encoded: String {
        "$scrypt$ln=\(cost.logN),r=\(cost.r),p=\(cost.p)$\(Self.base64(salt))$\(Self.base64(hash))"
    }

    /// Derives the hash of `password` with `salt` (16 bytes or more) at `cost`.
    public static func make(password: String, salt: [UInt8], cost: Cost = .standard) throws -> PasswordHash {
        PasswordHash(cost: cost, salt: salt, hash: try derive(password, salt: salt, cost: cost))
    }

    /// Reads a stored string; nil when it is not a scrypt PHC string with a cost inside the accepted bounds.
    public init?(encoded text: String) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return nil }
        var values: [Substring: Int] = [:]
        for pair in parts[2].split(separator: ",") {
            let field = pair.split(separator: "=", maxSplits: 1)
            guard field.count == 2, let number = Int(field[1]) else { return nil }
            values[field[0]] = number
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"], Cost.logNRange.contains(logN),
            Cost.rRange.contains(r), Cost.pRange.contains(p), let salt = Self.bytes(parts[3]), salt.count >= 16,
            let hash = Self.bytes(parts[4]), hash.count >= 16
        else { return nil }
        self.init(cost: Cost(logN: logN, r: r, p: p), salt: salt, hash: hash)
    }

    private init(cost: Cost, salt: [UInt8], hash: [UInt8]) {
        self.cost = cost
        self.salt = salt
        self.hash = hash
    }

    /// Whether `password` derives this hash, compared in constant time.
    public func matches(_ password: String) -> Bool {
        guard let derived = try? Self.derive(password, salt: salt, cost: cost, length: hash.count) else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(derived, hash) { difference |= a ^ b }
        return difference == 0
    }

    static func derive(_ password: String, salt: [UInt8], cost: Cost, length: Int = 32) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: length, rounds: 1 << cost.logN, blockSize: cost.r,
            parallelism: cost.p, maxMemory: cost.memory + (1 << 20))
        return key.withUnsafeBytes { Array($0) }
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    private static func bytes(_ text: Substring) -> [UInt8]? {
        var padded = String(text)
        while padded.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded).map { Array($0) }
    }
}
