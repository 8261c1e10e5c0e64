extension String {
    /// Right-aligned in `width` columns (or zero-filled, for ids).
    func leftPadded(_ width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
