/// The `notifications:` section of kam.yaml: where the `notification-digest` job writes each user's daily digest,
/// one `.eml` file a user and day (KAM writes the file; it never sends it).
///
/// ```yaml
/// notifications:
///   digest_folder: digests        # relative to kam.yaml's folder; no digest is written without it
/// ```
public struct NotificationConfiguration: Sendable, Hashable {
    /// The folder, as written; nil writes no digest.
    public var digestFolder: String?

    public init(digestFolder: String? = nil) {
        self.digestFolder = digestFolder
    }
}
