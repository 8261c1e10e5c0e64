import ArgumentParser
import Foundation
import KAMCore
import KAMServer
import Logging
import KAMRuntime

/// `kam serve [--host 127.0.0.1] [--port 8080]`: the HTTP API (keys: `kam keys create|list|revoke`).
///
/// It listens on 127.0.0.1 unless told otherwise, so nothing is exposed by accident.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (API keys, per-user rate limit); `kam keys` manages keys."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var config: ConfigOptions
    @Option(help: "Address to listen on (default: 127.0.0.1, this machine only).") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the shipped set).") var prompts: String?
    @Flag(help: "Print the OpenAPI document (docs/openapi.json) and exit, without opening a database.")
    var printOpenapi = false
    @Flag(
        help: ArgumentHelp(
            "Answer requests only: no scheduled jobs, event consumers or webhook deliveries in this process.",
            discussion: "For a server beside others on one PostgreSQL database that run them (or `kam jobs run --due` from cron)."))
    var noBackground = false

    func run() async throws {
        if printOpenapi {
            do {
                Swift.print(try OpenAPIDocument.bundled().text, terminator: "")
                fflush(nil)
                return
            } catch {
                Terminal.printError("kam: \(error)")
                throw ExitCode.failure
            }
        }
        let runtime = try await AgentRuntime.open(global, config, prompts: prompts)
        let api = KAMAPI(runtime: runtime.runtime, logger: Logger(label: "kam.server", factory: ServerLogHandler.init(label:)))
        let ledger = runtime.runtime.ledgerIsShared ? ", budgets and usage on PostgreSQL" : ""
        let background = noBackground ? "; no jobs, event consumers or webhook deliveries here (--no-background)" : ""
        Terminal.printError(
            "kam: serving on http://\(host):\(port) (database \(runtime.runtime.storage.label)\(ledger))\(background)")
        let webhooks = Task { if !noBackground { await WebhookDispatcher(runtime: runtime.runtime).run() } }
        let jobs = Task { if !noBackground { await JobScheduler(runtime: runtime.runtime).run() } }
        let served: Result<Void, any Error>
        do {
            try await api.serve(host: host, port: port)
            served = .success(())
        } catch {
            served = .failure(error)
        }
        // The background work stops before the ledger's connections close under it.
        webhooks.cancel()
        jobs.cancel()
        await webhooks.value
        await jobs.value
        await runtime.runtime.close()
        try served.get()
    }
}
