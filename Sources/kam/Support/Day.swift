import ArgumentParser
import Foundation
import KAMStore

/// A `YYYY-MM-DD` argument (UTC midnight), parsed by the importer's strict parser: impossible days
/// (`2026-02-30`) are refused with the usage error.
struct Day: ExpressibleByArgument, Sendable {
    var date: Date

    init?(argument: String) {
        guard let date = ImportDate.parse(argument) else { return nil }
        self.date = date
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
