import Foundation
import KAMCore

/// The first pass of a CSV import: every row read and checked, the file's clients found and their
/// ids chosen, before the database is touched; so a bad last row is refused before any work is
/// written, and the write transaction that follows holds the lock only for the inserts.
///
/// It keeps about 100 bytes per client (and, while it reads, about 40 per contact id), not the rows: the
/// second pass (`CSVImportWriter`) reads the file again. Client ids: a named client's is a slug of its
/// `client.id` or `client.name`; a company found from an email domain gets a slug of its name
/// (`alpha.co.uk` → `alpha`), or of the whole domain (`alpha-co-uk`) when another client of the
/// file already has that id, so two registrable domains never share a client. Rows of a domain
/// join a named client only when it is the one named client showing that domain, or has the
/// domain's id and shows no domain.
struct CSVImportPlan {
    /// A client of the file. Its key's text lies in the plan's `keyText` (`CSVImportPlan.key(of:)`): a file
    /// with a company a row keeps one of these a row, and a domain as a `String` of its own took 64 bytes of heap.
    struct Client {
        fileprivate var keyStart: Int
        /// The key's length in bytes; the top bit is set for a domain.
        fileprivate var keyCount: UInt32
        /// The id chosen from the file alone; derived activity ids are made from it, so they stay
        /// the same whatever the store holds. (The id in the store is the second pass's to choose.)
        /// Until `chooseIDs`, a domain's first candidate.
        var fileID = ""
        /// A named client: the first company domain its rows show (a domain client's domain is its key).
        fileprivate var namedDomain: String?
        // Lines and row ordinals in 32 bits (`make` refuses a file with more lines).
        private var first: UInt32
        private var last: UInt32
        /// The joined client's index + 1; 0 when not joined.
        private var joinedTo: UInt32 = 0

        fileprivate init(keyStart: Int, keyCount: Int, isDomain: Bool, firstLine: Int, lastRow: Int) {
            self.keyStart = keyStart
            self.keyCount = UInt32(keyCount) | (isDomain ? 1 << 31 : 0)
            first = UInt32(firstLine)
            last = UInt32(lastRow)
        }

        /// Whether the client is the company behind an email domain (not named by the file).
        var isDomain: Bool { keyCount & (1 << 31) != 0 }
        fileprivate var keyRange: Range<Int> { keyStart..<(keyStart + Int(keyCount & ~(1 << 31))) }
        /// The line of the client's first row: where a company found from its domain is named.
        var firstLine: Int { Int(first) }
        /// Ordinal (0-based, among data rows) of the client's last row: where its aggregate is written.
        var lastRow: Int {
            get { Int(last) }
            set { last = UInt32(newValue) }
        }
        /// For a domain whose rows join a named client: that client's index.
        var joined: Int? {
            get { joinedTo == 0 ? nil : Int(joinedTo) - 1 }
            set { joinedTo = newValue.map { UInt32($0 + 1) } ?? 0 }
        }
    }

    /// The most lines a file may have: the plan keeps lines and row ordinals in 32 bits.
    static let maxLines = Int(UInt32.max) - 1

    let mapping: CSVMapping
    let file: String
    private(set) var clients: [Client] = []
    /// The UTF-8 text of every client's key, one after the other.
    private var keyText: [UInt8] = []
    /// Positions in `clients` by key (`position(of:)`).
    private var keys = PositionIndex()
    /// Positions in `clients` by the file id each took (`holder(ofFileID:)`); a client joined to
    /// another is not in it. The plan is not changed after `make`, so the second pass's reading
    /// thread shares it with the writer without a copy.
    private var fileIDs = PositionIndex()
    /// Account managers (`owner.email`), the last row's values winning, in order of first appearance.
    private(set) var users: [ImportDocument.UserEntry] = []
    private var userIndex: [String: Int] = [:]
    private(set) var rowCount = 0
    /// The digest of the bytes the plan was made from (`CSVSource.forEachPiece`): the second pass must read the same.
    private(set) var digest = 0
    /// Lines whose contact id an earlier row of the same client already gave, with the same details: the
    /// same person again (one row per activity, say), counted once. Empty for a file with a person a row.
    private var repeatedContactLines: Set<UInt32> = []

    /// The contact and activity ids of the file, by hash, while the first pass reads it: hashes rather than
    /// the ids keep this small; two ids sharing a 64-bit hash (odds about 1 in 10^9 at 200,000 ids) would
    /// be reported as a duplicate, never merged. Dropped once the file is checked.
    private struct SeenIDs {
        var contacts: [(hash: Int, client: UInt32, line: UInt32, details: Int)] = []
        var contactIndex = PositionIndex()
        var activities: [(hash: Int, line: Int)] = []
        var activityIndex = PositionIndex()

