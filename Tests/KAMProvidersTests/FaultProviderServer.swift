import Foundation

/// The fault-injecting server (`tools/fault-provider`) the end-to-end tests talk to.
///
/// Uses `KAM_TEST_FAULT_PROVIDER_URL` when `.ci/run` started one; otherwise starts one on a free port
/// of 127.0.0.1 for this test process (it exits with its parent, or after ten minutes).
enum FaultProviderServer {
    static let url: Result<String, FaultServerError> = start()

    struct FaultServerError: Error, CustomStringConvertible {
        var description: String
    }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tools/fault-provider")
    }

    private static func start() -> Result<String, FaultServerError> {
        if let url = ProcessInfo.processInfo.environment["KAM_TEST_FAULT_PROVIDER_URL"], !url.isEmpty {
            return .success(url)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", "0", "--max-seconds", "600", "--hang-seconds", "20", "--exit-with-parent"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(FaultServerError(description: "could not start \(script.path) with python3: \(error)"))
        }
        // The first line is the URL; reading blocks until the server is listening.
        var line = Data()
        let handle = output.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let url = String(decoding: line, as: UTF8.self)
        guard url.hasPrefix("http://127.0.0.1:") else {
            return .failure(FaultServerError(description: "\(script.path) did not print its URL (got '\(url)')"))
        }
        return .success(url)
    }
}
