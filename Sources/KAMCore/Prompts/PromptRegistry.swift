import Foundation

/// The prompt folder: every prompt id, its versions, its labels, and the rule that a used version never changes.
///
/// Layout: `<directory>/<prompt-id>/<version>.prompty`, an optional sibling schema file, and
/// `<directory>/<prompt-id>/labels.yaml`. Loading verifies a version's content hash against the
/// ledger, so a file edited after its first use is refused with a message to add a new version.
public struct PromptRegistry: Sendable {
    public static let fileExtension = "prompty"
    public static let labelsFile = "labels.yaml"
    public static let defaultLabel = "production"

    public var directory: URL
    public var ledger: (any PromptVersionLedger)?

    public init(directory: URL, ledger: (any PromptVersionLedger)? = nil) {
        self.directory = directory
        self.ledger = ledger
    }

    /// The prompt folder to use: `explicit` (`--prompts`), then `KAM_PROMPTS`, then `./Prompts` when
    /// it exists, then the copy shipped inside KAMCore, so `kam` works outside the repository.
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

    /// The prompt set shipped as a KAMCore resource (a byte-identical copy of the repository's `Prompts/`).
    public static var bundledDirectory: URL? {
        // On Linux `resourceURL` may not point inside the resource bundle; ask for the folder by name.
        guard
            let url = Bundle.module.url(forResource: "Prompts", withExtension: nil, subdirectory: "Resources")
                ?? Bundle.module.resourceURL?.appendingPathComponent("Resources/Prompts")
        else { return nil }
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    // MARK: - Listing

    /// Every prompt id (folder with at least one `.prompty` file), sorted.
    public func promptIDs() throws(PromptError) -> [String] {
        let entries = try contents(of: directory)
        return entries.filter { name in
            (try? versions(of: name))?.isEmpty == false
        }.sorted()
    }

    /// The versions of a prompt, in numeric order (`1`, `2`, `10`); files whose name is not a version
    /// (`PromptVersionName`) are left out, and `check()` reports them.
    public func versions(of promptID: String) throws(PromptError) -> [String] {
        let folder = directory.appendingPathComponent(promptID)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            let known = (try? contents(of: directory))?.sorted().joined(separator: ", ") ?? ""
            throw PromptError(
                code: .promptNotFound,
                message: "no prompt `\(promptID)` in \(directory.path); known prompts: \(known.isEmpty ? "none" : known)")
        }
        return try contents(of: folder)
            .filter { $0.hasSuffix(".\(Self.fileExtension)") }
            .map { String($0.dropLast(Self.fileExtension.count + 1)) }
            .filter { PromptVersionName.isValid($0) }
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
    }

    /// `.prompty` files of a prompt folder whose name is not a version, as errors.
    func misnamedVersionFiles(in folderName: String) -> [PromptDiagnostic] {
        let folder = directory.appendingPathComponent(folderName)
        guard let names = try? contents(of: folder) else { return [] }
        let versions = (try? versions(of: folderName)) ?? []
        return names.filter { name in
            name.hasSuffix(".\(Self.fileExtension)") && !PromptVersionName.isValid(name.dropLast(Self.fileExtension.count + 1))
        }.sorted().map { name in
            PromptDiagnostic(
                severity: .error, code: "version-name", file: relativePath(folder.appendingPathComponent(name)),
                message: PromptVersionName.problem(fileName: name, existing: versions))
        }
    }

    /// The prompt's labels; empty when it has no `labels.yaml`.
    public func labels(of promptID: String) throws(PromptError) -> PromptLabels {
        let url = labelsURL(promptID)
        guard FileManager.default.fileExists(atPath: url.path) else { return PromptLabels() }
        let text = try readText(url)
        return try PromptLabels(yaml: text, file: relativePath(url))
    }

    // MARK: - Resolving and loading

    /// The version a reference names: its version, or the version its label (default `production`) points to.
    public func resolve(_ reference: PromptReference) throws(PromptError) -> String {
        let versions = try versions(of: reference.promptID)
        switch reference.selector {
        case .version(let version):
            guard versions.contains(version) else {
                throw PromptError(
                    code: .versionNotFound,
                    message: "prompt `\(reference.promptID)` has no version `\(version)`; versions: \(versions.joined(separator: ", "))")
            }
            return version
        case .label(let label):
            return try version(for: label, of: reference.promptID, versions: versions)
        case .defaultLabel:
            return try version(for: Self.defaultLabel, of: reference.promptID, versions: versions)
        }
    }

