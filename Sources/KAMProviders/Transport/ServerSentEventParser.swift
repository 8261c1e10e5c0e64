import KAMCore
import Foundation

/// Incremental parser of a `text/event-stream` body (WHATWG HTML §9.2), fed in arbitrary chunks.
///
/// Chunks split lines and even UTF-8 sequences anywhere, so bytes are buffered until a line ends.
/// Handles `\n`, `\r\n` and `\r` line ends, comments (`:`), multi-line `data`, and `event` names.
public struct ServerSentEventParser: Sendable {
    private var buffer: [UInt8] = []
    private var eventName: String?
    private var dataLines: [String] = []
    private var sawCR = false

    public init() {}

    /// Feeds a chunk and returns the events it completed.
    public mutating func feed(_ chunk: Data) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in chunk {
            if sawCR {
                sawCR = false
                if byte == 0x0A { continue }
            }
            if byte == 0x0A || byte == 0x0D {
                sawCR = byte == 0x0D
                if let event = processLine() { events.append(event) }
            } else {
                buffer.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: a last event without its blank line is still delivered.
    public mutating func finish() -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        if !buffer.isEmpty, let event = processLine() { events.append(event) }
        if let event = dispatch() { events.append(event) }
        return events
    }

    private mutating func processLine() -> ServerSentEvent? {
        let line = String(decoding: buffer, as: UTF8.self)
        buffer.removeAll(keepingCapacity: true)
        if line.isEmpty { return dispatch() }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = Substring(line)
            value = ""
        }
        switch field {
        case "data": dataLines.append(String(value))
        case "event": eventName = String(value)
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            dataLines.removeAll()
            eventName = nil
        }
        guard !dataLines.isEmpty else { return nil }
        return ServerSentEvent(event: eventName, data: dataLines.joined(separator: "\n"))
    }
}
