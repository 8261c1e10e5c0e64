/// Runs `body` on a fresh test world, then `tearDown` (files removed, schema dropped) whatever happens: the one
/// shape of the store kinds' `withWorld` (`LedgerStoreKind`, `EventStoreKind`).
func withTearDown<World>(
    _ world: World, _ tearDown: @Sendable () async -> Void, _ body: (World) async throws -> Void
) async throws {
    do {
        try await body(world)
    } catch {
        await tearDown()
        throw error
    }
    await tearDown()
}
