import Foundation
import KAMCore

/// The first pass of a CSV import: every row read and checked, the file's clients found and their
/// ids chosen, before the database is touched; so a bad last row is refused before any work is
/// written, and the write transaction that follows holds the lock only for the inserts.
///
/// It keeps a few dozen bytes per client and per contact id, not the rows: the second pass
/// (`CSVImportWriter`) reads the file again. Client ids: a named client's is a slug of its
/// `client.id` or `client.name`; a company found from an email domain gets a slug of its name
/// (`alpha.co.uk` → `alpha`), or of the whole domain (`alpha-co-uk`) when another client of the
/// file already has that id, so two registrable domains never share a client. Rows of a domain
/// join a named client only when it is the one named client showing that domain, or has the
/// domain's id and shows no domain.
struct CSVImportPlan {
    struct Client {
        var key: CSVRow.ClientKey
        /// The id chosen from the file alone; derived activity ids are made from it, so they stay
        /// the same whatever the store holds. (The id in the store is the second pass's to choose.)
        var fileID: String
        /// A named client: the first company domain its rows show; a domain client: that domain.
        var domain: String?
        /// The line of the client's first row: where a company found from its domain is named.
        var firstLine: Int
        /// Ordinal (0-based, among data rows) of the client's last row: where its aggregate is written.
        var lastRow: Int
        /// For a domain whose rows join a named client: that client's index.
        var joined: Int?
    }

    let mapping: CSVMapping
    let file: String
    private(set) var clients: [Client] = []
    private(set) var index: [CSVRow.ClientKey: Int] = [:]
    /// Ids taken by the file's clients: their file ids. The plan is not changed after `make`, so the
    /// second pass's reading thread shares it with the writer without a copy.
    private(set) var takenIDs: [String: Int] = [:]
    /// Account managers (`owner.email`), the last row's values winning, in order of first appearance.
    private(set) var users: [ImportDocument.UserEntry] = []
    private var userIndex: [String: Int] = [:]
    private(set) var rowCount = 0
    /// Hashes of contact ids → (client, line); of activity ids → line. Hashes rather than the ids
    /// keep this small; two ids sharing a 64-bit hash (odds about 1 in 10^9 at 200,000 ids) would
    /// be reported as a duplicate, never merged.
    private var contactIDs: [Int: (client: Int, line: Int, details: Int)] = [:]
    private var activityIDs: [Int: Int] = [:]

    init(mapping: CSVMapping, file: String) {
        self.mapping = mapping
        self.file = file
    }

    /// Reads every record of `bytes` (the first is the header) and plans the import.
    ///
    /// - Throws: `ImportError`: `.malformed` for a CSV syntax error or an empty file,
    ///   `.invalidMapping` when the header lacks a mapped column, `.invalidRows` listing bad rows.
    static func make(
        bytes: [UInt8], mapping: CSVMapping, file: String, domains: CompanyDomains
    ) throws -> (plan: CSVImportPlan, reader: CSVRowReader) {
        var plan = CSVImportPlan(mapping: mapping, file: file)
        var reader: CSVRowReader?
        var headerError: (any Error)?
        var issues = ImportIssues()
        do {
            try CSVReader().forEachRecord(bytes) { record in
                guard headerError == nil else { return }
                guard reader != nil else {
                    do {
                        reader = try CSVRowReader(header: record, mapping: mapping, file: file, domains: domains)
                    } catch {
                        headerError = error
                    }
                    return
                }
                if let row = reader!.read(record, issues: &issues) { plan.add(row, issues: &issues) }
                plan.rowCount += 1
            }
        } catch {
            throw ImportError(.malformed, issues: [.init(file: file, line: error.line, message: error.message)], underlying: error)
        }
        if let headerError { throw headerError }
        guard let reader else {
            throw ImportError(.malformed, issues: [.init(file: file, message: "the file is empty: expected a header line")])
        }
        try issues.throwIfAny()
        plan.chooseIDs()
        return (plan, reader)
    }

    /// The index of the client a row is written to.
    func clientIndex(of row: CSVRow) -> Int {
        let index = index[row.client]!
        return clients[index].joined ?? index
    }

    private mutating func add(_ row: CSVRow, issues: inout ImportIssues) {
        let clientIndex: Int
        if let known = index[row.client] {
            clientIndex = known
            clients[known].lastRow = rowCount
        } else {
            clientIndex = clients.count
            index[row.client] = clientIndex
            var domain: String?
            if case .domain(let company) = row.client { domain = company }
            clients.append(Client(key: row.client, fileID: "", domain: domain, firstLine: row.line, lastRow: rowCount))
        }
        if clients[clientIndex].domain == nil { clients[clientIndex].domain = row.companyDomain }
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
            if let first = contactIDs[id.hashValue], first.client != clientIndex {
                issues.report(
                    file, row.line, column(.contactExternalID),
                    "contact id '\(id)' is also on line \(first.line), for another client; a person belongs to one client")
            } else if let first = contactIDs[id.hashValue], first.details != hash {
                issues.report(
                    file, row.line, column(.contactExternalID),
                    "contact id '\(id)' is also on line \(first.line) with another name, email, phone, title or role; "
                        + "give the person one row, or the same details on every row")
            } else {
                contactIDs[id.hashValue] = contactIDs[id.hashValue] ?? (clientIndex, row.line, hash)
            }
        }
        if let id = row.activity?.externalID {
            if let first = activityIDs[id.hashValue] {
                issues.report(
                    file, row.line, column(.activityExternalID),
                    "activity id '\(id)' is also on line \(first); each activity needs its own id")
            } else {
                activityIDs[id.hashValue] = row.line
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
        for index in clients.indices {
            guard case .named(let slug) = clients[index].key else { continue }
            clients[index].fileID = slug
            takenIDs[slug] = index
            if let domain = clients[index].domain { namedByDomain[domain, default: []].append(index) }
        }
        for index in clients.indices {
            guard case .domain(let domain) = clients[index].key else { continue }
            if let named = namedByDomain[domain], named.count == 1 {
                join(index, to: named[0])
                continue
            }
            for attempt in 0... {
                let candidate = Self.candidateID(for: domain, attempt: attempt)
                guard !candidate.isEmpty else { continue }
                guard let holder = takenIDs[candidate] else {
                    takenIDs[candidate] = index
                    clients[index].fileID = candidate
                    break
                }
                guard !clients[holder].key.isDomain, clients[holder].domain == nil else { continue }
                clients[holder].domain = domain
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
            case 0: return Slug.make(domain.split(separator: ".").first.map(String.init) ?? domain)
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
