import Foundation

/// An inbound email, parsed from RFC 5322 text.
public struct EmailMessage: Codable, Sendable, Hashable {
    public var messageID: String?
    public var inReplyTo: String?
    public var references: [String]
    public var from: EmailAddress?
    public var to: [EmailAddress]
    public var cc: [EmailAddress]
    public var subject: String
    public var date: Date?
    /// The plain-text body (from text/plain, or text/html with the markup removed).
    public var text: String
    public var html: String?
    public var attachments: [String]
    /// The headers that name who really wrote a message a relay sent (Reply-To, Sender, X-Original-From,
    /// Resent-From); nil for messages stored before they were read, and for messages without any.
    public var relay: RelayHeaders?
    /// The thread root: the first of References, else In-Reply-To, else this message.
    public var threadID: String? { references.first ?? inReplyTo ?? messageID }

    public init(
        messageID: String? = nil, inReplyTo: String? = nil, references: [String] = [], from: EmailAddress? = nil,
        to: [EmailAddress] = [], cc: [EmailAddress] = [], subject: String = "", date: Date? = nil, text: String = "",
        html: String? = nil, attachments: [String] = [], relay: RelayHeaders? = nil
    ) {
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.date = date
        self.text = text
        self.html = html
        self.attachments = attachments
        self.relay = relay
    }
}

/// `Ana Ruiz <ana@acme.com>`
public struct EmailAddress: Codable, Sendable, Hashable {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address.lowercased()
    }

    /// The part after `@`.
    public var domain: String {
        address.split(separator: "@", maxSplits: 1).last.map(String.init) ?? ""
    }
}

/// Why a message could not be parsed; the message is still stored as a failed intake with this reason.
public struct EmailParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code = "email.malformed"
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "malformed message: \(reason)" }
}
