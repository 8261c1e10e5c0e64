import Foundation

/// The prompt folder: every prompt id, its versions, its labels, and the rule that a used version never changes.
///
/// Layout: `<prompt-id>/<version>.prompty`, an optional sibling schema file, and `<prompt-id>/labels.yaml`,
/// read through a `PromptSource` (a folder on disk: `FilePromptSource` in KAMResources). Loading verifies a version's content hash against the
/// ledger, so a file edited after its first use is refused with a message to add a new version.
public struct PromptRegistry: Sendable {
    public static let fileExtension = "prompty"
    public static let labelsFile = "labels.yaml"
    public static let defaultLabel = "production"

    public var source: any PromptSource
    public var ledger: (any PromptVersionLedger)?

    public init(source: any PromptSource, ledger: (any PromptVersionLedger)? = nil) {
        self.source = source
        self.ledger = ledger
    }

    // MARK: - Listing

    /// Every prompt id (folder with at least one `.prompty` file), sorted.
    public func promptIDs() throws(PromptError) -> [String] {
        let entries = try source.promptFolders()
        return entries.filter { name in
            (try? versions(of: name))?.isEmpty == false
        }.sorted()
    }

    /// The versions of a prompt, in numeric order (`1`, `2`, `10`); files whose name is not a version
    /// (`PromptVersionName`) are left out, and `check()` reports them.
    public func versions(of promptID: String) throws(PromptError) -> [String] {
        guard let names = try source.fileNames(in: promptID) else {
            let known = (try? source.promptFolders())?.sorted().joined(separator: ", ") ?? ""
            throw PromptError(
                code: .promptNotFound,
                message: "no prompt `\(promptID)` in \(source.location); known prompts: \(known.isEmpty ? "none" : known)")
        }
        return names
            .filter { $0.hasSuffix(".\(Self.fileExtension)") }
            .map { String($0.dropLast(Self.fileExtension.count + 1)) }
            .filter { PromptVersionName.isValid($0) }
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
    }

    /// `.prompty` files of a prompt folder whose name is not a version, as errors.
    func misnamedVersionFiles(in folderName: String) -> [PromptDiagnostic] {
        guard let names = (try? source.fileNames(in: folderName)) ?? nil else { return [] }
        let versions = (try? versions(of: folderName)) ?? []
        return names.filter { name in
            name.hasSuffix(".\(Self.fileExtension)") && !PromptVersionName.isValid(name.dropLast(Self.fileExtension.count + 1))
        }.sorted().map { name in
            PromptDiagnostic(
                severity: .error, code: "prompt.version-name", file: source.displayPath(name, in: folderName),
                message: PromptVersionName.problem(fileName: name, existing: versions))
        }
    }

    /// The prompt's labels; empty when it has no `labels.yaml`.
    public func labels(of promptID: String) throws(PromptError) -> PromptLabels {
        guard let data = try source.read(Self.labelsFile, in: promptID) else { return PromptLabels() }
        let file = labelsPath(promptID)
        guard let text = String(data: data, encoding: .utf8) else {
            throw PromptError(code: .io, message: "cannot read \(file): not UTF-8 text")
        }
        return try PromptLabels(yaml: text, file: file)
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
                message: "prompt `\(promptID)` has no label `\(label)` in \(labelsPath(promptID)); labels: \(known.isEmpty ? "none" : known). Promote a version with `kam prompts promote \(promptID) VERSION --label \(label)`")
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
        let name = Self.fileName(version)
        let read: Data?
        do {
            read = try source.read(name, in: promptID)
        } catch {
            throw PromptError(code: .versionNotFound, message: error.message, underlying: error.underlying)
        }
        guard let data = read else {
            throw PromptError(code: .versionNotFound, message: "cannot read \(source.displayPath(name, in: promptID)): no such file")
        }
        let source = self.source
        var parser = PromptFileParser(
            file: source.displayPath(name, in: promptID), promptID: promptID, version: version,
            readSibling: { name in
                guard !name.contains("/"), !name.contains("\\") else { return nil }
                return (try? source.read(name, in: promptID)) ?? nil
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
                message: "\(filePath(reference.promptID, version)) has \(count) error\(count == 1 ? "" : "s"); fix \(count == 1 ? "it" : "them") or run `kam prompts check`",
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
            return [PromptDiagnostic(severity: .error, code: error.code.rawValue, file: source.location, message: error.message)]
        }
        // Misnamed version files, also in folders that have no valid version (and so are no prompt).
        for folder in ((try? source.promptFolders()) ?? []).sorted() {
            diagnostics += misnamedVersionFiles(in: folder)
        }
        if ids.isEmpty {
            diagnostics.append(
                PromptDiagnostic(severity: .error, code: "prompt.empty", file: source.location, message: "no prompts found: expected <prompt-id>/<version>.prompty files"))
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
                    diagnostics.append(PromptDiagnostic(severity: .error, code: error.code.rawValue, file: filePath(id, version), message: error.message))
                }
            }
            do {
                let labels = try labels(of: id)
                let file = labelsPath(id)
                for (label, version) in labels.labels.sorted(by: { $0.key < $1.key }) where !versions.contains(version) {
                    diagnostics.append(
                        PromptDiagnostic(
                            severity: .error, code: "prompt.label-target", file: file,
                            message: "label `\(label)` points to version `\(version)`, which has no file; versions: \(versions.joined(separator: ", "))"))
                }
                if labels.labels[Self.defaultLabel] == nil {
                    diagnostics.append(
                        PromptDiagnostic(
                            severity: .warning, code: "prompt.no-production", file: file,
                            message: "`\(id)` has no `\(Self.defaultLabel)` label; callers that name no version cannot use it"))
                }
            } catch {
                diagnostics += error.diagnostics.isEmpty
                    ? [PromptDiagnostic(severity: .error, code: error.code.rawValue, file: labelsPath(id), message: error.message)]
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
        try source.writeLabels(labels.yamlText(promptID: promptID), for: promptID)
    }

    // MARK: - Files

    /// The file name of a version: `<version>.prompty`.
    public static func fileName(_ version: String) -> String { "\(version).\(fileExtension)" }

    /// A version's file as messages show it.
    public func filePath(_ promptID: String, _ version: String) -> String {
        source.displayPath(Self.fileName(version), in: promptID)
    }

    func labelsPath(_ promptID: String) -> String {
        source.displayPath(Self.labelsFile, in: promptID)
    }
}
