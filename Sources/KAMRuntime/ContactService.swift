import Foundation
import KAMCore
import KAMStore

/// A client's people by hand (`kam contacts add|update|remove|list`): each write is one transaction,
/// then the client is re-scored (`ClientRefresh`: contacts and their roles count toward health and BANT).
///
/// A contact is named by its id, its email or its name (`3`, `jane@acme.example`, `Jane Doe`).
///
/// For example:
/// ```swift
/// try runtime.contacts.add(
///     clientID: "acme", ContactService.Fields(name: "Ada Park", email: "ada@acme.example", role: .champion),
///     as: ActingUser("maria"))
/// ```
public struct ContactService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// What a person sets on a contact; nil leaves a field as it is (update) or empty (add).
    public struct Fields: Sendable {
        public var name: String?
        public var email: String?
        public var phone: String?
        public var title: String?
        public var role: ContactRole?
        /// Fields to empty (update only).
        public var clearing: Set<Field>

        public init(
            name: String? = nil, email: String? = nil, phone: String? = nil, title: String? = nil,
            role: ContactRole? = nil, clearing: Set<Field> = []
        ) {
            self.name = name
            self.email = email
            self.phone = phone
            self.title = title
            self.role = role
            self.clearing = clearing
        }
    }

    /// The optional fields an update can empty.
    public enum Field: String, Sendable, CaseIterable {
        case email, phone, title
    }

    /// What a contact write stored (or removed) and what it changed downstream.
    public struct Write: Codable, Sendable {
        public var contact: Contact
        public var removed: Bool
        public var refresh: ClientRefresh.Outcome
    }

    /// The client's contacts, by name.
    public func list(clientID: String, as user: ActingUser) throws -> [Contact] {
        try runtime.requireInScope(clientID: clientID, as: user)
        return try runtime.clientRecords.contacts(clientID: clientID)
    }

    /// The contact of `clientID` that `reference` names: its id, its email, or its name (any case).
    ///
    /// - Throws: `RuntimeError` `.notFound` (listing the client's contacts) or `.ambiguous` (two with the name).
    public func contact(clientID: String, _ reference: String, as user: ActingUser) throws -> Contact {
        let contacts = try list(clientID: clientID, as: user)
        let wanted = reference.trimmingCharacters(in: .whitespaces)
        let matches: [Contact]
        if let id = Int64(wanted) {
            matches = contacts.filter { $0.id == id }
        } else if wanted.contains("@") {
            matches = contacts.filter { $0.email?.lowercased() == wanted.lowercased() }
        } else {
            matches = contacts.filter { $0.name.lowercased() == wanted.lowercased() }
        }
        if matches.count == 1 { return matches[0] }
        let listing = contacts.map { "\($0.id ?? 0) \($0.name)" + ($0.email.map { " <\($0)>" } ?? "") }
        if matches.isEmpty {
            throw RuntimeError(
                .notFound, code: "contact.not-found",
                "client '\(clientID)' has no contact '\(reference)' (by id, email or name); "
                    + (contacts.isEmpty
                        ? "it has no contacts yet (`kam contacts add \(clientID) NAME`)"
                        : "its contacts: \(listing.joined(separator: "; "))"))
        }
        throw RuntimeError(
            .ambiguous, code: "contact.ambiguous",
            "client '\(clientID)' has \(matches.count) contacts named '\(reference)'; name one by id: "
                + matches.map { "\($0.id ?? 0)" }.joined(separator: ", "))
    }

    /// Adds a contact to client `clientID`; the role defaults to `user`.
    ///
    /// - Throws: `RuntimeError` `.invalidInput` for a missing name, an invalid email or phone; `.wrongState`
    ///   (`contact.email-taken`) when the client already has a contact with the email.
    @discardableResult
    public func add(clientID: String, _ fields: Fields, as user: ActingUser) throws -> Write {
        try runtime.requireInScope(clientID: clientID, as: user)
        let checked = try validated(fields, clientID: clientID, contact: nil)
        guard let name = checked.name else {
            throw RuntimeError(
                .invalidInput, code: "contact.name-missing",
                "client '\(clientID)': a new contact needs a name (`kam contacts add \(clientID) NAME`)")
        }
        // A conflict with a stored contact, not a bad request: the same body is fine for another client.
        if let email = checked.email, let other = try runtime.clientRecords.contacts(clientID: clientID).first(where: { $0.email == email }) {
            throw RuntimeError(
                .wrongState, code: "contact.email-taken",
                "client '\(clientID)': \(email) already belongs to contact \(other.id ?? 0) (\(other.name)); update that contact instead")
        }
        let contact = try runtime.clientRecords.addContact(
            Contact(
                clientID: clientID, name: name, email: checked.email, phone: checked.phone, title: checked.title,
                role: checked.role ?? .user))
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: clientID, cause: "contact \(contact.id ?? 0) (\(name)) added\(user.byClause)")
        return Write(contact: contact, removed: false, refresh: refresh)
    }

    /// Changes the fields given (and empties those in `fields.clearing`) of the contact `reference` names.
    @discardableResult
    public func update(clientID: String, contact reference: String, _ fields: Fields, as user: ActingUser) throws
        -> Write
    {
        let existing = try contact(clientID: clientID, reference, as: user)
        let id = existing.id ?? 0
        let checked = try validated(fields, clientID: clientID, contact: id)
        guard checked.name != nil || checked.email != nil || checked.phone != nil || checked.title != nil
            || checked.role != nil || !checked.clearing.isEmpty
        else {
            throw RuntimeError(
                .invalidInput, code: "contact.nothing-to-change",
                "nothing to change on contact \(id) of client '\(clientID)'; pass --name, --email, --phone, --title, --role or --clear")
        }
        let contact = try runtime.clientRecords.updateContact(id: id, clientID: clientID) { contact in
            if let name = checked.name { contact.name = name }
            if let email = checked.email { contact.email = email }
            if let phone = checked.phone { contact.phone = phone }
            if let title = checked.title { contact.title = title }
            if let role = checked.role { contact.role = role }
            for field in checked.clearing {
                switch field {
                case .email: contact.email = nil
                case .phone: contact.phone = nil
                case .title: contact.title = nil
                }
            }
        }
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: clientID, cause: "contact \(id) (\(contact.name)) updated\(user.byClause)")
        return Write(contact: contact, removed: false, refresh: refresh)
    }

    /// Removes the contact `reference` names; activities with them keep their text.
    @discardableResult
    public func remove(clientID: String, contact reference: String, as user: ActingUser) throws -> Write {
        let existing = try contact(clientID: clientID, reference, as: user)
        let contact = try runtime.clientRecords.removeContact(id: existing.id ?? 0, clientID: clientID)
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: clientID, cause: "contact \(existing.id ?? 0) (\(contact.name)) removed\(user.byClause)")
        return Write(contact: contact, removed: true, refresh: refresh)
    }

    /// `fields` trimmed and checked: a real email address (lower-cased), a phone number, a non-empty name.
    private func validated(_ fields: Fields, clientID: String, contact: Int64?) throws -> Fields {
        let whose = contact.map { "contact \($0) of client '\(clientID)'" } ?? "new contact of client '\(clientID)'"
        func invalid(_ field: String, _ message: String) -> RuntimeError {
            RuntimeError(.invalidInput, code: "contact.invalid-\(field)", "\(whose): \(message)")
        }
        func trimmed(_ text: String?) -> String? {
            text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        var out = fields
        out.name = trimmed(fields.name)
        if out.name?.isEmpty == true { throw invalid("name", "the name is empty; give the person's name") }
        out.title = trimmed(fields.title)
        if let email = trimmed(fields.email) {
            if let problem = EmailSyntax.problem(email) {
                throw invalid("email", "--email '\(email)' is not an email address: \(problem); give one like jane@acme.example")
            }
            out.email = email.lowercased()
        }
        if let phone = trimmed(fields.phone) {
            if let problem = Self.phoneProblem(phone) {
                throw invalid("phone", "--phone '\(phone)' is not a phone number: \(problem); give one like +1 555 0100")
            }
            out.phone = phone
        }
        return out
    }

    /// Why `text` is not a phone number, or nil: digits with the usual separators (`+`, spaces, `-`, `.`,
    /// `/`, parentheses), at least five digits, and optionally an extension (`x12`, `ext. 12`).
    ///
    /// Written by hand: a phone check needs the number plans of every country (libphonenumber, not on
    /// this machine); this one only catches what is clearly not a number (an email, a name, a typo'd digit count).
    static func phoneProblem(_ text: String) -> String? {
        var number = Substring(text.lowercased())
        for marker in ["ext.", "ext", "x"] {
            if let range = number.range(of: marker) {
                let tail = number[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard !tail.isEmpty, tail.allSatisfy(\.isASCII), tail.allSatisfy(\.isNumber) else {
                    return "the extension after '\(marker)' must be digits"
                }
                number = number[..<range.lowerBound]
                break
            }
        }
        let separators = Set(" +-./()")
        if let bad = number.first(where: { !($0.isASCII && $0.isNumber) && !separators.contains($0) }) {
            return "it contains '\(bad)'"
        }
        let digits = number.filter(\.isNumber).count
        guard digits >= 5 else { return "it has \(digits) digits, fewer than 5" }
        guard digits <= 15 else { return "it has \(digits) digits, more than 15 (E.164)" }
        return nil
    }
}
