import Foundation

/// The `exports` row of one run.
public struct ExportRun: Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var userID: String?
    public var format: String
    public var model: String
    /// `committed`, or `failed-leak-audit`.
    public var status: String
    /// The filters and the files, as JSON text.
    public var filters: String
    public var examples: Int
    public var rejected: Int
    public var consentExcluded: Int
    public var files: String
    public var keyID: String
    public var outputDirectory: String

    public init(
        id: String, createdAt: Date, userID: String?, format: String, model: String, status: String, filters: String,
        examples: Int, rejected: Int, consentExcluded: Int, files: String, keyID: String, outputDirectory: String
    ) {
        self.id = id
        self.createdAt = createdAt
        self.userID = userID
        self.format = format
        self.model = model
        self.status = status
        self.filters = filters
        self.examples = examples
        self.rejected = rejected
        self.consentExcluded = consentExcluded
        self.files = files
        self.keyID = keyID
        self.outputDirectory = outputDirectory
    }
}
