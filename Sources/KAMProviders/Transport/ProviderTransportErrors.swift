import KAMCore

/// Adds the provider and model to transport errors, which know neither.
enum ProviderTransportErrors {
    static func tagging<T>(
        _ provider: String, _ model: String, _ operation: () async throws -> T
    ) async throws -> T {
        do {
            return try await operation()
        } catch var error as ProviderError {
            if error.provider == nil { error.provider = provider }
            if error.model == nil { error.model = model }
            throw error
        }
    }
}
