import ArgumentParser
import Foundation
import KAMStore

/// A date on the command line (`--due 2026-12-01`, `--at 2026-11-20T14:30`): `YYYY-MM-DD` (midnight UTC)
/// or an ISO-8601 date-time, parsed with the importer's strict parser, so `2026-02-30` is refused
/// rather than rolled over to March.
struct DayArgument: ExpressibleByArgument, Sendable {
    var date: Date

    init?(argument: String) {
        guard let date = ImportDate.parse(argument) else { return nil }
        self.date = date
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// `yes` or `no` on the command line (`--ai-consent no`); `true`/`false` are accepted too.
enum YesNo: String, ExpressibleByArgument, CaseIterable, Sendable {
    case yes, no

    init?(argument: String) {
        switch argument.lowercased() {
        case "yes", "y", "true": self = .yes
        case "no", "n", "false": self = .no
        default: return nil
        }
    }

    var bool: Bool { self == .yes }
}
