import Foundation
import KAMCore
import KAMResources

/// The prompt folder as a catalogue (`kam prompts`): list the prompts with their versions and labels,
/// show or render one version, diff two, point a label at a version or back, and check every file.
///
/// Running a prompt is `PromptService`. Listing, diffs and labels read the files alone; showing,
/// rendering and checking also compare a used version with its hash recorded in the store.
///
/// For example:
/// ```swift
/// let check = runtime.promptCatalog.check()
/// for diagnostic in check.diagnostics { print(diagnostic) }  // draft.check-in/2.prompty:14:1: error: ...
/// ```
public struct PromptCatalogService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// The folder's files without the version ledger: a label may point at any version that parses.
    var files: PromptRegistry { PromptRegistry(source: runtime.registry.source) }

    /// The prompt folder.
    public var directory: String { runtime.registry.directory.path }

    // MARK: - list

    /// One prompt: its versions in order, its labels, and the name of its newest version.
    public struct Entry: Sendable, Codable, Equatable {
        public var id: String
        /// The `name:` of the newest version; empty when that version does not parse.
        public var name: String
        public var versions: [String]
        /// Label → version.
        public var labels: [String: String]
    }

    /// Every prompt of the folder, sorted by id.
    /// - Throws: `PromptError` when the folder or a prompt's folder cannot be read.
    public func list() throws -> [Entry] {
        let registry = files
        return try registry.promptIDs().map { try Self.entry($0, in: registry) }
    }

    /// Prompt `id`'s entry: its versions, the name of the latest and its labels (one parse).
    static func entry(_ id: String, in registry: PromptRegistry) throws -> Entry {
        let versions = try registry.versions(of: id)
        let name = (try? registry.parse(promptID: id, version: versions.last ?? ""))?.template?.name ?? ""
        return Entry(id: id, name: name, versions: versions, labels: (try? registry.labels(of: id))?.labels ?? [:])
    }

    // MARK: - show, render, diff

    /// A version with the labels that serve it and the file's text.
    public struct Shown: Sendable {
        public var template: PromptTemplate
        /// The labels pointing at this version, sorted.
        public var labels: [String]
        public var text: String
    }

    /// The version `reference` names (`id`, `id@3`, `id:candidate`), refused when it was changed after its first use.
    /// - Throws: `PromptError`.
    public func show(_ reference: String) throws -> Shown {
        let registry = runtime.registry
        let template = try registry.load(try PromptReference(parsing: reference))
        let labels = (try? registry.labels(of: template.id))?.labels ?? [:]
        let data = (try? registry.source.read(PromptRegistry.fileName(template.version), in: template.id)) ?? nil
        return Shown(
            template: template, labels: labels.filter { $0.value == template.version }.keys.sorted(),
            text: data.map { String(decoding: $0, as: UTF8.self) } ?? "")
    }

    /// The chat messages of a version: the context variables of `clientID` (fitted to the prompt's context
    /// budget) when given, overridden by `variables`.
    /// - Throws: `PromptError`, `ContextAssemblyError`.
    public func render(_ reference: String, clientID: String?, variables: [String: JSONValue]) throws -> RenderedPrompt {
        let template = try runtime.registry.load(try PromptReference(parsing: reference))
        var values: [String: JSONValue] = [:]
        if let clientID {
            values = try runtime.context(clientID: clientID, budget: template.contextTokenBudget).variables
        }
        values.merge(variables) { _, explicit in explicit }
        return try template.render(values)
    }

    /// Two versions of a prompt, line by line.
    public struct Diff: Sendable, Codable, Equatable {
        public var promptID: String
        public var from: String
        public var to: String
        /// Every line of both files: `-` removed, `+` added, two spaces kept.
        public var lines: [String]
    }

    /// The line differences from version `from` to version `to`.
    /// - Throws: `PromptError` when either version does not exist or cannot be read.
    public func diff(_ promptID: String, from: String, to: String) throws -> Diff {
        let registry = files
        func lines(_ version: String) throws -> [String] {
            _ = try registry.resolve(PromptReference(promptID: promptID, selector: .version(version)))
            guard let data = try registry.source.read(PromptRegistry.fileName(version), in: promptID) else {
                throw PromptError(code: .io, message: "cannot read \(registry.filePath(promptID, version))")
            }
            return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init)
        }
        let old = try lines(from)
        return Diff(promptID: promptID, from: from, to: to, lines: Self.unified(old, try lines(to)))
    }

    /// The lines of both files, `-` for removed, `+` for added, two spaces for kept: the standard library's
    /// longest-common-subsequence `difference(from:)`, laid out as one listing.
    static func unified(_ old: [String], _ new: [String]) -> [String] {
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in new.difference(from: old) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var out: [String] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, removed.contains(i) {
                out.append("-" + old[i])
                i += 1
            } else if j < new.count, inserted.contains(j) {
                out.append("+" + new[j])
                j += 1
            } else {
                if i < old.count { out.append("  " + old[i]) }
                i += 1
                j += 1
            }
        }
        return out
    }

    // MARK: - labels

    /// A label moved: the version it served before (nil when new) and the one it serves now.
    public struct LabelMove: Sendable, Codable, Equatable {
        public var promptID: String
        public var label: String
        public var from: String?
        public var to: String?
    }

    /// Points `label` at `version`, which must exist and parse; `labels.yaml` keeps the previous one for rollback.
    ///
    /// - Parameter suite: refuse unless a complete run of this evaluation suite (a file) passed its gate
    ///   with exactly this version's content.
    /// - Throws: `PromptError`; with a suite, `EvalSuiteError` or `RuntimeError` `eval.no-passing-run`.
    @discardableResult
    public func promote(
        _ promptID: String, version: String, label: String, requiringPassOf suite: String? = nil, as user: ActingUser
    ) throws -> LabelMove {
        let registry = files
        if let suite {
            let template = try registry.load(PromptReference(promptID: promptID, selector: .version(version)))
            try runtime.evals.requirePassingRun(suite: suite, template: template)
        }
        let before = (try? registry.labels(of: promptID))?.labels[label]
        let labels = try registry.promote(promptID: promptID, version: version, label: label)
        return LabelMove(promptID: promptID, label: label, from: before, to: labels.labels[label])
    }

    /// Moves `label` back to the version it served before its last promotion.
    /// - Throws: `PromptError` (no such label, no earlier version).
    @discardableResult
    public func rollback(_ promptID: String, label: String, as user: ActingUser) throws -> LabelMove {
        let registry = files
        let before = (try? registry.labels(of: promptID))?.labels[label]
        let labels = try registry.rollback(promptID: promptID, label: label)
        return LabelMove(promptID: promptID, label: label, from: before, to: labels.labels[label])
    }

    // MARK: - check

    /// Every diagnostic of the folder, with what was checked.
    public struct Check: Sendable {
        public var directory: String
        public var prompts: Int
        public var versions: Int
        /// Errors and warnings, each at its file (and line and column where it has one).
        public var diagnostics: [PromptDiagnostic]

        public var errors: Int { diagnostics.filter { $0.severity == .error }.count }
        public var warnings: Int { diagnostics.count - errors }
    }

    /// Checks every version and label of the folder; a used version must still match its recorded hash.
    public func check() -> Check {
        let registry = runtime.registry
        let diagnostics = registry.check()
        let ids = (try? registry.promptIDs()) ?? []
        let versions = ids.reduce(0) { $0 + ((try? registry.versions(of: $1).count) ?? 0) }
        return Check(directory: directory, prompts: ids.count, versions: versions, diagnostics: diagnostics)
    }
}
