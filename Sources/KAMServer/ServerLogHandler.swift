import Foundation
import Logging
import Synchronization

/// The log handler of `kam serve`: the same line swift-log's `StreamLogHandler.standardError` writes
/// (`2026-12-04T17:00:00+0000 info kam.server: latency_ms=0.42 method=GET ... [KAMServer] request`), for a
/// fraction of its cost, since the request log writes one a request.
///
/// `StreamLogHandler` formats its timestamp with `strftime` on every line (which re-reads `/etc/localtime` when `TZ`
/// is unset), prettifies its metadata again whenever a value is set (Hummingbird sets a request id on every
/// request's logger) and writes through a locked, flushed stdio stream: ~35 µs a request, a sixth of a kept
/// context's. This one formats the timestamp once a second, sorts the metadata only when it writes a line, and
/// writes each line with one `write(2)` to standard error.
public struct ServerLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: @Sendable (String) -> Void

    /// A handler writing to standard error, as `Logger(label: "kam.server", factory: ServerLogHandler.init)` makes it.
    public init(label: String) {
        self.init(label: label, metadataProvider: LoggingSystem.metadataProvider, write: Self.writeToStandardError)
    }

    /// A handler giving each line to `write` (tests).
    init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.output = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { $1 }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { $1 }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = Self.timestamp()
        line += " \(event.level)"
        if !label.isEmpty { line += " " + label }
        line += ":"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " " + key + "=" + "\(value)"
        }
        line += " [" + event.source + "] " + "\(event.message)" + "\n"
        output(line)
    }

    /// The last second formatted, as `StreamLogHandler` formats it (`%Y-%m-%dT%H:%M:%S%z`, local time).
    private static let lastSecond = Mutex<(second: time_t, text: String)>((-1, ""))

    static func timestamp(at now: time_t = time(nil)) -> String {
        if let kept = lastSecond.withLock({ $0.second == now ? $0.text : nil }) { return kept }
        var seconds = now
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        let text = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        lastSecond.withLock { $0 = (now, text) }
        return text
    }

    /// One `write(2)` a line (more only when the kernel takes part of it), so lines of concurrent requests never mix.
    private static let writeToStandardError: @Sendable (String) -> Void = { line in
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
