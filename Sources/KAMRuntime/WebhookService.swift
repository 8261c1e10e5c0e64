import Foundation
import KAMCore
import KAMStore

/// Signed webhooks. Inbound: `POST /webhooks/email` hands a relay's message to the email intake after
/// checking its signature (`WebhookSignature`) under the secret of the source it names, and answers a
/// replay of a message with the first answer, storing nothing new. Its sources are managed here
/// (`kam webhooks sources add|list|disable`). Outbound subscriptions and deliveries: `WebhookService+Outbound`.
///
/// For example:
/// ```swift
/// let secret = try runtime.webhooks.addSource("postmark", as: .anonymous)   // shown once
/// let receipt = try await runtime.webhooks.receiveEmail(
///     InboundEmailDelivery(source: "postmark", signature: header, contentType: "message/rfc822", body: bytes))
/// ```
public struct WebhookService: Sendable {
    let runtime: Runtime

    var sources: any WebhookSourceStoring { runtime.webhookSources }

    // MARK: - Sources

    /// Adds source `name` (or gives it a new secret). With `secretEnv`, the secret is read from that
    /// environment variable when a request arrives and only the variable's name is stored; otherwise a new
    /// secret is made, stored, and returned here only.
    ///
    /// Only an admin (or a local run without `--user`) may.
    ///
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `webhook.source-name` (`.invalidInput`)
    ///   for a name that is not `[a-z0-9-_.]+`.
    @discardableResult
    public func addSource(_ name: String, secretEnv: String? = nil, as user: ActingUser) throws -> String? {
        try runtime.requireAdmin(user, for: "adding a webhook source")
        try Self.checkName(name, what: "source")
        if let secretEnv {
            try sources.upsert(name: name, secret: .environment(secretEnv), now: runtime.now())
            return nil
        }
        let secret = WebhookSignature.newSecret()
        try sources.upsert(name: name, secret: .stored(secret), now: runtime.now())
        return secret
    }

    /// Every inbound source (without secrets).
    public func listSources() throws -> [WebhookSource] { try sources.list() }

    /// Disables source `name`: its requests are refused from now on. Only an admin (or a local run) may.
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `webhook.source-not-found`.
    public func disableSource(_ name: String, as user: ActingUser) throws {
        try runtime.requireAdmin(user, for: "disabling a webhook source")
        guard try sources.disable(name: name, now: runtime.now()) else {
            throw RuntimeError(
                .notFound, code: "webhook.source-not-found",
                "no enabled webhook source is named '\(name)'; `kam webhooks sources list` shows them")
        }
    }

    // MARK: - Inbound email

    /// What `receiveEmail` answers: the intake's result, and whether it is the stored answer to an earlier
    /// delivery of the same message.
    public struct EmailReceipt: Codable, Sendable, Hashable {
        public var result: EmailIngestResult
        public var replayed: Bool
    }

    /// Checks the signature, then ingests the message once (match, analysis, tasks, pending acknowledgment
    /// draft); a message already received (same Message-ID, else same bytes) gets its first answer again.
    ///
    /// - Throws: `WebhookSignatureError` (unknown source, missing, malformed, expired or wrong signature:
    ///   nothing is read or stored); `RuntimeError` `webhook.body-invalid` (`.invalidInput`) for a body that
    ///   is not one message, `webhook.secret-unset` (`.wrongState`) when the source's variable is not set.
    public func receiveEmail(_ delivery: InboundEmailDelivery) async throws -> EmailReceipt {
        let source = try resolveSource(delivery.source)
        try WebhookSignature.verify(
            delivery.signature, secret: try secret(of: source), body: delivery.body, now: runtime.now())
        let raw = try Self.message(in: delivery.body, contentType: delivery.contentType)
        let messageID: String
        do {
            messageID = EmailIntake.messageID(of: try EmailParser().parse(raw), raw: raw)
        } catch {
            messageID = EmailIntake.rawID(raw)
        }
        if let stored = try sources.receipt(messageID: messageID) {
            return EmailReceipt(result: try Self.decode(stored), replayed: true)
        }
        let report = try await runtime.email.ingest(.bytes(raw), as: .anonymous)
        guard let result = report.results.first else {
            throw RuntimeError(.invalidInput, code: "webhook.body-invalid", "the body holds no message")
        }
        let answer = try sources.recordReceipt(
            messageID: messageID, source: source, result: try Self.encode(result), now: runtime.now())
        let first = try Self.decode(answer)
        return EmailReceipt(result: first, replayed: first != result)
    }

