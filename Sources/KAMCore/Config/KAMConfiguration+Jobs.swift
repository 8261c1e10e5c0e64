import Foundation
import Yams

/// Parsing the `jobs:` section of kam.yaml (`JobConfiguration`).
extension KAMConfiguration {
    static func readJobs(_ node: Node, _ path: String, _ reader: YAMLReader) -> JobConfiguration {
        var timeZone = TimeZone(identifier: "UTC")!
        var overrides: [JobKind: JobConfiguration.Override] = [:]
        var evaluations: String?
        var seconds: [(field: WritableKeyPath<JobConfiguration, Double>, value: Double?)] = []
        let keys: Set<String> = [
            "time_zone", "schedules", "evaluations", "interval_seconds", "lease_seconds", "event_lease_seconds",
        ]
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: keys) ?? [] {
            switch key {
            case "interval_seconds":
                seconds.append((\.intervalSeconds, reader.double(value, fieldPath, minimum: 1)))
            case "lease_seconds":
                seconds.append((\.leaseSeconds, reader.double(value, fieldPath, minimum: 5)))
            case "event_lease_seconds":
                seconds.append((\.eventLeaseSeconds, reader.double(value, fieldPath, minimum: 5)))
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
        for (field, value) in seconds { if let value { jobs[keyPath: field] = value } }
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