    private func version(for label: String, of promptID: String, versions: [String]) throws(PromptError) -> String {
        let labels = try labels(of: promptID)
        guard let version = labels.labels[label] else {
            let known = labels.labels.keys.sorted().joined(separator: ", ")
            throw PromptError(
                code: .labelNotFound,
                message: "prompt `\(promptID)` has no label `\(label)` in \(relativePath(labelsURL(promptID))); labels: \(known.isEmpty ? "none" : known). Promote a version with `kam prompts promote \(promptID) VERSION --label \(label)`")
        }
        guard versions.contains(version) else {
            throw PromptError(
                code: .versionNotFound,
                message: "label `\(label)` of `\(promptID)` points to version `\(version)`, which has no file; versions: \(versions.joined(separator: ", "))")
        }
        return version
    }

    /// Parses one version and returns it with every diagnostic; the template is nil when there are errors.
    /// Does not consult the ledger.
    public func parse(promptID: String, version: String) throws(PromptError) -> (template: PromptTemplate?, diagnostics: [PromptDiagnostic]) {
        let url = fileURL(promptID, version)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PromptError(code: .versionNotFound, message: "cannot read \(url.path): \(error.localizedDescription)", underlying: error)
        }
        let folder = url.deletingLastPathComponent()
        var parser = PromptFileParser(
            file: relativePath(url), promptID: promptID, version: version,
            readSibling: { name in
                guard !name.contains("/"), !name.contains("\\") else { return nil }
                return try? Data(contentsOf: folder.appendingPathComponent(name))
            })
        return parser.parse(data)
    }

    /// Loads and compiles a version, refusing it when it has errors or was changed after its first use.
    public func load(_ reference: PromptReference) throws(PromptError) -> PromptTemplate {
        let version = try resolve(reference)
        let (template, diagnostics) = try parse(promptID: reference.promptID, version: version)
        guard let template else {
            let count = diagnostics.filter { $0.severity == .error }.count
            throw PromptError(
                code: .invalidFile,
                message: "\(relativePath(fileURL(reference.promptID, version))) has \(count) error\(count == 1 ? "" : "s"); fix \(count == 1 ? "it" : "them") or run `kam prompts check`",
                diagnostics: diagnostics)
        }
        if let ledger {
            let recorded: String?
            do {
                recorded = try ledger.recordedHash(promptID: template.id, version: template.version)
            } catch {
                throw PromptError(code: .io, message: "cannot read the prompt version ledger: \(error)", underlying: error)
            }
            if let recorded, recorded != template.contentHash { throw changedAfterUse(template, recorded: recorded) }
        }
        return template
    }

    /// Loads a version for a real call and records its content hash if this is its first use.
    public func use(_ reference: PromptReference) throws(PromptError) -> PromptTemplate {
        let template = try load(reference)
        guard let ledger else { return template }
        let recorded: String
        do {
            recorded = try ledger.recordFirstUse(promptID: template.id, version: template.version, contentHash: template.contentHash)
        } catch {
            throw PromptError(code: .io, message: "cannot record the first use of \(template.reference): \(error)", underlying: error)
        }
        if recorded != template.contentHash { throw changedAfterUse(template, recorded: recorded) }
        return template
    }

    private func changedAfterUse(_ template: PromptTemplate, recorded: String) -> PromptError {
        let next = ((try? versions(of: template.id))?.compactMap { Int($0) }.max()).map { String($0 + 1) } ?? "NEW"
        return PromptError(
            code: .changedAfterUse,
            message: "\(template.file) was changed after version \(template.version) of `\(template.id)` was first used (recorded hash \(recorded.prefix(12))…, file now \(template.contentHash.prefix(12))…). A used version is immutable: restore the file, put your change in a new version (\(template.id)/\(next).prompty), and promote it with `kam prompts promote \(template.id) \(next) --label candidate`")
    }

    // MARK: - Checking

    /// Every diagnostic of every version of every prompt, plus labels pointing nowhere and used
    /// versions whose file changed. Errors make `kam prompts check` exit non-zero.
    public func check() -> [PromptDiagnostic] {
        var diagnostics: [PromptDiagnostic] = []
        let ids: [String]
        do {
            ids = try promptIDs()
        } catch {
            return [PromptDiagnostic(severity: .error, code: error.code.rawValue, file: directory.path, message: error.message)]
        }
        // Misnamed version files, also in folders that have no valid version (and so are no prompt).
        for folder in ((try? contents(of: directory)) ?? []).sorted() {
            diagnostics += misnamedVersionFiles(in: folder)
        }
        if ids.isEmpty {
            diagnostics.append(
                PromptDiagnostic(severity: .error, code: "empty", file: directory.path, message: "no prompts found: expected <prompt-id>/<version>.prompty files"))
        }
        for id in ids {
            let versions = (try? self.versions(of: id)) ?? []
            for version in versions {
                do {
                    let (template, found) = try parse(promptID: id, version: version)
                    diagnostics += found
                    if let template, let ledger,
                        let recorded = try? ledger.recordedHash(promptID: id, version: version),
                        recorded != template.contentHash
                    {
                        diagnostics.append(
                            PromptDiagnostic(
                                severity: .error, code: PromptError.Code.changedAfterUse.rawValue, file: template.file,
                                message: changedAfterUse(template, recorded: recorded).message))
                    }
                } catch {
                    diagnostics.append(PromptDiagnostic(severity: .error, code: error.code.rawValue, file: relativePath(fileURL(id, version)), message: error.message))
                }
            }
            do {
                let labels = try labels(of: id)
                let file = relativePath(labelsURL(id))
                for (label, version) in labels.labels.sorted(by: { $0.key < $1.key }) where !versions.contains(version) {
                    diagnostics.append(
                        PromptDiagnostic(
                            severity: .error, code: "label-target", file: file,
                            message: "label `\(label)` points to version `\(version)`, which has no file; versions: \(versions.joined(separator: ", "))"))
                }
                if labels.labels[Self.defaultLabel] == nil {
                    diagnostics.append(
                        PromptDiagnostic(
                            severity: .warning, code: "no-production", file: file,
                            message: "`\(id)` has no `\(Self.defaultLabel)` label; callers that name no version cannot use it"))
                }
            } catch {
                diagnostics += error.diagnostics.isEmpty
                    ? [PromptDiagnostic(severity: .error, code: error.code.rawValue, file: relativePath(labelsURL(id)), message: error.message)]
                    : error.diagnostics
            }
        }
        return diagnostics
    }

    // MARK: - Labels

    /// Points `label` at `version` (which must exist and load without errors) and writes `labels.yaml`.
    @discardableResult
    public func promote(promptID: String, version: String, label: String) throws(PromptError) -> PromptLabels {
        _ = try load(PromptReference(promptID: promptID, selector: .version(version)))
        var labels = try labels(of: promptID)
        labels.promote(label, to: version)
        try write(labels, promptID: promptID)
        return labels
    }

    /// Moves `label` back to the version it served before its last promotion and writes `labels.yaml`.
    @discardableResult
    public func rollback(promptID: String, label: String) throws(PromptError) -> PromptLabels {
        var labels = try labels(of: promptID)
        guard labels.labels[label] != nil else {
            throw PromptError(code: .labelNotFound, message: "prompt `\(promptID)` has no label `\(label)` to roll back")
        }
        guard labels.rollback(label) != nil else {
            throw PromptError(
                code: .noEarlierVersion,
                message: "label `\(label)` of `\(promptID)` has served only version \(labels.labels[label]!); there is no earlier version to roll back to. Use `kam prompts promote` to point it elsewhere")
        }
        try write(labels, promptID: promptID)
        return labels
    }

    private func write(_ labels: PromptLabels, promptID: String) throws(PromptError) {
        let url = labelsURL(promptID)
        do {
            try Data(labels.yamlText(promptID: promptID).utf8).write(to: url, options: .atomic)
        } catch {
            throw PromptError(code: .io, message: "cannot write \(url.path): \(error.localizedDescription)", underlying: error)
        }
    }

    // MARK: - Files

    public func fileURL(_ promptID: String, _ version: String) -> URL {
        directory.appendingPathComponent(promptID).appendingPathComponent("\(version).\(Self.fileExtension)")
    }

    func labelsURL(_ promptID: String) -> URL {
        directory.appendingPathComponent(promptID).appendingPathComponent(Self.labelsFile)
    }

    /// The path relative to the current directory when it is below it (as editors and CI logs show
    /// paths), else the absolute path.
    func relativePath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }

    private func contents(of folder: URL) throws(PromptError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        } catch {
            throw PromptError(code: .io, message: "cannot list \(folder.path): \(error.localizedDescription)", underlying: error)
        }
    }

    private func readText(_ url: URL) throws(PromptError) -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PromptError(code: .io, message: "cannot read \(url.path): \(error.localizedDescription)", underlying: error)
        }
    }
}
