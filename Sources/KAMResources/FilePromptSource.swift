import Foundation
import KAMCore

/// A prompt folder on disk: `<directory>/<prompt-id>/<version>.prompty`, sibling schema files and `labels.yaml`.
public struct FilePromptSource: PromptSource {
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public var location: String { directory.path }

    public func promptFolders() throws(PromptError) -> [String] {
        try contents(of: directory)
    }

    public func fileNames(in promptID: String) throws(PromptError) -> [String]? {
        let folder = directory.appendingPathComponent(promptID)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return try contents(of: folder)
    }

    public func read(_ name: String, in promptID: String) throws(PromptError) -> Data? {
        let url = fileURL(name, in: promptID)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw PromptError(code: .io, message: "cannot read \(url.path): \(error.localizedDescription)", underlying: error)
        }
    }

    public func writeLabels(_ text: String, for promptID: String) throws(PromptError) {
        let url = fileURL(PromptRegistry.labelsFile, in: promptID)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw PromptError(code: .io, message: "cannot write \(url.path): \(error.localizedDescription)", underlying: error)
        }
    }

    /// The path relative to the current directory when it is below it (as editors and CI logs show
    /// paths), else the absolute path.
    public func displayPath(_ name: String, in promptID: String) -> String {
        let path = fileURL(name, in: promptID).standardizedFileURL.path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }

    public func fileURL(_ name: String, in promptID: String) -> URL {
        directory.appendingPathComponent(promptID).appendingPathComponent(name)
    }

    private func contents(of folder: URL) throws(PromptError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        } catch {
            throw PromptError(code: .io, message: "cannot list \(folder.path): \(error.localizedDescription)", underlying: error)
        }
    }
}

extension PromptRegistry {
    /// A registry over the prompt folder at `directory`.
    public init(directory: URL, ledger: (any PromptVersionLedger)? = nil) {
        self.init(source: FilePromptSource(directory: directory), ledger: ledger)
    }

    /// The folder of a registry over files; for another source, its `location` as a path.
    public var directory: URL {
        (source as? FilePromptSource)?.directory ?? URL(fileURLWithPath: source.location)
    }

    /// A version's file on disk.
    public func fileURL(_ promptID: String, _ version: String) -> URL {
        directory.appendingPathComponent(promptID).appendingPathComponent(Self.fileName(version))
    }

    /// The prompt folder to use: `explicit` (`--prompts`), then `KAM_PROMPTS`, then `./Prompts` when
    /// it exists, then the shipped copy, so `kam` works outside the repository.
    public static func resolveDirectory(
        explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let path = environment["KAM_PROMPTS"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let local = URL(fileURLWithPath: currentDirectory).appendingPathComponent("Prompts")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: local.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return local
        }
        return bundledDirectory ?? local
    }

    /// The prompt set shipped in KAMResources (a byte-identical copy of the repository's `Prompts/`).
    public static var bundledDirectory: URL? { ShippedResources.promptsDirectory }
}
