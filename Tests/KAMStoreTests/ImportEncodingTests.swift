import Foundation
import KAMCore
import Testing

@testable import KAMStore

/// Bytes that are not text in the file's encoding are refused with their lines (never replaced by
/// U+FFFD); `--encoding windows-1252` and `latin-1` read CRM exports made on Windows.
@Suite("Import encodings")
struct ImportEncodingTests {
    static let invalidUTF8: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0xAF], [0xC3], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8],
        [0xFF], [0xE9],  // é in Latin-1
        [0xFC, 0x6C],  // ül in Latin-1
    ]

    @Test("a byte that is not UTF-8 is refused with file:line, on whichever line it is")
    func invalidUTF8IsRefusedWithItsLine() throws {
        var cases = 0
        for sequence in Self.invalidUTF8 {
            for badLine in [2, 3, 7] {
                var lines = (1...8).map { Array("row \($0),Ann,ann@acme.example,é".utf8) }
                lines[badLine - 1] = Array("row,An".utf8) + sequence + Array("n,x".utf8)
                let data = Data(lines.joined(separator: [0x0A]))
                let error = try #require(throws: ImportError.self) { try ImportEncoding.utf8.decode(data, file: "crm.csv") }
                #expect(error.code == .invalidEncoding)
                #expect(error.issues.map(\.line) == [badLine], "\(sequence): \(error)")
                #expect(error.message.contains("crm.csv:\(badLine): byte 0x"), "\(error.message)")
                #expect(error.message.contains("--encoding windows-1252"), "\(error.message)")
                #expect(error.message.contains("byte 7 of the line"), "\(error.message)")
                cases += 1
            }
        }
        #expect(cases == 33)
        // Several bad lines: one issue each, counted beyond the first twenty.
        var many = Data()
        for line in 1...30 {
            many.append(contentsOf: Array("ok\(line) ".utf8))
            if line % 2 == 0 { many.append(0xE9) }
            many.append(0x0A)
        }
        let error = try #require(throws: ImportError.self) { try ImportEncoding.utf8.decode(many, file: "m.csv") }
        #expect(error.issues.map { $0.line } == Array(stride(from: 2, through: 30, by: 2)).map { Optional($0) })
        #expect(error.issueCount == 15)
        #expect(try ImportEncoding.utf8.decode(Data("é 日本 😀\u{0}".utf8), file: "x") == "é 日本 😀\u{0}")
    }

    @Test("Windows-1252: the 0x80–0x9F table, Latin-1 elsewhere, undefined bytes refused with their line")
    func windows1252() throws {
        let expected: [UInt8: String] = [
            0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰", 0x8A: "Š",
            0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—",
            0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
        ]
        for byte in UInt8.min...UInt8.max {
            let data = Data([byte])
            if [0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(byte) {
                let error = try #require(throws: ImportError.self) {
                    try ImportEncoding.windows1252.decode(Data("a\nb".utf8) + data, file: "w.csv")
                }
                #expect(error.issues.first?.line == 2)
                #expect(error.message.contains("not a character in Windows-1252"))
                continue
            }
            let text = try ImportEncoding.windows1252.decode(data, file: "w.csv")
            if let character = expected[byte] {
                #expect(text == character, "0x\(String(byte, radix: 16))")
            } else {
                #expect(text.unicodeScalars.map(\.value) == [UInt32(byte)], "0x\(String(byte, radix: 16))")
            }
            // Foundation agrees wherever it decodes a byte at all.
            if let foundation = String(data: data, encoding: .windowsCP1252) { #expect(foundation == text) }
        }
        #expect(try ImportEncoding.windows1252.decode(Data([0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x20, 0x80]), file: "w") == "Müller €")
    }

    @Test("Latin-1 maps every byte to the code point of the same value")
    func latin1() throws {
        let all = Data(UInt8.min...UInt8.max)
        let text = try ImportEncoding.latin1.decode(all, file: "l.csv")
        #expect(text.unicodeScalars.map(\.value) == (0...255).map(UInt32.init))
    }

    @Test func encodingNames() {
        #expect(ImportEncoding(name: "UTF8") == .utf8)
        #expect(ImportEncoding(name: "cp1252") == .windows1252)
        #expect(ImportEncoding(name: "Windows-1252") == .windows1252)
        #expect(ImportEncoding(name: "ISO-8859-1") == .latin1)
        #expect(ImportEncoding(name: "latin_1") == .latin1)
        #expect(ImportEncoding(name: "ebcdic") == nil)
    }

    @Test("importFile refuses a Latin-1 CSV read as UTF-8 (nothing stored) and imports it with --encoding")
    func importFileWithEncoding() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kam-enc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let mapping = CSVMapping(
            name: "crm", fields: ["client.name": "Company", "contact.name": "Name", "contact.email": "Email"])
        let csv: [UInt8] = Array("Company,Name,Email\nCaf".utf8) + [0xE9] + Array(" Ruiz,J".utf8) + [0xFC]
            + Array("rgen M".utf8) + [0xFC] + Array("ller,jm@cafe.example\n".utf8)
        let path = directory.appendingPathComponent("export.csv").path
        try Data(csv).write(to: URL(fileURLWithPath: path))
        let store = try ClientStore.inMemory()
        let importer = ClientImporter(store: store)
        let error = try #require(throws: ImportError.self) { try importer.importFile(at: path, mapping: mapping) }
        #expect(error.code == .invalidEncoding)
        #expect(error.message.contains("export.csv:2: byte 0xE9 is not UTF-8"), "\(error.message)")
        #expect(try store.counts() == StoreCounts())
        for encoding in [ImportEncoding.latin1, .windows1252] {
            _ = try importer.importFile(at: path, mapping: mapping, encoding: encoding)
            let client = try #require(try store.listClients().first)
            #expect(client.name == "Café Ruiz")
            let snapshot = try #require(try store.snapshot(clientID: client.id, activitiesSince: .distantPast))
            #expect(snapshot.contacts.map(\.name) == ["Jürgen Müller"])
        }
        // The JSON path takes the option too.
        let json: [UInt8] = Array(#"{"clients": [{"id": "x", "name": "Soci"#.utf8) + [0xE9, 0x74, 0xE9] + Array(#""}]}"#.utf8)
        let jsonPath = directory.appendingPathComponent("c.json").path
        try Data(json).write(to: URL(fileURLWithPath: jsonPath))
        #expect(throws: ImportError.self) { try importer.importFile(at: jsonPath) }
        _ = try importer.importFile(at: jsonPath, encoding: .latin1)
        #expect(try store.client(id: "x")?.name == "Société")
    }
}