        /// The first row of the contact id whose hash is `hash`.
        func contact(_ hash: Int) -> (client: Int, line: Int, details: Int)? {
            contactIndex.first(hash: hash) { contacts[$0].hash == hash }.map {
                (Int(contacts[$0].client), Int(contacts[$0].line), contacts[$0].details)
            }
        }

        mutating func addContact(_ hash: Int, client: Int, line: Int, details: Int) {
            contacts.append((hash, UInt32(client), UInt32(line), details))
            contactIndex.insert(contacts.count - 1, hash: hash) { [contacts] in contacts[$0].hash }
        }

        /// The line of the activity id whose hash is `hash`.
        func activity(_ hash: Int) -> Int? {
            activityIndex.first(hash: hash) { activities[$0].hash == hash }.map { activities[$0].line }
        }

        mutating func addActivity(_ hash: Int, line: Int) {
            activities.append((hash, line))
            activityIndex.insert(activities.count - 1, hash: hash) { [activities] in activities[$0].hash }
        }
    }

    init(mapping: CSVMapping, file: String) {
        self.mapping = mapping
        self.file = file
    }

    /// Reads every record of `source` (the first is the header) and plans the import. The records are read
    /// and checked on a second thread (`CSVRowPipe`) while this one plans the rows before, and reads those the
    /// second thread leaves it when it would otherwise wait.
    ///
    /// - Throws: `ImportError`: `.unreadable` or `.invalidEncoding` for the file's bytes, `.malformed` for a CSV syntax
    ///   error or an empty file,
    ///   `.invalidMapping` when the header lacks a mapped column, `.invalidRows` listing bad rows.
    static func make(
        source: CSVSource, mapping: CSVMapping, file: String, domains: CompanyDomains
    ) throws -> (plan: CSVImportPlan, reader: CSVRowReader) {
        var plan = CSVImportPlan(mapping: mapping, file: file)
        let pipe = CSVRowPipe(source: source, file: file) { header in
            try CSVRowReader(header: header, mapping: mapping, file: file, domains: domains)
        }
        var reader: CSVRowReader?
        var headerError: (any Error)?
        var issues = ImportIssues()
        var seen = SeenIDs()
        while let batch = pipe.take() {
            // Each item read in place, and the batch handed back for the reading thread to free (`CSVRowPipe.recycle`).
            for index in batch.indices {
                switch batch[index] {
                case .header(let made):
                    reader = made
                case .headerRefused(let error):
                    headerError = error  // a syntax error further on still wins, as the file is read to its end
                case .row(let row):
                    try plan.add(row, pipe: pipe, seen: &seen, issues: &issues)
                case .record(let record):
                    // Read here while the reading thread parses the next records (`CSVRowPipe.Item.record`).
                    var rowIssues = ImportIssues()
                    if let row = reader?.read(record, issues: &rowIssues) {
                        try plan.add(row, pipe: pipe, seen: &seen, issues: &issues)
                    } else {
                        issues.add(rowIssues)
                        plan.rowCount += 1
                    }
                case .invalid(let rowIssues):
                    issues.add(rowIssues)
                    plan.rowCount += 1
                case .malformed(let error):
                    throw ImportError(.malformed, issues: [.init(file: file, line: error.line, message: error.message)], underlying: error)
                case .refused(let error):
                    throw error
                }
            }
            pipe.recycle(batch)
        }
        if let headerError { throw headerError }
        guard let reader else {
            throw ImportError(.malformed, issues: [.init(file: file, message: "the file is empty: expected a header line")])
        }
        try issues.throwIfAny()
        plan.digest = pipe.digest ?? 0
        plan.chooseIDs()
        return (plan, reader)
    }

    /// Plans a good row of the first pass.
    ///
    /// - Throws: `ImportError` `.malformed` past `maxLines` (after stopping `pipe`).
    private mutating func add(_ row: CSVRow, pipe: CSVRowPipe, seen: inout SeenIDs, issues: inout ImportIssues) throws {
        guard row.line <= Self.maxLines else {
            pipe.cancel()
            throw ImportError(
                .malformed, issues: [.init(file: file, line: row.line, message: "the file has more than \(Self.maxLines) lines; split it")])
        }
        add(row, seen: &seen, issues: &issues)
        rowCount += 1
    }

