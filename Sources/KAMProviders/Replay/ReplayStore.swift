import Foundation
import KAMCore

/// A directory of recorded calls, one JSON file per request fingerprint.
public struct ReplayStore: Sendable {
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func url(for fingerprint: String) -> URL {
        directory.appendingPathComponent("\(fingerprint).json")
    }

    /// The recording for a request, or `nil` when there is none.
    /// - Throws: `ProviderError` `.malformedResponse` when the file exists but cannot be read as a recording.
    public func load(_ request: ChatRequest) throws -> ReplayRecord? {
        let file = url(for: request.fingerprint)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        do {
            return try JSONDecoder().decode(ReplayRecord.self, from: data)
        } catch {
            throw ProviderError(
                code: .malformedResponse,
                message: "the recording \(file.path) is not a KAM replay record; delete it and record again with --record",
                provider: "replay", model: request.model, underlying: WireDecodingError(error))
        }
    }

    /// Writes a recording atomically (a concurrent reader sees the old file or the new one).
    public func save(_ record: ReplayRecord) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(record).write(to: url(for: record.fingerprint), options: .atomic)
    }
}
