import Foundation

/// Generates CRM exports in the workbench format (`kam import --map workbench`), of any size and
/// spread over any number of companies, for tests and `kam-bench import csv`.
///
/// Row `n` belongs to company `n % companies` (so companies interleave through the file), at the
/// domain `company<k>.<suffix>`; each row is one customer with a unique id and email, one to three
/// dated notes, a follow-up date and a product interest. The same arguments give the same bytes.
///
/// For example:
///
///     WorkbenchCSV(rows: 10_000, companies: 1).text      // 10,000 people of one company
///     WorkbenchCSV(rows: 10_000, companies: 10_000).text // one company per row
public struct WorkbenchCSV: Sendable {
    public static let header =
        "customer_id,assigned_to_email,customer_name,customer_email,customer_phone,last_contact_date,product_interest,status,follow_up_by,notes"
    public static let owners = ["lena.schmidt", "raj.patel", "sofia.santos", "tom.baker", "ana.costa"]
    public static let interests = ["Consulting", "Hardware", "Software", "Training", "Support"]
    static let statuses = ["Lead", "Contacted", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]
    static let notes = ["Had a call.", "Saw the demo.", "Met in person.", "Sent an email.", "On holiday."]

    public var rows: Int
    public var companies: Int
    /// The public suffix of every company's domain (`com`, `co.uk`, `github.io`, ...).
    public var suffix: String
    /// How many distinct product interests the rows cycle through.
    public var interestCount: Int
    /// A last row whose `last_contact_date` is not a date, to check that a bad file is refused.
    public var badLastRow: Bool

    public init(rows: Int, companies: Int, suffix: String = "com", interestCount: Int = 5, badLastRow: Bool = false) {
        self.rows = rows
        self.companies = max(1, companies)
        self.suffix = suffix
        self.interestCount = max(1, interestCount)
        self.badLastRow = badLastRow
    }

    /// The company domain of row `n`.
    public func domain(ofRow n: Int) -> String { "company\(n % companies).\(suffix)" }

    /// The product interest of row `n`.
    public func interest(ofRow n: Int) -> String {
        interestCount <= Self.interests.count ? Self.interests[n % interestCount] : "Interest \(n % interestCount)"
    }

    /// The last contact day of row `n` (2023-01-01 … 2023-12-28).
    public func lastContact(ofRow n: Int) -> String { Self.day(n % 12 + 1, n % 28 + 1) }

    /// The file's text, header first, one line per row, LF line ends.
    public var text: String {
        var text = Self.header + "\n"
        text.reserveCapacity(rows * 170)
        for n in 0..<rows { text += line(n) + "\n" }
        return text
    }

    /// The CSV line of row `n`.
    public func line(_ n: Int) -> String {
        let noteCount = n % 3 + 1
        let notes = (0..<noteCount).map { k in
            "\(Self.day((n + k) % 12 + 1, (n * 7 + k) % 28 + 1)): \(Self.notes[(n + k) % Self.notes.count])"
        }.joined(separator: " ")
        let phone = n % 4 == 0 ? "" : "555-\(String(format: "%04d", n % 10_000))"
        let lastContact = badLastRow && n == rows - 1 ? "2023-13-45" : lastContact(ofRow: n)
        let fields = [
            String(format: "%08d", n + 1), "\(Self.owners[n % Self.owners.count])@atlas.com", "Person \(n)",
            "person.\(n)@\(domain(ofRow: n))", phone, lastContact, interest(ofRow: n), Self.statuses[n % Self.statuses.count],
            Self.day((n + 5) % 12 + 1, (n + 3) % 28 + 1), notes,
        ]
        return fields.joined(separator: ",")
    }

    static func day(_ month: Int, _ day: Int) -> String {
        "2023-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
    }
}
