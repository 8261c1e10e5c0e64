import Foundation
import Hummingbird
import KAMRuntime

/// Reading query parameters and body values: each refusal is a 400 naming the parameter, the value and what
/// it accepts.
extension Request {
    /// `?limit=` (1 to 500, default 50) and `?cursor=` (a `next_cursor`) as a page request.
    /// - Throws: `APIError` 400 `request.limit`; `RuntimeError` `request.cursor` (400) for a cursor no page returned.
    func pageRequest() throws -> PageRequest {
        let limit = try number("limit", in: 1...PageRequest.maxLimit, expecting: "a whole number from 1 to \(PageRequest.maxLimit)")
        return try PageRequest(
            limit: limit ?? PageRequest.defaultLimit, cursor: uri.queryParameters["cursor"].map(String.init))
    }

    /// `?name=` as one of `E`'s values, or nil when absent.
    /// - Throws: `APIError` 400 `request.<name>` listing the accepted values.
    func query<E: RawRepresentable & CaseIterable>(_ name: String, as type: E.Type) throws -> E?
    where E.RawValue == String {
        guard let text = uri.queryParameters[Substring(name)] else { return nil }
        let value: E = try Self.value(String(text), of: E.self, field: name)
        return value
    }

    /// `?name=` as a whole number within `range`, or nil when absent. An empty value (`?days=`) is no number and is
    /// refused, unlike an empty text filter (`query(_:)`).
    /// - Throws: `APIError` 400 `request.<name>` saying what it accepts (`expecting`).
    func number(_ name: String, in range: ClosedRange<Int>, expecting: String) throws -> Int? {
        try Self.number(uri.queryParameters[Substring(name)].map(String.init), field: name, in: range, expecting: expecting)
    }

    /// `?name=` as text, or nil when absent or empty.
    func query(_ name: String) -> String? {
        uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `text` as one of `E`'s values.
    /// - Throws: `APIError` 400 `request.<field>` listing the accepted values.
    /// The error code naming a query field: `request.` and the field in kebab case (`min_priority` → `request.min-priority`).
    static func fieldCode(_ field: String) -> String {
        ["request", field.replacingOccurrences(of: "_", with: "-")].joined(separator: ".")
    }

    static func value<E: RawRepresentable & CaseIterable>(_ text: String, of type: E.Type, field: String) throws -> E
    where E.RawValue == String {
        guard let value = E(rawValue: text) else {
            throw APIError(
                .badRequest, code: fieldCode(field),
                message: "unknown \(field) '\(text)'; use one of "
                    + E.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// An optional enum field of a body.
    static func value<E: RawRepresentable & CaseIterable>(_ text: String?, of type: E.Type, field: String) throws -> E?
    where E.RawValue == String {
        guard let text else { return nil }
        let value: E = try value(text, of: type, field: field)
        return value
    }

    /// A whole-number field of a query: `text` as an `Int` within `range`, or nil when `text` is nil.
    /// - Throws: `APIError` 400 `request.<field>`: "<field> must be <expecting>, got '<text>'".
    static func number(_ text: String?, field: String, in range: ClosedRange<Int>, expecting: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(.badRequest, code: fieldCode(field), message: "\(field) must be \(expecting), got '\(text)'")
        }
        return value
    }

    /// A date field of a body or query: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time (`2026-03-01T09:30:00Z`),
    /// as the document's `DayOrTime` schema says.
    /// - Throws: `APIError` 400 `request.<field>`.
    static func date(_ text: String?, field: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = RFC3339.date(text) else {
            throw APIError(
                .badRequest, code: fieldCode(field),
                message: "\(field) '\(text)' is not a date; give YYYY-MM-DD or an RFC 3339 time like 2026-03-01T09:30:00Z")
        }
        return date
    }

    /// `?name=` as `true` or `false`, or nil when absent; an empty value is refused, not taken as absent.
    /// - Throws: `APIError` 400 `request.<name>`.
    func flagQuery(_ name: String) throws -> Bool? {
        guard let text = uri.queryParameters[Substring(name)] else { return nil }
        guard let value = Bool(String(text)) else {
            throw APIError(.badRequest, code: Self.fieldCode(name), message: "\(name) must be true or false, got '\(text)'")
        }
        return value
    }

    /// `?name=` as a number within `range`, or nil when absent; an empty value is refused, not taken as absent.
    /// - Throws: `APIError` 400 `request.<name>`: "<name> must be <expecting>, got '<text>'".
    func decimalQuery(_ name: String, in range: ClosedRange<Double>, expecting: String) throws -> Double? {
        guard let text = uri.queryParameters[Substring(name)] else { return nil }
        guard let value = Double(String(text)), range.contains(value) else {
            throw APIError(
                .badRequest, code: Self.fieldCode(name), message: "\(name) must be \(expecting), got '\(text)'")
        }
        return value
    }

    /// `?name=` as a day or a time (see `date(_:field:)`); an empty value is refused, not taken as absent.
    func dateQuery(_ name: String) throws -> Date? {
        try Self.date(uri.queryParameters[Substring(name)].map(String.init), field: name)
    }
}
