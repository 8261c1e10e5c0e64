import Foundation
import Testing

/// Runs the built `kam` executable as a subprocess, the way a person or a CI job does.
///
/// The binary is the one SwiftPM built next to the test bundle (`swift build --build-tests` builds
/// every product, `kam` included), so these tests exercise argument parsing, exit codes and output
/// exactly as shipped. Every run gets a scrubbed environment: no provider keys (so nothing can
/// reach the network), no ambient `KAM_*` settings, and `KAM_PROMPTS` pointing at the repository's
/// `Prompts/`.
struct KAMTool: Sendable {
    /// What one run of `kam` produced.
    struct Result: Sendable, CustomStringConvertible {
        var arguments: [String]
        var exitCode: Int32
        var stdout: String
        var stderr: String

        var succeeded: Bool { exitCode == 0 }

        /// The standard output decoded as JSON (arrays and objects as Foundation collections).
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        }

        var jsonObject: [String: Any]? { (try? json()) as? [String: Any] }
        var jsonArray: [[String: Any]]? { (try? json()) as? [[String: Any]] }

        /// Printed by `#expect` failures so a broken command shows what it said.
        var description: String {
            "kam \(arguments.joined(separator: " ")) → exit \(exitCode)\n--- stdout\n\(stdout.prefix(4000))\n--- stderr\n\(stderr.prefix(4000))"
        }
    }

    /// Thrown when the binary cannot be found or started, or does not finish in time.
    struct Failure: Error, CustomStringConvertible {
        var code: String
        var message: String
        var underlying: (any Error)?
        var description: String { "\(code): \(message)" + (underlying.map { " (\($0))" } ?? "") }
    }

    /// The repository root, from this file's location (`Tests/kamTests/KAMTool.swift`).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped prompt set.
    static let promptsFolder: URL = repositoryRoot.appendingPathComponent("Prompts")

    /// The built `kam`: `KAM_BINARY` if set, else next to the running test bundle, else the
    /// package's `.build/debug` (or `.build/<triple>/debug`).
    static let binary: URL? = {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["KAM_BINARY"], !path.isEmpty {
            candidates.append(URL(fileURLWithPath: path))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL
        var directory = executable.deletingLastPathComponent()
        // Inside a bundle (`X.xctest/Contents/MacOS/X` on macOS), climb out of it.
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("kam"))
            if directory.path.hasSuffix(".build") || directory.path == "/" { break }
            directory = directory.deletingLastPathComponent()
        }
        if let bundle = Bundle.main.executableURL {
            candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("kam"))
        }
        let build = repositoryRoot.appendingPathComponent(".build")
        candidates.append(build.appendingPathComponent("debug/kam"))
        if let triples = try? fileManager.contentsOfDirectory(atPath: build.path) {
            for triple in triples.sorted() where triple.contains("-") {
                candidates.append(build.appendingPathComponent("\(triple)/debug/kam"))
            }
        }
        return candidates.first { url in
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory)
                && !isDirectory.boolValue && fileManager.isExecutableFile(atPath: url.path)
        }
    }()

    /// The environment every run starts from: the test's own, minus keys and KAM settings.
    static func baseEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys
        where key.hasPrefix("KAM_") || key.hasSuffix("_API_KEY") || key == "EDITOR" || key == "VISUAL" {
            environment.removeValue(forKey: key)
        }
        environment["KAM_PROMPTS"] = promptsFolder.path
        environment["NO_COLOR"] = "1"
        return environment
    }

    /// Runs `kam arguments` in `directory`, feeding `input` on standard input, and returns what it
    /// printed. A run that takes longer than `timeout` seconds is killed and reported as a failure.
    static func run(
        _ arguments: [String],
        in directory: URL,
        environment extra: [String: String] = [:],
        input: String? = nil,
        timeout: TimeInterval = 60
    ) async throws -> Result {
        guard let binary else {
            throw Failure(
                code: "kam-binary-missing",
                message: "the kam executable was not found next to the test bundle or in \(repositoryRoot.path)/.build/debug; run `swift build` (or set KAM_BINARY)")
        }
        let fileManager = FileManager.default
        let token = UUID().uuidString
        let outURL = directory.appendingPathComponent(".kam-out-\(token)")
        let errURL = directory.appendingPathComponent(".kam-err-\(token)")
        _ = fileManager.createFile(atPath: outURL.path, contents: nil)
        _ = fileManager.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? fileManager.removeItem(at: outURL)
            try? fileManager.removeItem(at: errURL)
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = baseEnvironment()
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        var inURL: URL?
        if let input {
            let url = directory.appendingPathComponent(".kam-in-\(token)")
            try Data(input.utf8).write(to: url)
            inURL = url
            process.standardInput = try FileHandle(forReadingFrom: url)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        defer { if let inURL { try? fileManager.removeItem(at: inURL) } }

        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                continuation.resume(returning: finished.terminationStatus)
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(
                    throwing: Failure(code: "kam-not-started", message: "cannot start \(binary.path)", underlying: error))
                return
            }
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning, process.processIdentifier == pid { process.terminate() }
            }
        }
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return Result(arguments: arguments, exitCode: status, stdout: stdout, stderr: stderr)
    }
}
