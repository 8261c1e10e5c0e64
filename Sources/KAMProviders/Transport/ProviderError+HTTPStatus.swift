import KAMCore

extension ProviderError {
    /// A provider's error status as a `ProviderError`: rate-limited for 429, retryable where the status
    /// is transient, with the server's own message and what to do, and every secret redacted.
    static func httpStatus(
        _ status: Int, provider: String, model: String, serverMessage: String, hint: String, retryAfter: Duration?,
        secrets: [String]
    ) -> ProviderError {
        ProviderError(
            code: status == 429 ? .rateLimited : .httpStatus,
            message: SecretRedactor.redact(
                "\(provider) answered HTTP \(status) for model \(model): \(serverMessage) — \(hint)", secrets: secrets),
            provider: provider, model: model, httpStatus: status, isRetryable: isRetryableStatus(status),
            retryAfter: retryAfter)
    }
}