    /// The source named, or the only enabled one when none is named.
    func resolveSource(_ name: String?) throws -> String {
        if let name, !name.isEmpty {
            guard try sources.secret(of: name) != nil else {
                throw WebhookSignatureError(
                    code: "webhook.unknown-source",
                    message: "no enabled webhook source is named '\(name)'; add it with `kam webhooks sources add \(name)`")
            }
            return name
        }
        let enabled = try sources.list().filter { $0.disabledAt == nil }
        guard enabled.count == 1 else {
            throw WebhookSignatureError(
                code: "webhook.unknown-source",
                message: enabled.isEmpty
                    ? "no webhook source is configured; add one with `kam webhooks sources add NAME`"
                    : "name the source in the `X-KAM-Source` header (one of: \(enabled.map(\.name).joined(separator: ", ")))")
        }
        return enabled[0].name
    }

    /// The secret of `source`, read from the environment when that is where it is kept.
    func secret(of source: String) throws -> String {
        guard let secret = try sources.secret(of: source) else {
            throw WebhookSignatureError(code: "webhook.unknown-source", message: "no enabled webhook source is named '\(source)'")
        }
        return try resolve(secret, of: "webhook source '\(source)'")
    }

    /// The value of `secret`: itself, or its environment variable's value.
    /// - Throws: `RuntimeError` `webhook.secret-unset` (`.wrongState`) when the variable is not set.
    func resolve(_ secret: WebhookSecret, of owner: String) throws -> String {
        switch secret {
        case .stored(let value):
            return value
        case .environment(let variable):
            guard let value = runtime.options.environment[variable], !value.isEmpty else {
                throw RuntimeError(
                    .wrongState, code: "webhook.secret-unset",
                    "\(owner) reads its secret from $\(variable), which is not set for kam; set it and try again")
            }
            return value
        }
    }

    /// The RFC 822 bytes of a body: the body itself, or for `application/json` the `raw` (text) or
    /// `raw_base64` member of `{"raw": "From: ...\r\n..."}`.
    static func message(in body: [UInt8], contentType: String?) throws -> [UInt8] {
        var raw = body
        if let type = contentType?.lowercased(), type.hasPrefix("application/json") {
            struct Envelope: Decodable {
                var raw: String?
                var raw_base64: String?
            }
            guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(body)) else {
                throw RuntimeError(
                    .invalidInput, code: "webhook.body-invalid",
                    "the JSON body must be an object with `raw` (the RFC 822 message as text) or `raw_base64`")
            }
            if let text = envelope.raw {
                raw = Array(text.utf8)
            } else if let encoded = envelope.raw_base64, let data = Data(base64Encoded: encoded) {
                raw = Array(data)
            } else {
                throw RuntimeError(
                    .invalidInput, code: "webhook.body-invalid",
                    "the JSON body has neither `raw` nor a valid base64 `raw_base64`; send the RFC 822 message in one")
            }
        }
        guard !raw.isEmpty else {
            throw RuntimeError(.invalidInput, code: "webhook.body-invalid", "the body is empty; send one RFC 822 message")
        }
        guard !EmailIntakeItem.isMbox(raw) else {
            throw RuntimeError(
                .invalidInput, code: "webhook.body-invalid",
                "the body is an mbox file; send one RFC 822 message a request (`kam email ingest` takes mbox files)")
        }
        return raw
    }

    static func checkName(_ name: String, what: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ allowed.contains($0) }) else {
            throw RuntimeError(
                .invalidInput, code: "webhook.\(what)-name",
                "'\(name)' is not a valid \(what) name; use 1 to 64 of a-z, 0-9, '-', '_' and '.'")
        }
    }

    static func encode(_ result: EmailIngestResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> EmailIngestResult {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(EmailIngestResult.self, from: Data(text.utf8))
    }
}

/// One request to the inbound email webhook, as the route received it.
public struct InboundEmailDelivery: Sendable {
    /// `X-KAM-Source`; nil when only one source is configured.
    public var source: String?
    /// `X-KAM-Signature`.
    public var signature: String?
    public var contentType: String?
    public var body: [UInt8]

    public init(source: String?, signature: String?, contentType: String?, body: [UInt8]) {
        self.source = source
        self.signature = signature
        self.contentType = contentType
        self.body = body
    }
}
