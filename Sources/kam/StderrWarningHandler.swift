import Foundation
import Logging

/// Prints the runtime's warnings for a person: `kam: warning: <message>` on stderr.
struct StderrWarningHandler: LogHandler {
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = event.level >= .error ? "kam: " : "kam: warning: "
        FileHandle.standardError.write(Data((prefix + "\(event.message)\n").utf8))
    }
}
