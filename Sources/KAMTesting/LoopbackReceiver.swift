import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP receiver on a loopback port for outbound webhooks to post to (`kam webhooks deliver`, the runtime's
/// own transport): it answers every request with `status` and keeps each request's head and body. Hand-written
/// over POSIX sockets so that any test target can use it without a server library; it reads one request per
/// connection and answers `Connection: close`.
public final class LoopbackReceiver: @unchecked Sendable {
    public struct Request: Sendable {
        public var head: String
        public var body: String

        /// The request line's path (`/hook` of `POST /hook HTTP/1.1`).
        public var path: String { head.split(separator: " ").dropFirst().first.map(String.init) ?? "" }

        /// The value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
    }

    public let port: Int
    private let socket: Int32
    private let lock = NSLock()
    private var requests: [Request] = []

    /// Listens on 127.0.0.1 on a port the system picks, answering `status`.
    public init(status: Int = 204) throws {
        let (listening, port) = try LoopbackSocket.bound(listening: true)
        socket = listening
        self.port = port
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listening, nil, nil)
                guard connection >= 0 else {  // shut down by `stop`: only now is the descriptor closed, by its one reader
                    close(listening)
                    return
                }
                if let request = Self.read(connection) { lock.withLock { requests.append(request) } }
                let answer = "HTTP/1.1 \(status) Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                _ = answer.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(connection)
            }
        }
    }

    /// What came in, in order.
    public var received: [Request] { lock.withLock { requests } }

    /// Stops listening: connections are refused from now on. The descriptor is closed by the accepting thread when its
    /// `accept` fails, never here: closed here, its number could be handed to another test's new socket before the
    /// thread's next `accept`, which would then take that socket's connections and answer them with this status.
    public func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
    }

    /// One request: the head up to the blank line, then `Content-Length` bytes of body.
    private static func read(_ connection: Int32) -> Request? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let text = String(decoding: bytes, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let head = String(text[..<end.lowerBound])
                let request = Request(head: head, body: "")
                let length = Int(request.header("Content-Length") ?? "0") ?? 0
                let bodyStart = text.utf8.distance(from: text.startIndex, to: end.upperBound)
                if bytes.count - bodyStart >= length {
                    return Request(head: head, body: String(decoding: bytes[bodyStart..<(bodyStart + length)], as: UTF8.self))
                }
            }
            let got = recv(connection, &buffer, buffer.count, 0)
            guard got > 0 else { return nil }
            bytes += buffer[0..<got]
        }
    }
}
