import Foundation
import Testing

@testable import KAMCore
@testable import KAMResources

/// The bundled binary rank files must hold exactly the ranks of the published `.tiktoken` files they came from.
@Suite struct TokenizerRankFileTests {
    static let sharedFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("shared/data/tokenizers")

    /// Inflates a `.tiktoken.gz` with the system's `gzip` (Foundation on Linux has no gzip API).
    static func gunzip(_ url: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip -dc \(url.path) failed")
        return data
    }

    @Test(arguments: TokenEncoding.allCases)
    func bundledRanksEqualTheTiktokenFile(encoding: TokenEncoding) throws {
        let source = Self.sharedFolder.appendingPathComponent("\(encoding.rawValue).tiktoken.gz")
        try #require(
            FileManager.default.fileExists(atPath: source.path),
            "\(source.path) is missing: the shared data folder must sit beside the repo")
        let converted = try Tokenizer.binaryRankFile(fromTiktoken: try Self.gunzip(source), source: source.path)
        let bundled = try TokenizerResources.resource("\(encoding.rawValue).ranks")
        #expect(converted == bundled, "regenerate with `kam tokens convert-ranks` from \(source.path)")
        #expect(try Tokenizer(encoding: encoding).vocabularySize == (encoding == .o200kBase ? 199_998 : 100_256))
    }
}
