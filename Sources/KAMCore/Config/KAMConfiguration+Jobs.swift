import Foundation
import Yams

/// Parsing the `jobs:` section of kam.yaml (`JobConfiguration`).
extension KAMConfiguration {
    static func readJobs(_ node: Node, _ path: String, _ reader: YAMLReader) -> JobConfiguration {
        var timeZone = TimeZone(identifier: "UTC")!
        var overrides: [JobKind: JobConfiguration.Override] = [:]
        var evaluations: String?
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["time_zone", "schedules", "evaluations"]) ?? [] {
            switch key {
            case "evaluations":
                evaluations = reader.string(value, fieldPath)
            case "time_zone":
                if let zone = reader.timeZone(value, fieldPath) { timeZone = zone }
            case "schedules":
                let names = Set(JobKind.allCases.map(\.rawValue))
                for (name, entry, entryPath) in reader.mapping(value, fieldPath, allowedKeys: names) ?? [] {
                    if let job = JobKind(rawValue: name), let override = readJobSchedule(job, entry, entryPath, reader) {
                        overrides[job] = override
                    }
                }
            default:
                break
            }
        }
        var jobs = JobConfiguration(timeZone: timeZone, overrides: overrides)
        if let evaluations { jobs.evaluations = evaluations }
        return jobs
    }

    private static func readJobSchedule(_ job: JobKind, _ node: Node, _ path: String, _ reader: YAMLReader)
        -> JobConfiguration.Override?
    {
        guard let entries = reader.mapping(node, path, allowedKeys: ["cron", "time_zone"]) else { return nil }
        var override = JobConfiguration.Override()
        for (key, value, fieldPath) in entries {
            switch key {
            case "cron":
                guard let expression = reader.string(value, fieldPath) else { continue }
                do {
                    override.cron = try CronSchedule(expression)
                } catch {
                    reader.issue(value, fieldPath, error.message)
                }
            case "time_zone" where job.isPerUser:
                reader.issue(
                    value, fieldPath,
                    "the \(job.rawValue) job runs in each user's own time zone; set it with `kam users update ID --time-zone ZONE` (users without one use jobs.time_zone)")
            case "time_zone":
                override.timeZone = reader.timeZone(value, fieldPath)
            default:
                break
            }
        }
        return override
    }
}
