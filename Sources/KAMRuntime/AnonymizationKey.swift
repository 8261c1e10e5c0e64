import Foundation

/// The secret that numbers anonymization placeholders: `--key-file`, else `$KAM_ANON_KEY`, else a random
/// key for this one run (whose placeholders then link to no other run's). `kam export` and the weekly export job
/// (`exports.key_file`) read it.
public struct AnonymizationKey: Sendable {
    public var bytes: [UInt8]
    /// Neither a file nor the variable named a key.
    public var isRandom: Bool

    /// The key of this invocation.
    /// - Returns: nil when `keyFile` is given but cannot be read.
    public static func resolve(
        keyFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> AnonymizationKey? {
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile) else { return nil }
            return AnonymizationKey(bytes: bytes(data), isRandom: false)
        }
        if let text = environment["KAM_ANON_KEY"], !text.isEmpty {
            return AnonymizationKey(bytes: bytes(Data(text.utf8)), isRandom: false)
        }
        var generator = SystemRandomNumberGenerator()
        return AnonymizationKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }, isRandom: true)
    }

    /// Hex text (as `openssl rand -hex 32` writes) decodes to bytes; anything else is used as it is, less
    /// the final newline of a text file.
    public static func bytes(_ data: Data) -> [UInt8] {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let hex = Array(text.utf8)
        if hex.count >= 32, hex.count % 2 == 0, hex.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) }) {
            return stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0...$0 + 1], as: UTF8.self), radix: 16)! }
        }
        if data.last == UInt8(ascii: "\n") { return Array(text.utf8) }
        return Array(data)
    }
}
