// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "KAM",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "KAMCore", targets: ["KAMCore"]),
        .library(name: "KAMResources", targets: ["KAMResources"]),
        .library(name: "KAMStore", targets: ["KAMStore"]),
        .library(name: "KAMProviders", targets: ["KAMProviders"]),
        .library(name: "KAMPostgres", targets: ["KAMPostgres"]),
        .library(name: "KAMRuntime", targets: ["KAMRuntime"]),
        .library(name: "KAMTesting", targets: ["KAMTesting"]),
        .executable(name: "kam", targets: ["kam"]),
        .executable(name: "kam-bench", targets: ["kam-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "KAMCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt for the web page's passwords (`PasswordHash`).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The shipped resources (prompts, tokenizer ranks, prices, name lists) and the files KAM reads outside the
        // store (prompt folders, kam.yaml, eval suites), loaded here so KAMCore does no I/O.
        .target(name: "KAMResources", dependencies: ["KAMCore"], resources: [.copy("Resources")]),
        // SQLite's process-wide settings, which need C (`sqlite3_config` is variadic): `SQLiteProcess`.
        .target(name: "CSQLiteSettings", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "KAMStore",
            dependencies: [
                "KAMCore", "KAMResources", "CSQLiteSettings",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API, for the import's statements (Statement+Storing.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        // PostgreSQL through PostgresNIO: today the budget ledger and the usage ledger, which `budgets.ledger` or
        // KAM_LEDGER_URL puts there (docs/postgresql.md).
        .target(
            name: "KAMPostgres",
            dependencies: [
                "KAMCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "KAMProviders",
            dependencies: [
                "KAMCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "KAMRuntime",
            dependencies: [
                "KAMCore", "KAMResources", "KAMStore", "KAMProviders", "KAMPostgres",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Fakes, fixtures and the synthetic data generators: only test targets and kam-bench may depend on it.
        .target(
            name: "KAMTesting",
            dependencies: [
                "KAMCore", "KAMResources", "KAMStore", "KAMProviders", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "KAMServer",
            dependencies: [
                "KAMCore", "KAMStore", "KAMProviders", "KAMRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // /metrics in Prometheus text format, from a registry each KAMAPI owns.
                .product(name: "Prometheus", package: "swift-prometheus"),
                // `kam serve` runs the API (and the metrics port) in one ServiceGroup that drains on SIGTERM.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI document in parts (Resources/openapi/*.yaml), merged and served at /openapi.json.
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "kam",
            dependencies: [
                "KAMCore", "KAMResources", "KAMStore", "KAMPostgres", "KAMProviders", "KAMRuntime", "KAMServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "kam-bench",
            dependencies: [
                "KAMCore", "KAMResources", "KAMStore", "KAMPostgres", "KAMProviders", "KAMRuntime", "KAMServer", "KAMTesting",
            ]
        ),
        .testTarget(name: "KAMCoreTests", dependencies: ["KAMCore", "KAMResources", "KAMTesting"]),
        .testTarget(name: "KAMStoreTests", dependencies: ["KAMStore", "KAMTesting"]),
        .testTarget(
            name: "KAMTestingTests",
            dependencies: ["KAMTesting", "KAMStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "KAMRuntimeTests", dependencies: ["KAMRuntime", "KAMTesting"]),
        // The store conformance suites run against memory, SQLite and PostgreSQL, so this target sees all three.
        .testTarget(name: "KAMPostgresTests", dependencies: ["KAMPostgres", "KAMStore", "KAMRuntime", "KAMTesting"]),
        .testTarget(name: "KAMProvidersTests", dependencies: ["KAMProviders", "KAMTesting"]),
        .testTarget(
            name: "KAMServerTests",
            dependencies: [
                "KAMServer", "KAMRuntime", "KAMTesting", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(
            name: "kamTests",
            dependencies: ["KAMCore", "KAMStore", "KAMTesting", .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (Fuzz/, run by tools/fuzz and .ci/run), declared only when KAM_FUZZ is set: they have no
// `main` of their own and link only with `swift build --sanitize=fuzzer`, which supplies libFuzzer's.
if Context.environment["KAM_FUZZ"] != nil {
    let fuzzTargets: [(name: String, folder: String, library: Target.Dependency)] = [
        ("fuzz-json", "JSON", "KAMCore"), ("fuzz-csv", "CSV", "KAMStore"), ("fuzz-email", "Email", "KAMCore"),
        ("fuzz-mustache", "Mustache", "KAMCore"), ("fuzz-prompty", "Prompty", "KAMCore"),
        ("fuzz-yaml", "YAML", "KAMCore"), ("fuzz-regex", "Regex", "KAMCore"),
    ]
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: target.name,
                dependencies: [target.library, .product(name: "Yams", package: "Yams")],
                path: "Fuzz/\(target.folder)"))
        package.products.append(.executable(name: target.name, targets: [target.name]))
    }
}
