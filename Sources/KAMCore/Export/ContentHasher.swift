import Crypto
import Foundation

/// SHA-256 of a stream of bytes, fed as they are written, so an export names its files' hashes
/// without reading them back.
public struct ContentHasher {
    private var hasher = SHA256()

    public init() {}

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        hasher.update(data: Array(bytes))
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// The digest as lowercase hex.
    public func hexDigest() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of `bytes` as lowercase hex.
    public static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var h = ContentHasher()
        h.update(bytes)
        return h.hexDigest()
    }
}
