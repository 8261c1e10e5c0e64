import Foundation
import KAMCore
import PostgresNIO

/// Reading `lead_details` rows back, as `LeadRepository` reads them on SQLite (shared by the health store's leads and
/// the lead store).
enum PostgresLeadRows {
    static let detailsColumns =
        "client_id, source, source_detail, value, currency, updated_at, size_band, needs, icp_score, icp_reasons"

    /// The lead details of a result selecting `detailsColumns`; an unknown source or size band, or a list that is not
    /// JSON, reads as unset, as on SQLite.
    static func details(_ result: PostgresQueryResult) throws -> [LeadDetails] {
        try result.rows.map { row in
            let (clientID, source, sourceDetail, value, currency, updatedAt, sizeBand, needs, icpScore, icpReasons) =
                try row.decode(
                    (String, String?, String?, Double?, String?, Double, String?, String?, Int?, String?).self)
            return LeadDetails(
                clientID: clientID, source: source.flatMap(LeadSource.init(rawValue:)), sourceDetail: sourceDetail,
                value: value, currency: currency, sizeBand: sizeBand.flatMap(CompanySize.init(rawValue:)),
                needs: needs.flatMap { try? DocumentCoding.decode([String].self, from: $0) }, icpScore: icpScore,
                icpReasons: icpReasons.flatMap { try? DocumentCoding.decode([String].self, from: $0) },
                updatedAt: Date(timeIntervalSince1970: updatedAt))
        }
    }
}
