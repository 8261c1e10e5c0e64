import Foundation

/// Which part of a list to return: up to `limit` items after the first `offset`, for lists a service reads
/// whole or by offset (keyset lists, like the drafts', carry their own position instead).
///
/// A surface reads it from `?limit=` and `?cursor=` (the `next_cursor` of the page before); the cursor is
/// opaque to callers, so the way it counts may change without breaking them.
///
/// For example:
/// ```swift
/// let first = try runtime.clients.list(ClientService.Query(), page: PageRequest(limit: 2), as: user)
/// let second = try PageRequest(limit: 2, cursor: first.next)   // the next two
/// ```
public struct PageRequest: Sendable, Hashable {
    /// Items a page holds when the caller names no limit.
    public static let defaultLimit = 50
    /// The most items one page may hold.
    public static let maxLimit = 500

    public var limit: Int
    public var offset: Int

    public init(limit: Int = PageRequest.defaultLimit, offset: Int = 0) {
        self.limit = min(max(limit, 1), Self.maxLimit)
        self.offset = max(offset, 0)
    }

    /// The page a `next_cursor` names (the first page when `cursor` is nil).
    /// - Throws: `RuntimeError` `.invalidInput` `request.cursor` for a cursor no page returned.
    public init(limit: Int = PageRequest.defaultLimit, cursor: String?) throws {
        guard let cursor else {
            self.init(limit: limit)
            return
        }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        // Only the exact text `nextCursor` writes (no leading zeros, no other spelling of the same bytes, at most
        // 18 digits), so the cursor pattern of the OpenAPI document says precisely which cursors are taken.
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("o:"), text.count <= 20, let offset = Int(text.dropFirst(2)), offset >= 0,
            Self.cursor(offset: offset) == cursor
        else {
            throw RuntimeError(
                .invalidInput, code: "request.cursor",
                "cursor '\(cursor)' is not one this list returned; pass the next_cursor of the previous page")
        }
        self.init(limit: limit, offset: offset)
    }

    /// The cursor of the page after this one: base64url of `o:<offset>`.
    var nextCursor: String { Self.cursor(offset: offset + limit) }

    /// The cursor naming the page that starts at `offset`.
    static func cursor(offset: Int) -> String {
        Data("o:\(offset)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// This page of a whole list.
    public func page<Item: Sendable & Encodable>(of all: [Item]) -> Page<Item> {
        let start = min(offset, all.count)
        let end = min(start + limit, all.count)
        return Page(items: Array(all[start..<end]), next: end < all.count ? nextCursor : nil)
    }

    /// This page from items read from `offset` on with a limit of `limit + 1`: the extra one only says that
    /// there is a next page.
    public func page<Item: Sendable & Encodable>(fetched: [Item]) -> Page<Item> {
        Page(items: Array(fetched.prefix(limit)), next: fetched.count > limit ? nextCursor : nil)
    }
}
