/// The cost of a call, or the explicit fact that it is not known.
///
/// A model missing from the price table must never count as free: budgets would silently stop
/// holding. `unknown` carries the model so the message can say which price to add.
public enum CallCost: Sendable, Hashable, CustomStringConvertible {
    case known(Money)
    case unknown(model: String)

    /// The amount, when known.
    public var money: Money? {
        if case .known(let money) = self { return money }
        return nil
    }

    public var isKnown: Bool { money != nil }

    public var description: String {
        switch self {
        case .known(let money): money.description
        case .unknown(let model): "price unknown (\(model))"
        }
    }

    /// The sum of two costs; unknown as soon as either is.
    public static func + (lhs: CallCost, rhs: CallCost) -> CallCost {
        switch (lhs, rhs) {
        case (.known(let a), .known(let b)): .known(a + b)
        case (.unknown(let model), _), (_, .unknown(let model)): .unknown(model: model)
        }
    }
}
