import Foundation
import Logging
import Synchronization
import Testing

@testable import KAMServer

@Suite("Server log handler")
struct ServerLogHandlerTests {
    /// The lines a handler wrote.
    final class Lines: Sendable {
        let written = Mutex<[String]>([])
        var all: [String] { written.withLock { $0 } }
    }

    @Test func writesStreamLogHandlersLineWithTheMetadataSortedAndNothingBelowInfo() throws {
        let lines = Lines()
        var logger = Logger(label: "kam.server") { label in
            ServerLogHandler(label: label) { line in lines.written.withLock { $0.append(line) } }
        }
        logger[metadataKey: "hb.request.id"] = "r1"
        logger.info("request", metadata: ["status": .stringConvertible(200), "route": "/clients/{id}", "latency_ms": "0.42"])
        logger.debug("not written at info")
        logger.warning("plain")
        let written = lines.all
        #expect(written.count == 2)
        let line = try #require(written.first)
        let stamp = try #require(line.split(separator: " ").first.map(String.init))
        #expect(stamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/) != nil, "\(stamp)")
        #expect(
            line.dropFirst(stamp.count)
                == " info kam.server: hb.request.id=r1 latency_ms=0.42 route=/clients/{id} status=200 [KAMServerTests] request\n")
        #expect(written.last?.dropFirst(stamp.count) == " warning kam.server: hb.request.id=r1 [KAMServerTests] plain\n")
    }

    @Test func theTimestampIsFormattedOnceASecond() {
        let now = time(nil)
        #expect(ServerLogHandler.timestamp(at: now) == ServerLogHandler.timestamp(at: now))
        #expect(ServerLogHandler.timestamp(at: now) != ServerLogHandler.timestamp(at: now - 1))
        #expect(ServerLogHandler.timestamp(at: now - 1) != ServerLogHandler.timestamp(at: now))
    }
}
