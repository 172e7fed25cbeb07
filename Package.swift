// swift-tools-version:6.1
// Apiary: a local, self-contained emulation of Amazon SageMaker for object detection.
//
// Dependency arrows point down only (docs/architecture.md draws the graph; scripts/check_architecture.py checks it):
//   ctl → JobService → SageMakerAPI → TrainingExecution → EndpointRuntime → {ControlPlane, ObjectStore, ModelCore}
//         JobService → {LambdaAPI → AWSHTTP, S3API → ObjectStore} → AWSProtocol → {CCrypto, CZlibShim}
//         JobService, SageMakerAPI → LabelStore → {ImageCodec → {CTurboJPEG, CPNG}, GroundTruthFormat, CCrypto}
//                                   ModelCore → CDNNL, CZlibShim, ImageCodec, GroundTruthFormat
//   ctl → MPITraining → {ModelCore, CMPI}          (data-parallel ranks under mpirun)
//   PostgresControlPlane → {ControlPlane, LabelStore, PostgresNIO}   (the control plane, queue and labels daemons share)
import PackageDescription

/// LabelStore's sample-data generator and ModelCore's pixel, loss and optimizer loops run through Swift SIMD
/// types and generic code that unoptimised builds run some 30× slower; both are optimised in debug builds too,
/// so that the test suite (which generates images and trains small networks) stays fast.
let optimizedAlways: [SwiftSetting] = [.unsafeFlags(["-O"])]

/// Swift SIMD compiles to scalar `fmaf()` calls unless the compiler may assume a vector ISA.
/// Haswell (AVX2 + FMA) is the floor of the machines Apiary targets; heavy math still lives in oneDNN.
#if arch(x86_64)
let vectorISA: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let vectorISA: [SwiftSetting] = []
#endif

