import AWSProtocol
import Foundation
import ImageCodec
import LabelStore
import Logging
import ModelCore
import ObjectStore
import PostgresTestSupport
import Testing

@testable import ControlPlane
@testable import EndpointRuntime
@testable import PostgresControlPlane
@testable import SageMakerAPI

/// Endpoints on a control plane several daemons share: two daemons' SageMaker services and endpoint hosts over one
/// store (as two `ctl serve --database` over one PostgreSQL database). Every invocation follows the endpoint's record,
/// whichever daemon deployed, updated or deleted it, and a model that could not be loaded is tried again.
@Suite struct SharedEndpointTests {
    /// One daemon: its endpoint host (shared control plane) and the SageMaker API over it.
    struct Daemon {
        let host: EndpointHost
        let service: SageMakerService

        init(store: ControlPlaneStore, objects: ObjectStore) throws {
            host = EndpointHost(store: store, objects: objects, logger: Logger(label: "test"), sharedControlPlane: true)
            service = SageMakerService(
                store: store, scheduler: RequiredOutputMembersTests.IdleScheduler(store: store), endpointHost: host, labels: try LabelStore.inMemory(),
                objects: objects)
        }

        /// The variant that answers an invocation, or the error.
        func invoke(_ endpoint: String) async throws -> String {
            let image = try JPEGCodec.encode(RGBImage(width: 48, height: 40), quality: 90)
            return try await InvocationHandler(host: host).invoke(
                endpoint: endpoint, body: image, contentType: "image/jpeg", accept: nil, targetVariant: nil, context: SharedEndpointTests.context
            ).variant
        }

        /// Creates or updates `endpoint` on `config` and waits until it serves it.
        func deploy(_ endpoint: String, config: String, update: Bool = false) async throws {
            let context = SharedEndpointTests.context
            _ = try service.handle(update ? "UpdateEndpoint" : "CreateEndpoint", ["EndpointName": .string(endpoint), "EndpointConfigName": .string(config)], context)
            await host.loadsFinished()
            let described = try service.handle("DescribeEndpoint", ["EndpointName": .string(endpoint)], context)
            try #require(described["EndpointStatus"] == "InService" && described["EndpointConfigName"] == .string(config), "\(described)")
        }
    }

    static let context = AWSRequestContext(region: "us-east-1", account: "123456789012")
    let store: ControlPlaneStore
    let scratch: URL

    init() throws {
        store = try ControlPlaneStore.inMemory()
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-shared-endpoints-\(UUID().uuidString)")
    }

