import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam anonymize`: replaces personal data in one field of every JSONL record with consistent placeholders.
///
/// Records stream through one at a time, so the file may be larger than memory. The placeholders
/// come from a secret key: the same key gives the same placeholders on every run, a different key
/// gives placeholders that cannot be joined with these.
struct AnonymizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Replace personal data in a JSONL field with consistent placeholders such as <PERSON_48213>.",
        discussion: """
            The key comes from --key-file, else the KAM_ANON_KEY environment variable (hex or text, at least \
            16 bytes), else a fresh random key for this run only. Known clients, contacts and users from the \
            store (--db) are matched on top of the general detectors when the database exists.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("in"), help: "Input JSONL file, one JSON object per line.")
    var input: String

    @Option(help: "The field holding the text to anonymize.")
    var field: String = "text"

    @Option(name: .customLong("out"), help: "Output JSONL file.")
    var output: String

    @Flag(help: "Add a `spans` array to each record: entity_type, start, end (Unicode scalar offsets of the input), text.")
    var spans = false

    @Option(help: "File holding the secret key (raw bytes, or hex text).")
    var keyFile: String?

    @Option(help: "Write the reversible placeholder→value mapping to this file (JSONL, mode 0600). Keep it secret.")
    var mappingOut: String?

    @Flag(help: "Do not read known names from the store.")
    var noStore = false

    func run() async throws {
        let key = try resolveKey()
        let session = try AnonymizationSession(key: key.bytes)
        if key.isRandom {
            Terminal.printError("kam anonymize: no --key-file or KAM_ANON_KEY; using a random key for this run (key id \(session.keyID)): placeholders will not match any other run")
        }
        let known = try await knownEntities()
        let anonymizer = try Anonymizer(known: known)

        guard let reader = FileHandle(forReadingAtPath: input) else {
            throw fail("cannot read --in \(input): no such file or not readable")
        }
        // Write under a temporary name and rename at the end, so an interrupted run leaves no partial file.
        let temporary = output + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) , let writer = FileHandle(forWritingAtPath: temporary) else {
            throw fail("cannot create --out \(output): check the folder exists and is writable")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let decoder = JSONDecoder()
        var lineNumber = 0
        var records = 0
        var entities = 0
        var buffer = Data()
        do {
            for try await line in LineReader(handle: reader) {
                lineNumber += 1
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                guard case .object(var record) = try? decoder.decode(JSONValue.self, from: line) else {
                    throw fail("\(input):\(lineNumber): not a JSON object; each line must be one object")
                }
                guard let value = record[field] else {
                    throw fail("\(input):\(lineNumber): no field '\(field)'; choose the text field with --field")
                }
                guard case .string(let text) = value else {
                    throw fail("\(input):\(lineNumber): field '\(field)' is not a string")
                }
                let result = anonymizer.anonymize(text, session: session)
                record[field] = .string(result.text)
                if spans {
                    record["spans"] = .array(
                        result.replacements.map { r in
                            [
                                "entity_type": .string(r.entity.type.rawValue), "start": .int(Int64(r.entity.start)),
                                "end": .int(Int64(r.entity.end)), "text": .string(r.entity.text),
                                "placeholder": .string(r.placeholder),
                            ]
                        })
                }
                buffer.append(try encoder.encode(JSONValue.object(record)))
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count > 1 << 20 {
                    try writer.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
                records += 1
                entities += result.replacements.count
            }
            try writer.write(contentsOf: buffer)
            try writer.close()
            if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
            try FileManager.default.moveItem(atPath: temporary, toPath: output)
        } catch {
            try? writer.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if let mappingOut {
            var data = Data()
            for entry in session.mapping() {
                data.append(try encoder.encode(entry))
                data.append(UInt8(ascii: "\n"))
            }
            guard FileManager.default.createFile(atPath: mappingOut, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw fail("cannot write --mapping-out \(mappingOut): check the folder exists and is writable")
            }
        }
        print("anonymized \(records) records, \(entities) entities, \(session.count) distinct values (key id \(session.keyID)) → \(output)")
        fflush(nil)
    }

    private func resolveKey() throws -> AnonymizationKey {
        guard let key = AnonymizationKey.resolve(keyFile: keyFile) else {
            throw fail("cannot read --key-file \(keyFile ?? "")")
        }
        return key
    }

    /// The store's clients, contacts and users, when the database exists and `--no-store` is not given.
    private func knownEntities() async throws -> KnownEntities {
        guard !noStore, AgentRuntime.hasDatabase(global) else { return KnownEntities() }
        let runtime = try await AgentRuntime.openInspecting(global)
        return try runtime.attempt { try runtime.runtime.anonymization.knownEntities() }
    }

    /// Prints `message` for a person and returns the exit code to throw (`fileUnreadable`, 2).
    private func fail(_ message: String) -> ExitCode {
        Terminal.printError("kam anonymize: " + message)
        return ExitCodes.fileUnreadable.exit
    }
}

extension AnonymizeCommand {
    /// The lines of a file as `Data`, read in large chunks.
    struct LineReader: AsyncSequence {
        typealias Element = Data
        let handle: FileHandle

        struct AsyncIterator: AsyncIteratorProtocol {
            let handle: FileHandle
            var buffer = [UInt8]()
            var position = 0
            var done = false

            mutating func next() async throws -> Data? {
                while true {
                    if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                        let line = Data(buffer[position..<newline])
                        position = newline + 1
                        return line
                    }
                    if done {
                        guard position < buffer.count else { return nil }
                        defer { position = buffer.count }
                        return Data(buffer[position...])
                    }
                    buffer.removeFirst(position)
                    position = 0
                    let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                    if chunk.isEmpty { done = true } else { buffer.append(contentsOf: chunk) }
                }
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handle: handle) }
    }
}
