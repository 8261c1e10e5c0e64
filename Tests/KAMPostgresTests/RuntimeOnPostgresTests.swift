import Foundation
import KAMCore
import KAMResources
import KAMStore
import Testing

@testable import KAMPostgres
@testable import KAMRuntime

/// `database: postgres://…`: a runtime that keeps everything in PostgreSQL answers as one on the SQLite file it was
/// copied from. The same calls of the services, on the two runtimes side by side, give the same clients, contexts,
/// suggestions, memory, drafts and metered calls; the ledger is the database's own.
@Suite("Runtime on PostgreSQL")
struct RuntimeOnPostgresTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func options(database: StorePlace?) -> RuntimeOptions {
        RuntimeOptions(
            database: database, configuration: KAMConfiguration.embeddedDefaults,
            promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
            environment: [:], now: { now }, ids: .sequential())
    }

    @Test("the services give the same answers on the SQLite store and on its copy in PostgreSQL")
    func sameAnswers() async throws {
        let sqlite = try ClientStore.inMemory(now: { Self.now })
        try DemoSeeder.seedDemo(into: sqlite, now: Self.now)
        _ = try DemoSeeder.seedTickets(into: SupportTicketRepository(writer: sqlite.writer), now: Self.now)
        let schema = PostgresTestServer.freshSchema()
        let target = try await PostgresTestServer.open(schema: schema)
        _ = try StoreCopy.copy(from: sqlite, to: target)
        let onFile = try await Runtime.open(Self.options(database: nil), store: sqlite)
        let onServer = try await Runtime.open(
            Self.options(database: .postgres(url: try PostgresTestServer.url(schema: schema) + "&pool_size=4")))
        do {
            #expect(onServer.storage.isShared && !onFile.storage.isShared)
            #expect(onServer.sqliteStore == nil)
            // The ledger is the database's own: one transaction can erase a client's ledger rows with the client.
            #expect(!onServer.ledgerIsShared)
            let maria = ActingUser("maria")

            let clients = try onFile.clients.list(as: .anonymous)
            #expect(clients.count >= 5)
            #expect(try onServer.clients.list(as: .anonymous) == clients)
            #expect(try onServer.clients.list(as: maria) == onFile.clients.list(as: maria))
            for client in clients {
                let expected = try onFile.context(clientID: client.id, budget: 2_000, as: .anonymous)
                #expect(try onServer.context(clientID: client.id, budget: 2_000, as: .anonymous).text == expected.text)
            }
            #expect(try onServer.client("Acme").id == onFile.client("Acme").id)

            let filePass = try await onFile.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
            let serverPass = try await onServer.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
            func summary(_ run: SuggestionService.Run) -> [String] {
                run.outcomes.map { "\($0.clientID) \($0.health.score) \($0.added.map(\.dedupKey).sorted())" }
            }
            #expect(summary(serverPass) == summary(filePass))
            #expect(filePass.outcomes.contains { !$0.added.isEmpty })

            for runtime in [onFile, onServer] {
                try runtime.memory.remember(clientID: "acme", text: "Prefers calls on Tuesdays", key: "calls", as: maria)
            }
            #expect(
                try onServer.clientMemory.snapshot(clientID: "acme", activitiesSince: Self.now)?.memory
                    == onFile.clientMemory.snapshot(clientID: "acme", activitiesSince: Self.now)?.memory)

            var drafts: [Draft] = []
            for runtime in [onFile, onServer] {
                let draft = try await runtime.drafts.generate(
                    client: try runtime.client("acme"), kind: .followUp, hint: "the inspection", as: maria)
                drafts.append(try runtime.drafts.approve(draft.id, as: maria))
            }
            #expect(drafts[1].original == drafts[0].original && drafts[1].contextSnapshot == drafts[0].contextSnapshot)
            #expect(drafts.map(\.status) == [.approved, .approved])
            #expect(try onServer.drafts.list(as: maria).map(\.original) == onFile.drafts.list(as: maria).map(\.original))
            // The call was metered in the database's own ledger.
            #expect(try await onServer.log.calls(clientID: "acme").count == 1)
            #expect(try await PostgresCallLog(store: target).calls(clientID: "acme").count == 1)

            // An import, a client's data export: the same on both.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("kam-runtime-pg-\(UUID()).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data("""
                customer_id,assigned_to_email,customer_name,customer_email,customer_phone,last_contact_date,product_interest,status,follow_up_by,notes
                90000001,lena.schmidt@atlas.com,Ana Lima,ana@lima-foods.example,,2026-11-30,Consulting,Qualified,2026-12-22,2026-11-25: Had a call.
                90000002,lena.schmidt@atlas.com,Bo Chen,bo@lima-foods.example,,2026-11-28,Hardware,Proposal,,

                """.utf8).write(to: file)
            let request = ImportService.FileRequest(path: file.path, mapping: "workbench")
            func tallies(_ summary: ImportSummary) -> [String] {
                summary.rows.map { "\($0.name) \($0.tally.created) \($0.tally.updated)" }
            }
            let imported = try onFile.imports.importFile(request, as: .anonymous)
            #expect(try tallies(onServer.imports.importFile(request, as: .anonymous)) == tallies(imported))
            #expect(imported.rows.contains { $0.tally.created > 0 })
            let exported = try await onFile.clientData.export("acme", as: .anonymous)
            let serverExport = try await onServer.clientData.export("acme", as: .anonymous)
            #expect(serverExport.tables == exported.tables && serverExport.rows == exported.rows)

            #expect(try onServer.storage.check().orphans.isEmpty)
            #expect(try onServer.clientMemory.counts() == onFile.clientMemory.counts())
        } catch {
            await onServer.close()
            try? await PostgresTestServer.drop(target)
            throw error
        }
        await onServer.close()
        try await PostgresTestServer.drop(target)
    }

    @Test("kam demo seeds a PostgreSQL database as a SQLite file, and a second time updates the same rows")
    func demo() async throws {
        let schema = PostgresTestServer.freshSchema()
        let target = try await PostgresTestServer.open(schema: schema)
        let runtime = try await Runtime.open(
            Self.options(database: .postgres(url: try PostgresTestServer.url(schema: schema) + "&pool_size=2")))
        let file = try await Runtime.open(Self.options(database: nil), store: try ClientStore.inMemory(now: { Self.now }))
        do {
            let seeded = try runtime.demo.seed()
            #expect(try seeded.counts == file.demo.seed().counts)
            #expect(try runtime.clientMemory.counts() == seeded.counts)
            #expect(try runtime.clients.list(as: .anonymous) == file.clients.list(as: .anonymous))
            let again = try runtime.demo.seed()
            #expect(again.summary.clients.created == 0 && again.summary.clients.updated == seeded.summary.clients.created)
            #expect(try runtime.clientMemory.counts() == seeded.counts)
        } catch {
            await runtime.close()
            try? await PostgresTestServer.drop(target)
            throw error
        }
        await runtime.close()
        try await PostgresTestServer.drop(target)
    }

    @Test("KAM_DATABASE_URL and database: choose PostgreSQL; --db keeps meaning a SQLite file")
    func choosing() throws {
        var configuration = KAMConfiguration.embeddedDefaults
        let file = StorePlace.configured(configuration, environment: [:], sqlitePath: "kam.sqlite")
        #expect(file == .sqlite(path: "kam.sqlite"))
        configuration.databaseURL = "postgres://kam@db:5432/kam"
        #expect(
            StorePlace.configured(configuration, environment: [:], sqlitePath: "kam.sqlite")
                == .postgres(url: "postgres://kam@db:5432/kam"))
        let environment = [RuntimeDatabase.environmentVariable: "postgres://other@db:5432/kam"]
        #expect(
            StorePlace.configured(configuration, environment: environment, sqlitePath: "kam.sqlite")
                == .postgres(url: "postgres://other@db:5432/kam"))
        #expect(
            StorePlace.configured(configuration, environment: [RuntimeDatabase.environmentVariable: ""], sqlitePath: "x")
                == .postgres(url: "postgres://kam@db:5432/kam"))

        let refused = #expect(throws: ConfigurationError.self) {
            try KAMConfiguration.parse("database: kam.sqlite\n", file: "kam.yaml")
        }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("kam.yaml"))
        #expect(try KAMConfiguration.parse("database: postgresql://a@b/c\n", file: "kam.yaml").databaseURL == "postgresql://a@b/c")
    }
}