    /// The index of the client a row is written to.
    /// nil for a key the first pass did not see (the file changed in between).
    func clientIndex(of row: CSVRow) -> Int? {
        guard let index = position(of: row.client) else { return nil }
        return clients[index].joined ?? index
    }

    /// The key of client `index`.
    func key(of index: Int) -> CSVRow.ClientKey {
        let text = String(decoding: keyText[clients[index].keyRange], as: UTF8.self)
        return clients[index].isDomain ? .domain(text) : .named(text)
    }

    /// A named client: the first company domain its rows show; a domain client: that domain.
    func domain(of index: Int) -> String? {
        guard clients[index].isDomain else { return clients[index].namedDomain }
        return String(decoding: keyText[clients[index].keyRange], as: UTF8.self)
    }

    /// The kind and text of `key`.
    private static func parts(_ key: CSVRow.ClientKey) -> (isDomain: Bool, text: String) {
        switch key {
        case .named(let slug): (false, slug)
        case .domain(let domain): (true, domain)
        }
    }

    /// The hash of a key from its kind and bytes, so that a key kept in `keyText` hashes alike.
    private static func hash(isDomain: Bool, _ bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(isDomain)
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }

    private static func hash(isDomain: Bool, _ text: String) -> Int {
        var text = text
        return text.withUTF8 { hash(isDomain: isDomain, UnsafeRawBufferPointer($0)) }
    }

    /// The hash of the key of `clients[index]`, read from `keyText`.
    private static func keyHash(of client: Client, in keyText: [UInt8]) -> Int {
        keyText[client.keyRange].withUnsafeBytes { hash(isDomain: client.isDomain, $0) }
    }

    /// The position in `clients` of the client whose key is `key`.
    private func position(of key: CSVRow.ClientKey) -> Int? {
        let (isDomain, text) = Self.parts(key)
        return position(isDomain: isDomain, text, hash: Self.hash(isDomain: isDomain, text))
    }

    private func position(isDomain: Bool, _ text: String, hash: Int) -> Int? {
        keys.first(hash: hash) { clients[$0].isDomain == isDomain && keyText[clients[$0].keyRange].elementsEqual(text.utf8) }
    }

    /// Whether the contact id of the row at `line` is on an earlier row of the file (the same person again).
    func repeatsContact(line: Int) -> Bool { repeatedContactLines.contains(UInt32(line)) }

    /// The client of the file whose file id is `id` (not one joined to it).
    func holder(ofFileID id: String) -> Int? {
        fileIDs.first(hash: id.hashValue) { clients[$0].fileID == id }
    }

    /// Records that client `index` took `id` as its file id.
    private mutating func take(_ id: String, for index: Int) {
        clients[index].fileID = id
        fileIDs.insert(index, hash: id.hashValue) { [clients] in clients[$0].fileID.hashValue }
    }

    private mutating func add(_ row: CSVRow, seen: inout SeenIDs, issues: inout ImportIssues) {
        let clientIndex: Int
        let (isDomain, text) = Self.parts(row.client)
        let hash = Self.hash(isDomain: isDomain, text)
        if let known = position(isDomain: isDomain, text, hash: hash) {
            clientIndex = known
            clients[known].lastRow = rowCount
        } else {
            guard text.utf8.count < 1 << 31 else {
                issues.report(file, row.line, nil, "the client's name or domain is longer than 2 GB")
                return
            }
            clientIndex = clients.count
            clients.append(
                Client(keyStart: keyText.count, keyCount: text.utf8.count, isDomain: isDomain, firstLine: row.line, lastRow: rowCount))
            keyText += text.utf8
            // The arrays captured, not `self`: a copy of `self` would share `keys`, which inserting would then copy.
            keys.insert(clientIndex, hash: hash) { [clients, keyText] in Self.keyHash(of: clients[$0], in: keyText) }
            // A domain's first candidate id, made now while the reading thread reads the next rows rather than in
            // `chooseIDs`, which runs after the last row, on the import's critical path; `chooseIDs` replaces it.
            if isDomain { clients[clientIndex].fileID = Self.candidateID(for: text, attempt: 0) }
        }
        if !isDomain, clients[clientIndex].namedDomain == nil { clients[clientIndex].namedDomain = row.companyDomain }
        if let owner = row.owner {
            if let known = userIndex[owner.email] {
                users[known] = owner
            } else {
                userIndex[owner.email] = users.count
                users.append(owner)
            }
        }
        if let id = row.contactExternalID {
            // The same person on several rows (one per activity, say) is one contact; the same id
            // with other details is two people, or an edit, that merging would silently overwrite.
            var details = Hasher()
            details.combine(row.contactName)
            details.combine(row.email)
            details.combine(row.phone)
            details.combine(row.title)
            details.combine(row.role)
            let hash = details.finalize()
            let first = seen.contact(id.hashValue)
            if let first, first.client != clientIndex {
                issues.report(
                    file, row.line, column(.contactExternalID),
                    "contact id '\(id)' is also on line \(first.line), for another client; a person belongs to one client")
            } else if let first, first.details != hash {
                issues.report(
                    file, row.line, column(.contactExternalID),
                    "contact id '\(id)' is also on line \(first.line) with another name, email, phone, title or role; "
                        + "give the person one row, or the same details on every row")
            } else if first == nil {
                seen.addContact(id.hashValue, client: clientIndex, line: row.line, details: hash)
            } else {
                repeatedContactLines.insert(UInt32(row.line))
            }
        }
        if let id = row.activity?.externalID {
            if let first = seen.activity(id.hashValue) {
                issues.report(
                    file, row.line, column(.activityExternalID),
                    "activity id '\(id)' is also on line \(first); each activity needs its own id")
            } else {
                seen.addActivity(id.hashValue, line: row.line)
            }
        }
    }

