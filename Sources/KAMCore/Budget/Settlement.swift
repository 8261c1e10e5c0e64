/// A settled reservation and what was charged for it.
public struct Settlement: Sendable, Hashable {
    public var reservation: Reservation
    public var charged: Money

    /// How much the real cost went past the reserved worst case (zero when it fit).
    public var overrun: Money { max(.zero, charged - reservation.amount) }
}
