import ArgumentParser

/// Every exit status `kam` uses, one meaning a value. The README's table is printed from this one
/// (`kam exit-codes`), and a test checks that no value is used twice and the README lists them all.
enum ExitCodes: Int32, CaseIterable, Sendable {
    case success = 0
    case failure = 1
    case fileUnreadable = 2
    case databaseUnusable = 3
    case notFound = 4
    case ambiguousClient = 5
    case importRefused = 6
    case configurationInvalid = 7
    case budgetRefused = 8
    case providerFailed = 9
    case outputNeverValid = 10
    case consentWithheld = 11
    case illegalStateChange = 12
    case evalSuiteInvalid = 13
    case someMessagesFailed = 14
    case contextBudgetTooSmall = 15
    case leakAuditFailed = 16
    case evalGateFailed = 17
    case documentsInvalid = 18
    case databaseBusy = 19
    case roleRefused = 20
    case modelCheckFailed = 21
    case refinementRefused = 22
    case budgetWaitExpired = 23
    case badUsage = 64
    case interrupted = 130

    /// What the status means, as the README lists it.
    var meaning: String {
        switch self {
        case .success: "ok"
        case .failure: "an unexpected failure (the message says what)"
        case .fileUnreadable: "an input file cannot be read"
        case .databaseUnusable: "the database cannot be used (newer schema, not SQLite, unreadable; a ledger PostgreSQL server unreachable or refusing)"
        case .notFound: "a client, draft, suggestion, task, deal, contact, budget or memory key was not found"
        case .ambiguousClient: "a CLIENT argument matches several clients"
        case .importRefused: "an import file was refused (nothing was stored)"
        case .configurationInvalid: "the configuration (kam.yaml, price file) is invalid"
        case .budgetRefused: "a budget refused a model call (nothing was sent)"
        case .providerFailed: "every provider of the chain failed"
        case .outputNeverValid: "the model's output never matched its schema"
        case .consentWithheld: "the client withheld AI-analysis consent"
        case .illegalStateChange: "the record's state does not allow the change (approving a sent draft)"
        case .evalSuiteInvalid: "an evaluation suite or dataset is invalid"
        case .someMessagesFailed: "some email messages could not be parsed (kept as failed intake; the rest stored)"
        case .contextBudgetTooSmall: "the client's profile alone does not fit the context budget"
        case .leakAuditFailed: "the export's leak audit found personal data (no file was written)"
        case .evalGateFailed: "an evaluation's gate failed (or a comparison regressed)"
        case .documentsInvalid: "some documents do not match their schema"
        case .databaseBusy: "the database stayed locked by another writer (the message names it), or the ledger's PostgreSQL server timed out"
        case .roleRefused: "the acting user's role (--user) does not allow the command (adding users needs an admin)"
        case .modelCheckFailed: "a model failed a check of `kam models check` (the report says what to do)"
        case .refinementRefused: "a prompt refinement's projected calls or cost are over --max-calls or --budget (nothing was called)"
        case .budgetWaitExpired: "a model call waited budgets.admission_wait_seconds for calls in flight to settle and was not sent; try again"
        case .badUsage: "bad usage: a missing or invalid argument"
        case .interrupted: "interrupted (Ctrl-C); a resumable run can be resumed"
        }
    }

    /// The status to throw from a command.
    var exit: ExitCode { ExitCode(rawValue) }
}

/// `kam exit-codes [--json]`: the table of exit statuses, for scripts and CI.
struct ExitCodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exit-codes", abstract: "List kam's exit statuses and what each means.")

    @Flag(help: "Print a JSON array of {code, name, meaning}.") var json = false

    func run() throws {
        if json {
            struct Row: Encodable { var code: Int32; var name: String; var meaning: String }
            print(try Terminal.json(ExitCodes.allCases.map { Row(code: $0.rawValue, name: "\($0)", meaning: $0.meaning) }))
        } else {
            for code in ExitCodes.allCases {
                print(String(code.rawValue).padding(toLength: 5, withPad: " ", startingAt: 0) + code.meaning)
            }
        }
    }
}