    private func column(_ target: CSVRowReader.Target) -> String {
        mapping.fields[target.name] ?? target.name
    }

    /// Named clients keep their slugs. Rows of a domain join the one named client of the file that
    /// shows that domain, if exactly one does (a company column left empty on some rows); else the
    /// domain takes the first free candidate id, or joins the named client of that id when it
    /// shows no domain.
    private mutating func chooseIDs() {
        var namedByDomain: [String: [Int]] = [:]
        for index in clients.indices where !clients[index].isDomain {
            guard case .named(let slug) = key(of: index) else { continue }
            take(slug, for: index)
            if let domain = clients[index].namedDomain { namedByDomain[domain, default: []].append(index) }
        }
        for index in clients.indices where clients[index].isDomain {
            guard case .domain(let domain) = key(of: index) else { continue }
            if let named = namedByDomain[domain], named.count == 1 {
                join(index, to: named[0])
                continue
            }
            let first = clients[index].fileID  // `add` made candidate 0
            for attempt in 0... {
                let candidate = attempt == 0 ? first : Self.candidateID(for: domain, attempt: attempt)
                guard !candidate.isEmpty else { continue }
                guard let holder = holder(ofFileID: candidate) else {
                    take(candidate, for: index)
                    break
                }
                guard !clients[holder].isDomain, clients[holder].namedDomain == nil else { continue }
                clients[holder].namedDomain = domain
                join(index, to: holder)
                break
            }
        }
    }

    private mutating func join(_ index: Int, to holder: Int) {
        clients[holder].lastRow = max(clients[holder].lastRow, clients[index].lastRow)
        clients[index].joined = holder
        clients[index].fileID = clients[holder].fileID
    }

    /// The ids a company found from its domain may take, best first: `alpha`, then `alpha-co-uk`,
    /// `alpha-co-uk-2`, ... An IDN domain whose name has no ASCII letters uses its punycode form.
    static func candidateID(for domain: String, attempt: Int) -> String {
        if domain.utf8.allSatisfy({ $0 < 0x80 }) {
            // The slug of an ASCII company name is the slug of its label: the name only splits the label
            // at `-` and `_` and capitalises words, which a slug undoes. Skipping the name saves most of
            // the work for a file with a company per row.
            switch attempt {
            // The first label found, not split out with the others: one made a row of a file with a company a row.
            case 0: return Slug.make(domain.utf8.firstIndex(of: UInt8(ascii: ".")).map { String(domain[..<$0]) } ?? domain)
            case 1: return Slug.make(domain).isEmpty ? "client" : Slug.make(domain)
            default: return "\(Slug.make(domain).isEmpty ? "client" : Slug.make(domain))-\(attempt)"
            }
        }
        var ascii = domain
        if !domain.allSatisfy(\.isASCII) {
            var components = URLComponents()
            components.host = domain
            ascii = components.encodedHost ?? domain
        }
        let name = Slug.make(CompanyDomains.companyName(ofRegistrableDomain: domain))
        let whole = Slug.make(ascii).isEmpty ? "client" : Slug.make(ascii)
        switch attempt {
        case 0: return name.isEmpty ? Slug.make(CompanyDomains.companyName(ofRegistrableDomain: ascii)) : name
        case 1: return whole
        default: return "\(whole)-\(attempt)"
        }
    }

}
