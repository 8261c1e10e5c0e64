import Foundation
import KAMCore
import KAMProviders
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@Suite struct IntelligenceRequestServiceTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// The demo store with `RoleTestUsers`: an admin, a manager of maria's team (enterprise), and a member of
    /// another team who owns no client.
    static func store() throws -> ClientStore {
        let store = try ClientStore.inMemory(now: { now })
        try DemoSeeder.seedDemo(into: store, now: now)
        try RoleTestUsers.add(to: store)
        return store
    }

    /// A runtime at `now` over `store`: the offline writer, or `overrides` and `transport` for a fake provider.
    static func runtime(
        _ store: ClientStore, at now: Date = now, configuration: KAMConfiguration = .embeddedDefaults,
        overrides: ModelOverrides = ModelOverrides(), transport: MockTransport = MockTransport(),
        ids: IDMaker = .sequential()
    ) async throws -> Runtime {
        try await Runtime.open(
            RuntimeOptions(
                configuration: configuration,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                overrides: overrides, environment: [:], now: { now }, ids: ids, transport: transport),
            store: store)
    }

    static let admin = ActingUser(RoleTestUsers.admin)
    static let manager = ActingUser(RoleTestUsers.manager)
    static let member = ActingUser(RoleTestUsers.member)

    @Test("every type is answered by its prompt with the offline writer: queued, then done with a result")
    func everyTypeGoesFromQueuedToDone() async throws {
        let runtime = try await Self.runtime(try Self.store())
        for (type, prompt) in IntelligenceRequestService.prompts {
            let queued = try runtime.requests.submit(
                type: type, client: "acme", parameters: ["topic": "renewal"], as: Self.admin)
            #expect(queued.status == .queued)
            #expect(queued.prompt == prompt)
            #expect(queued.startedAt == nil && queued.result == nil)
            #expect(queued.requestedBy == "rq-admin")
            let done = try #require(await runtime.requests.run(queued.id))
            #expect(done.status == .done, "\(type): \(String(describing: done.error))")
            #expect(done.prompt == "\(prompt)@1")
            #expect(done.result?.objectValue?.isEmpty == false)
            #expect(done.startedAt == Self.now && done.finishedAt == Self.now)
            #expect(done.parameters == ["topic": "renewal"])
            #expect(try runtime.requests.request(queued.id, as: Self.admin) == done)
        }
    }

    @Test func aRequestRunsOnceAndAFinishedOneIsNeverReopened() async throws {
        let runtime = try await Self.runtime(try Self.store())
        let queued = try runtime.requests.submit(type: "needs", client: "acme", as: Self.admin)
        let done = try #require(await runtime.requests.run(queued.id))
        let again = try #require(await runtime.requests.run(queued.id))
        #expect(again == done)
        // A restart's sweep does not touch a finished request.
        let later = try await Self.runtime(runtime.sqliteStore!, at: Self.now.addingTimeInterval(3600))
        #expect(try later.requests.failStale(olderThan: 15) == 0)
        #expect(try later.requests.request(queued.id, as: Self.admin).status == .done)
        #expect(await runtime.requests.run("req-missing") == nil)
    }

    /// The client page's panel shows the newest answered request about the client, whoever made it, to anyone who may
    /// see the client.
    @Test func theNewestAnsweredRequestOfAClientIsFoundForAnyoneWhoSeesTheClient() async throws {
        let runtime = try await Self.runtime(try Self.store())
        #expect(try runtime.requests.latestAnswered(clientID: "acme", as: Self.admin) == nil)
        let queued = try runtime.requests.submit(type: "client-intelligence", client: "acme", as: Self.admin)
        #expect(try runtime.requests.latestAnswered(clientID: "acme", as: Self.admin) == nil, "queued: no result yet")
        let done = try #require(await runtime.requests.run(queued.id))
        #expect(try runtime.requests.latestAnswered(clientID: "acme", as: ActingUser("maria"))?.id == done.id)
        #expect(try runtime.requests.latestAnswered(clientID: "globex", as: Self.admin) == nil)
        #expect(throws: RuntimeError.self) { try runtime.requests.latestAnswered(clientID: "acme", as: Self.member) }
    }

    @Test("a provider whose answers never validate fails the request with the error's code")
    func aFailingProviderFailsTheRequest() async throws {
        let configuration = try KAMConfiguration.parse(
            """
            version: 1
            providers:
              local:
                kind: openai-compatible
                base_url: http://model.invalid/v1

            """, file: "kam.yaml")
        let notJSON = HTTPResponseData(
            status: 200,
            text: #"{"id":"1","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"no JSON here"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3}}"#)
        let runtime = try await Self.runtime(
            try Self.store(), configuration: configuration, overrides: ModelOverrides(provider: "local", model: "m"),
            transport: MockTransport { _ in notJSON })
        let queued = try runtime.requests.submit(type: "client-intelligence", client: "acme", as: Self.admin)
        let failed = try #require(await runtime.requests.run(queued.id))
        #expect(failed.status == .failed)
        #expect(failed.error?.code == "output.invalid")
        #expect(failed.result == nil)
        #expect(failed.finishedAt == Self.now)
    }

    @Test func unknownTypesAndClientsAreRefusedAndNothingIsStored() async throws {
        let runtime = try await Self.runtime(try Self.store())
        #expect { try runtime.requests.submit(type: "intelligence_report", client: "acme", as: Self.admin) } throws: {
            ($0 as? RuntimeError)?.code == "request.type" && ($0 as? RuntimeError)?.message.contains("needs") == true
        }
        #expect { try runtime.requests.submit(type: "needs", client: "no-such-co", as: Self.admin) } throws: {
            ($0 as? RuntimeError)?.kind == .notFound
        }
        // A member cannot ask about a client they do not own: the same refusal as a missing one.
        #expect { try runtime.requests.submit(type: "needs", client: "acme", as: Self.member) } throws: {
            ($0 as? RuntimeError)?.code == "client.not-found"
        }
        #expect(try runtime.requests.list(as: Self.admin).items.isEmpty)
    }

    @Test("a request is the requester's and their scope's: another member gets not-found, the team's manager sees it")
    func visibilityFollowsTheRequesterAndTheScope() async throws {
        let runtime = try await Self.runtime(try Self.store())
        let request = try runtime.requests.submit(type: "needs", client: "acme", as: Self.admin)
        #expect(try runtime.requests.request(request.id, as: Self.manager).id == request.id)
        #expect { try runtime.requests.request(request.id, as: Self.member) } throws: {
            ($0 as? RuntimeError)?.code == "request.not-found"
        }
        #expect { try runtime.requests.request("req-nothing", as: Self.admin) } throws: {
            ($0 as? RuntimeError)?.code == "request.not-found"
        }
        // Lists are the caller's own requests only.
        #expect(try runtime.requests.list(as: Self.manager).items.isEmpty)
        #expect(try runtime.requests.list(as: Self.admin).items.map(\.id) == [request.id])
    }

    @Test func listsPageNewestFirst() async throws {
        let store = try Self.store()
        var ids: [String] = []
        // One id sequence for the five runtimes: each fresh `.sequential()` would start over and repeat the ids.
        let sequence = IDMaker.sequential()
        for minute in 0..<5 {
            let runtime = try await Self.runtime(
                store, at: Self.now.addingTimeInterval(Double(minute) * 60), ids: sequence)
            ids.append(try runtime.requests.submit(type: "needs", client: "globex", as: Self.admin).id)
        }
        let runtime = try await Self.runtime(store)
        let first = try runtime.requests.list(as: Self.admin, page: PageRequest(limit: 2))
        let second = try runtime.requests.list(as: Self.admin, page: try PageRequest(limit: 2, cursor: first.next))
        let third = try runtime.requests.list(as: Self.admin, page: try PageRequest(limit: 2, cursor: second.next))
        #expect((first.items + second.items + third.items).map(\.id) == ids.reversed())
        #expect(third.next == nil)
    }

    @Test("on start, requests left queued or running longer than the window are failed as interrupted; recent ones stay")
    func staleRequestsAreFailedOnStart() async throws {
        let store = try Self.store()
        let before = try await Self.runtime(store)
        let running = try before.requests.submit(type: "needs", client: "acme", as: Self.admin)
        let queued = try before.requests.submit(type: "needs", client: "globex", as: Self.admin)
        // A worker that starts the request and dies: the row stays running.
        let repository = IntelligenceRequestRepository(writer: store.writer)
        #expect(try repository.start(id: running.id, prompt: "analysis.needs@1", at: Self.now))
        #expect(try !repository.start(id: running.id, prompt: "analysis.needs@1", at: Self.now))

        let soon = try await Self.runtime(store, at: Self.now.addingTimeInterval(5 * 60))
        #expect(try soon.requests.failStale(olderThan: 15) == 0)
        #expect(try soon.requests.request(running.id, as: Self.admin).status == .running)

        let later = try await Self.runtime(store, at: Self.now.addingTimeInterval(20 * 60))
        #expect(try later.requests.failStale(olderThan: 15) == 2)
        for id in [running.id, queued.id] {
            let failed = try later.requests.request(id, as: Self.admin)
            #expect(failed.status == .failed)
            #expect(failed.error?.code == "request.interrupted")
            #expect(failed.finishedAt == Self.now.addingTimeInterval(20 * 60))
        }
        // A failed request is not run again, and its late worker cannot finish it.
        #expect(await later.requests.run(queued.id)?.status == .failed)
        #expect(try !repository.finish(id: running.id, result: ["late": true], prompt: "analysis.needs@1", at: Self.now))
    }
}
