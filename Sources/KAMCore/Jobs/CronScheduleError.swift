/// A cron expression that cannot be read: which one, and what is wrong with which field.
public struct CronScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    public let code = "schedule.invalid"
    public var expression: String
    public var message: String

    public var description: String { "schedule '\(expression)': \(message)" }
}
