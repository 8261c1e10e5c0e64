import Foundation
import KAMCore

/// libFuzzer entry point for the mbox splitter and `EmailParser` (MIME trees, encoded words,
/// transfer encodings and charsets), which read whatever a mailbox export holds.
///
/// Invariants: the splitter returns one message per `From ` line, and a message's subject and text
/// survive `EmailWriter` (the path of an approved draft to an `.eml` file) unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEmail(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parser = EmailParser()
    let messages = EmailParser.splitMbox(bytes)
    let separators = bytes.split(separator: 10, omittingEmptySubsequences: false)
        .count(where: { $0.starts(with: Array("From ".utf8)) })
    precondition(messages.count == separators, "\(messages.count) messages for \(separators) `From ` lines")
    for message in [bytes] + messages {
        guard let parsed = try? parser.parse(message) else { continue }
        checkRoundTrip(parsed, parser: parser)
    }
    return 0
}

private func checkRoundTrip(_ message: EmailMessage, parser: EmailParser) {
    let body = message.text.withLFLineEnds
    let written = EmailWriter.message(
        from: nil, to: nil, subject: message.subject, body: body, date: Date(timeIntervalSince1970: 1_700_000_000),
        messageID: "fuzz@kam.local")
    let reread: EmailMessage
    do {
        reread = try parser.parse(written)
    } catch {
        fatalError("EmailWriter's message does not parse: \(error)\n\(written)")
    }
    precondition(
        Array(reread.subject.utf8) == Array(message.subject.utf8),
        "subject changed by a write and read: \(message.subject.debugDescription) -> \(reread.subject.debugDescription)")
    precondition(
        Array(reread.text.utf8) == Array((body + "\n").utf8),
        "text changed by a write and read: \(body.debugDescription) -> \(reread.text.debugDescription)")
}
