/// Runs `body` with `world`, then `tearDown(world)` whatever `body` did (a store's files removed, its schema dropped).
func withTearDown<World>(
    _ world: World, _ tearDown: (World) async -> Void, _ body: (World) async throws -> Void
) async throws {
    do {
        try await body(world)
    } catch {
        await tearDown(world)
        throw error
    }
    await tearDown(world)
}