let package = Package(
    name: "apiary",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ctl", targets: ["ctl"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
    ],
    targets: [
        // MARK: C system libraries
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CTurboJPEG", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // zlib with Apiary's gzip shims; not `CZlib`, the name ZIPFoundation's own zlib module map takes.
        .systemLibrary(name: "CZlibShim", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),

        // MARK: Libraries
        .target(name: "GroundTruthFormat"),
        // Optimised in debug builds too: its CRCs checksum every uploaded byte.
        .target(name: "AWSProtocol", dependencies: ["CCrypto", "CZlibShim"], resources: [.copy("Resources")], swiftSettings: optimizedAlways),
        .target(name: "ObjectStore", dependencies: ["AWSProtocol"]),
        .target(
            name: "ImageCodec",
            dependencies: ["CTurboJPEG", "CPNG"],
            swiftSettings: vectorISA
        ),
        .target(
            name: "ModelCore",
            dependencies: ["CDNNL", "CZlibShim", "ImageCodec", "GroundTruthFormat"],
            swiftSettings: optimizedAlways + vectorISA
        ),
        // ModelCore's GradientReducer over Open MPI: kept apart so that ModelCore and JobService never link MPI.
        .target(name: "MPITraining", dependencies: ["CMPI", "ModelCore"]),
        .target(
            name: "LabelStore",
            dependencies: [
                "ImageCodec",
                "GroundTruthFormat",
                "CCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: optimizedAlways + vectorISA
        ),
        // The daemon's rooms. Each is a target so that the compiler checks the direction of every arrow
        // (docs/architecture.md draws them): the edge and composition root (JobService) on top, then the SageMaker
        // control plane, training execution, the endpoint runtime; Lambda + API Gateway and S3 beside them; the
        // control-plane store and the AWS HTTP envelopes underneath.
        .target(
            name: "AWSHTTP",
            dependencies: [
                "AWSProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .target(
            name: "ControlPlane",
            dependencies: ["AWSProtocol", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The control plane over PostgreSQL, shared by several daemons (docs/scale-out.md): apart from ControlPlane so
        // that the SQLite-only code never links postgres-nio.
        .target(
            name: "PostgresControlPlane",
            dependencies: [
                "AWSProtocol",
                "ControlPlane",
                // The label store's tables in the shared database (`PostgresLabelDatabase`).
                "LabelStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "S3API",
            dependencies: [
                "AWSProtocol",
                "ObjectStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "EndpointRuntime",
            dependencies: [
                "AWSProtocol", "ControlPlane", "ObjectStore", "ModelCore", "ImageCodec",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "TrainingExecution",
            dependencies: [
                "AWSProtocol", "ControlPlane", "EndpointRuntime", "ObjectStore", "ModelCore", "ImageCodec",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SageMakerAPI",
            dependencies: ["AWSProtocol", "ControlPlane", "EndpointRuntime", "TrainingExecution", "ObjectStore", "LabelStore", "GroundTruthFormat"]
        ),
        .target(
            name: "LambdaAPI",
            dependencies: [
                "AWSProtocol",
                "AWSHTTP",
                "ControlPlane",
                "ObjectStore",
                "ModelCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "JobService",
            dependencies: [
                "AWSProtocol",
                "AWSHTTP",
                "ControlPlane",
                "S3API",
                "EndpointRuntime",
                "TrainingExecution",
                "SageMakerAPI",
                "LambdaAPI",
                "ObjectStore",
                "LabelStore",
                "GroundTruthFormat",
                // `--database postgresql://…`: the control plane and queue several daemons share.
                "PostgresControlPlane",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // The labeling UI's page, script and style sheet (plain files, no build step).
            resources: [.copy("LabelUI/Resources")]
        ),

        // MARK: The one binary
        .executableTarget(
            name: "ctl",
            dependencies: [
                "JobService",
                "TrainingExecution",
                "EndpointRuntime",
                "LabelStore",
                "ModelCore",
                "MPITraining",
                "ObjectStore",
                "GroundTruthFormat",
                "AWSProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // The bee detector Lambda handler `ctl expose` deploys (examples/bee-detector-lambda deploys the same file).
            resources: [.copy("Resources/lambda_function.py")]
        ),

        // MARK: Tests
        .testTarget(name: "ImageCodecTests", dependencies: ["ImageCodec"]),
        .testTarget(name: "ModelCoreTests", dependencies: ["ModelCore", "ImageCodec"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ctlTests",
            dependencies: [
                "ctl", "ObjectStore", "LabelStore", "ModelCore", "ImageCodec", "PostgresControlPlane", "LambdaAPI",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "GroundTruthFormatTests", dependencies: ["GroundTruthFormat"]),
        .testTarget(name: "AWSProtocolTests", dependencies: ["AWSProtocol"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ObjectStoreTests", dependencies: ["ObjectStore", "AWSProtocol"]),
        // A fresh database of the test PostgreSQL cluster per test, for every suite that runs against PostgreSQL.
        .target(
            name: "PostgresTestSupport",
            dependencies: [
                "PostgresControlPlane",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/PostgresTestSupport"
        ),
        .testTarget(
            name: "JobServiceTests",
            dependencies: [
                "JobService", "AWSHTTP", "ControlPlane", "S3API", "EndpointRuntime", "TrainingExecution", "SageMakerAPI", "LambdaAPI",
                "AWSProtocol", "ObjectStore", "ModelCore", "LabelStore",
                // The queue contract runs over every driver, PostgreSQL's among them.
                "PostgresControlPlane", "PostgresTestSupport",
                // ctl: the data-parallel tests run its ranks under mpirun.
                "ctl",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                // An in-memory channel: the edge's router-level tests hand requests to the responder without a socket.
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LabelStoreTests",
            dependencies: [
                "LabelStore", "GroundTruthFormat", .product(name: "GRDB", package: "GRDB.swift"),
                // The store's core behaviours run on SQLite and on PostgreSQL.
                "PostgresControlPlane", "PostgresTestSupport",
            ]
        ),
    ]
)

// Benchmarks build only when asked (`APIARY_BENCH=1 swift build -c release --product model-bench`, `queue-bench`),
// so CI and users never compile them.
if Context.environment["APIARY_BENCH"] != nil {
    package.products.append(.executable(name: "model-bench", targets: ["ModelBench"]))
    package.products.append(.executable(name: "queue-bench", targets: ["QueueBench"]))
    package.targets.append(
        .executableTarget(name: "ModelBench", dependencies: ["ModelCore", "ImageCodec"], path: "Benchmarks/ModelBench", swiftSettings: vectorISA)
    )
    package.targets.append(
        .executableTarget(
            name: "QueueBench",
            dependencies: [
                "AWSProtocol", "ControlPlane", "PostgresControlPlane",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/QueueBench"
        )
    )
}