    /// A small untrained model's `model.tar.gz` (no training needed: only which deployment answers is looked at).
    static func modelArchive(seed: UInt64) throws -> Data {
        let network = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: seed, engine: CPUEngine())
        return Data(try ModelArtifact(hyperparameters: ["num_classes": "1"], symbol: network.symbol(imageShape: 300), weights: network.weights()).archive())
    }

    /// An object store in the test's scratch directory, with the `models` bucket.
    func objectStore(_ name: String) throws -> ObjectStore {
        let objects = ObjectStore(root: scratch.appendingPathComponent(name))
        try objects.ensureBucket("models")
        return objects
    }

    /// Model `name` on `s3://models/<name>.tar.gz`, and configuration `<name>-config` serving it as variant `<name>`.
    func register(_ name: String, on daemon: Daemon) throws {
        let image = "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1"
        _ = try daemon.service.handle(
            "CreateModel",
            [
                "ModelName": .string(name), "ExecutionRoleArn": "arn:aws:iam::123456789012:role/R",
                "PrimaryContainer": ["Image": .string(image), "ModelDataUrl": .string("s3://models/\(name).tar.gz")],
            ], Self.context)
        _ = try daemon.service.handle(
            "CreateEndpointConfig",
            [
                "EndpointConfigName": .string("\(name)-config"),
                "ProductionVariants": [["VariantName": .string(name), "ModelName": .string(name), "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"]],
            ], Self.context)
    }

    @Test("a model another daemon's endpoint names but this daemon's object store lacks fails its invocation, and loads on the next once it is there")
    func aFailedLoadIsTriedAgain() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (objectsA, objectsB) = (try objectStore("a"), try objectStore("b"))
        let (a, b) = (try Daemon(store: store, objects: objectsA), try Daemon(store: store, objects: objectsB))
        let archive = try Self.modelArchive(seed: 1)
        _ = try objectsA.put(archive, at: S3URI("s3://models/first.tar.gz")!)
        try register("first", on: a)
        try await a.deploy("bees", config: "first-config")

        // B's object store does not have the model yet: the invocation is refused with the fix.
        let error = await #expect(throws: AWSError.self) { try await b.invoke("bees") }
        #expect(error?.code == "ValidationError" && error?.message.contains("cannot be loaded here") == true, "\(String(describing: error))")
        #expect(error?.message.contains("the next invocation tries again") == true)
        // Once it is there, the next invocation loads it and answers.
        _ = try objectsB.put(archive, at: S3URI("s3://models/first.tar.gz")!)
        #expect(try await b.invoke("bees") == "first")
    }

    @Test("an UpdateEndpoint and a DeleteEndpoint made through another daemon reach the daemon that deployed the endpoint")
    func theDeployingDaemonFollowsTheRecord() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let objects = try objectStore("shared")
        let (a, b) = (try Daemon(store: store, objects: objects), try Daemon(store: store, objects: objects))
        _ = try objects.put(try Self.modelArchive(seed: 1), at: S3URI("s3://models/first.tar.gz")!)
        _ = try objects.put(try Self.modelArchive(seed: 2), at: S3URI("s3://models/second.tar.gz")!)
        try register("first", on: a)
        try register("second", on: a)
        try await a.deploy("bees", config: "first-config")
        #expect(try await a.invoke("bees") == "first")
        #expect(a.host.deployment("bees") != nil, "A answers from its own deployment, the one the record names")
        #expect(try await b.invoke("bees") == "first")

        // B updates it: A answers from the new deployment and lets its own go.
        try await b.deploy("bees", config: "second-config", update: true)
        #expect(try await a.invoke("bees") == "second")
        #expect(a.host.deployment("bees") == nil, "A still holds the deployment B's update replaced")
        #expect(try await b.invoke("bees") == "second")

        // A updates it back: B follows in turn.
        try await a.deploy("bees", config: "first-config", update: true)
        #expect(try await b.invoke("bees") == "first")
        #expect(try await a.invoke("bees") == "first")

        // B deletes it: A answers as the runtime does for an unknown endpoint and lets the model go.
        _ = try b.service.handle("DeleteEndpoint", ["EndpointName": "bees"], Self.context)
        let error = await #expect(throws: AWSError.self) { try await a.invoke("bees") }
        #expect(error?.code == "ValidationError" && error?.message == "Endpoint bees of account 123456789012 not found.", "\(String(describing: error))")
        #expect(a.host.deployment("bees") == nil && a.host.servingNames.isEmpty)
        #expect(a.host.figures("bees").invocations == 0, "A's metrics of the deleted endpoint are gone")
    }

    @Test(
        "while the shared database does not answer, a deployment loaded here goes on answering; a daemon that loaded none answers the outage",
        .enabled(if: TestDatabase.isConfigured, "needs APIARY_TEST_DATABASE (scripts/test.sh)"))
    func aLoadedDeploymentOutlivesAnOutage() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let database = try TestDatabase()
        defer { database.drop() }
        let connections = try database.connections(size: 4)
        defer { connections.close() }
        let store = ControlPlaneStore(backend: try PostgresStoreBackend(connections: connections))
        let objects = try objectStore("shared")
        _ = try objects.put(try Self.modelArchive(seed: 1), at: S3URI("s3://models/first.tar.gz")!)
        let (a, b) = (try Daemon(store: store, objects: objects), try Daemon(store: store, objects: objects))
        try register("first", on: a)
        try await a.deploy("bees", config: "first-config")
        #expect(try await a.invoke("bees") == "first")
        #expect(a.host.deployment("bees") != nil, "the record read back from PostgreSQL names A's own deployment")

        database.drop()
        #expect(try await a.invoke("bees") == "first")
        let error = await #expect(throws: PostgresDatabaseError.self) { try await b.invoke("bees") }
        #expect(error?.unavailability != nil, "\(String(describing: error))")
    }
}
