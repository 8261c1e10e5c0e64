import ArgumentParser
import Foundation
import KAMRuntime

#if canImport(Glibc)
    import Glibc
#endif

extension UsersCommand {
    /// `kam users passwd USER`: the password USER signs in to the web page (`kam serve`, `/app`) with.
    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the password a user signs in to the web page with (stored as scrypt; at least 12 characters).",
            discussion: """
                Asks twice on a terminal; with --password-stdin reads the first line of standard input instead \
                (for scripts: `printf '%s\\n' "$PW" | kam users passwd ana --password-stdin`). A user sets their own \
                (--user), an admin anyone's. --remove takes the password away (API keys still work).
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "User id.") var id: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @Flag(help: "Remove the password: the user can no longer sign in with one.") var remove = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            if remove {
                try runtime.attempt { try runtime.runtime.webSessions.removePassword(for: id, as: runtime.user) }
                print("removed the password of \(id)")
                return
            }
            let password = try readPassword()
            try runtime.attempt { try runtime.runtime.webSessions.setPassword(for: id, to: password, as: runtime.user) }
            print("set the password of \(id); they sign in at /app of `kam serve`")
            fflush(nil)
        }

        private func readPassword() throws -> String {
            if passwordStdin || isatty(STDIN_FILENO) == 0 {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("standard input had no password line; pipe one in, e.g. printf '%s\\n' \"$PW\" | kam users passwd \(id) --password-stdin")
                }
                return line
            }
            let first = String(cString: getpass("New password for \(id): "))
            let second = String(cString: getpass("Again: "))
            guard first == second else { throw ValidationError("the two passwords differ; nothing was changed") }
            return first
        }
    }
}
