import Foundation
import KAMCore
import Testing

@Suite struct EmailParserTests {
    let parser = EmailParser()

    @Test func simpleMessageWithFoldedHeadersAndThread() throws {
        let raw = """
            From: "Ruiz, Ana" <Ana.Ruiz@Acme.com>
            To: sam@kam.example, Bob <bob@kam.example>
            Subject: Re: Inspection
             next week
            Date: Tue, 3 Oct 2023 09:15:02 +0200
            Message-ID: <m2@acme.com>
            In-Reply-To: <m1@acme.com>
            References: <m0@acme.com> <m1@acme.com>

            Hi Sam,
            can we move the inspection?
            """
        let m = try parser.parse(raw)
        #expect(m.from == EmailAddress(name: "Ruiz, Ana", address: "ana.ruiz@acme.com"))
        #expect(m.from?.domain == "acme.com")
        #expect(m.to.map(\.address) == ["sam@kam.example", "bob@kam.example"])
        #expect(m.subject == "Re: Inspection next week")
        #expect(m.messageID == "m2@acme.com")
        #expect(m.inReplyTo == "m1@acme.com")
        #expect(m.threadID == "m0@acme.com")
        #expect(m.text.contains("can we move the inspection?"))
        #expect(m.date == Date(timeIntervalSince1970: 1_696_317_302))
    }

    @Test func multipartAlternativeQuotedPrintableBase64AndCharsets() throws {
        let raw = [
            "From: =?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@example.es>",
            "Subject: =?ISO-8859-1?B?Q2Fm6SBjb24gbGVjaGU=?=",
            "Message-ID: <x1@example.es>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"outer\"",
            "",
            "preamble",
            "--outer",
            "Content-Type: multipart/alternative; boundary=inner",
            "",
            "--inner",
            "Content-Type: text/plain; charset=iso-8859-1",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Caf=E9 tr=E8s bon, long line that is=",
            " soft-wrapped.",
            "--inner",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            "PHA+Q2Fmw6kgPGI+dHLDqHM8L2I+IGJvbjwvcD4=",
            "--inner--",
            "--outer",
            "Content-Type: application/pdf; name=\"offer.pdf\"",
            "Content-Disposition: attachment; filename=\"offer.pdf\"",
            "Content-Transfer-Encoding: base64",
            "",
            "JVBERi0xLjQ=",
            "--outer--",
            "",
        ].joined(separator: "\r\n")
        let m = try parser.parse(raw)
        #expect(m.from?.name == "José Pérez")
        #expect(m.subject == "Café con leche")
        #expect(m.text == "Café très bon, long line that is soft-wrapped.")
        #expect(m.html == "<p>Café <b>très</b> bon</p>")
        #expect(m.attachments == ["offer.pdf"])
    }

    @Test func htmlOnlyBodyBecomesText() throws {
        let raw = "From: a@b.com\nSubject: x\nContent-Type: text/html\n\n<p>Hello&nbsp;there</p><script>evil()</script><p>Bye</p>"
        let m = try parser.parse(raw)
        #expect(m.text == "Hello there\n\nBye")
        #expect(!m.text.contains("evil"))
    }

    @Test func malformedMessagesGiveAReason() {
        #expect(throws: EmailParseError.self) { try parser.parse("this is not an email at all\n\nbody") }
        #expect(throws: EmailParseError.self) { try parser.parse(" folded first line\nFrom: a@b.c\n\nx") }
        let noBoundary = "From: a@b.c\nContent-Type: multipart/mixed\n\nbody"
        let error = #expect(throws: EmailParseError.self) { try parser.parse(noBoundary) }
        #expect(error?.reason.contains("boundary") == true)
    }

    @Test func mboxSplitsAndUnescapes() throws {
        let mbox = """
            From alice@x.com Mon Oct  2 10:00:00 2023
            From: alice@x.com
            Subject: one

            >From the start
            From bob@y.com Mon Oct  2 11:00:00 2023
            From: bob@y.com
            Subject: two

            second
            """
        let parts = EmailParser.splitMbox(Array(mbox.utf8))
        #expect(parts.count == 2)
        let first = try parser.parse(parts[0])
        #expect(first.text.hasPrefix("From the start"))
        #expect(try parser.parse(parts[1]).subject == "two")
    }
}

@Suite struct EmailWriterTests {
    @Test func writtenMessageParsesBackUnchanged() throws {
        let body = "Hola José,\n\nthe inspection moves to Friday — see you then.   \n" + String(repeating: "long line ", count: 20)
        let text = EmailWriter.message(
            from: EmailAddress(name: "Sam Lee", address: "sam@kam.example"),
            to: EmailAddress(name: "José Pérez", address: "jose@example.es"), subject: "Inspección el viernes",
            body: body, date: Date(timeIntervalSince1970: 1_700_000_000), messageID: "d-1@kam.local")
        #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 998 })
        let parsed = try EmailParser().parse(text)
        #expect(parsed.subject == "Inspección el viernes")
        #expect(parsed.to.first?.name == "José Pérez")
        // The writer ends the body with a line break, as mail does.
        #expect(parsed.text == body + "\n")
        #expect(parsed.messageID == "d-1@kam.local")
        #expect(parsed.date == Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// The fuzzer's find: a subject decoded from an encoded word kept its leading space, which a
    /// plain header loses when read (values are trimmed); such subjects are written encoded.
    @Test(arguments: [" viernes", "viernes ", "  ", "=?utf-8?q?not_a_word?=", "tab\there", "del\u{7F}"])
    func subjectsAReaderWouldChangeAreEncoded(subject: String) throws {
        let text = EmailWriter.message(
            from: nil, to: nil, subject: subject, body: "x", date: Date(timeIntervalSince1970: 0), messageID: "s@kam.local")
        #expect(try EmailParser().parse(text).subject == subject)
    }

    /// The fuzzer's find: "\r\r\r\n" was the characters "\r", "\r", "\r\n", so replacing "\r\n" left a CR that a
    /// write and a read turned into a line break. Every CR, alone or before LF, is one line end, read and written.
    @Test(arguments: [
        ("works.\r\r\r\n", "works.\n\n\n"), ("a\rb", "a\nb"), ("a\r\nb\r\n", "a\nb\n"), ("a\n\rb", "a\n\nb"), ("plain", "plain"),
    ])
    func carriageReturnsAreLineEnds(body: String, expected: String) throws {
        #expect(body.withLFLineEnds == expected)
        let raw = "From: a@b.example\r\nSubject: s\r\n\r\n" + body
        let text = try EmailParser().parse(Array(raw.utf8)).text
        #expect(Array(text.utf8) == Array(expected.utf8))
        let written = EmailWriter.message(
            from: nil, to: nil, subject: "s", body: text, date: Date(timeIntervalSince1970: 0), messageID: "c@kam.local")
        #expect(Array(try EmailParser().parse(written).text.utf8) == Array((text + "\n").utf8))
    }
}
