import Foundation
import KAMResources
import Synchronization
import Testing

@testable import KAMCore

/// `PromptRegistry` over the `PromptSource` protocol: the core lists, resolves, loads, checks and promotes
/// with no file system, and a folder on disk (`FilePromptSource`) gives the same answers.
@Suite struct PromptSourceTests {
    /// Prompt files held in memory; `writes` records every labels text written.
    final class MemorySource: PromptSource {
        let files: Mutex<[String: [String: Data]]>
        let writes = Mutex<[String]>([])

        init(_ files: [String: [String: Data]]) { self.files = Mutex(files) }

        /// A copy of every file of a prompt folder on disk.
        convenience init(copying directory: URL) throws {
            var files: [String: [String: Data]] = [:]
            let source = FilePromptSource(directory: directory)
            for id in try source.promptFolders() {
                for name in try source.fileNames(in: id) ?? [] {
                    files[id, default: [:]][name] = try source.read(name, in: id)
                }
            }
            self.init(files)
        }

        var location: String { "memory" }
        func promptFolders() throws(PromptError) -> [String] { files.withLock { Array($0.keys) } }
        func fileNames(in promptID: String) throws(PromptError) -> [String]? { files.withLock { $0[promptID].map { Array($0.keys) } } }
        func read(_ name: String, in promptID: String) throws(PromptError) -> Data? { files.withLock { $0[promptID]?[name] } }
        func writeLabels(_ text: String, for promptID: String) throws(PromptError) {
            files.withLock { $0[promptID, default: [:]][PromptRegistry.labelsFile] = Data(text.utf8) }
            writes.withLock { $0.append(promptID) }
        }
        func displayPath(_ name: String, in promptID: String) -> String { "memory/\(promptID)/\(name)" }
    }

    @Test func aRegistryOverMemoryAnswersAsTheFolderOnDisk() throws {
        let memory = try MemorySource(copying: PromptTestSupport.shippedPrompts)
        let inMemory = PromptRegistry(source: memory)
        let onDisk = PromptRegistry(directory: PromptTestSupport.shippedPrompts)
        let ids = try onDisk.promptIDs()
        #expect(ids.count >= 9)
        #expect(try inMemory.promptIDs() == ids)
        #expect(inMemory.check().isEmpty)
        for id in ids {
            #expect(try inMemory.versions(of: id) == onDisk.versions(of: id))
            #expect(try inMemory.labels(of: id) == onDisk.labels(of: id))
            let reference = PromptReference(promptID: id, selector: .defaultLabel)
            let fromMemory = try inMemory.load(reference)
            let fromDisk = try onDisk.load(reference)
            #expect(fromMemory.contentHash == fromDisk.contentHash, "\(id)")
            #expect(fromMemory.file == "memory/\(id)/\(fromMemory.version).prompty")
        }
    }

    @Test func promotingWritesTheLabelsThroughTheSource() throws {
        let memory = try MemorySource(copying: PromptTestSupport.shippedPrompts)
        let registry = PromptRegistry(source: memory)
        let id = "draft.follow-up-email"
        let versions = try registry.versions(of: id)
        #expect(versions.count >= 2)
        try registry.promote(promptID: id, version: versions[0], label: "candidate")
        #expect(memory.writes.withLock { $0 } == [id])
        #expect(try registry.resolve(PromptReference(promptID: id, selector: .label("candidate"))) == versions[0])
        try registry.promote(promptID: id, version: versions[1], label: "candidate")
        try registry.rollback(promptID: id, label: "candidate")
        #expect(try registry.resolve(PromptReference(promptID: id, selector: .label("candidate"))) == versions[0])
        #expect(memory.writes.withLock { $0 }.count == 3)
    }

    @Test func aMissingPromptNamesTheSourceAndTheKnownPrompts() throws {
        let registry = PromptRegistry(source: MemorySource(["a.b": ["1.prompty": Data()]]))
        let error = #expect(throws: PromptError.self) { try registry.versions(of: "x.y") }
        #expect(error?.code == .promptNotFound)
        #expect(error?.message.contains("in memory; known prompts: a.b") == true)
    }
}
