import AWSProtocol
import Foundation
import ObjectStore

/// How `ctl serve` runs: where it listens, where it keeps its data, how it checks signatures, whose account
/// its ARNs name, how many jobs train at once. Flags override the environment (`APIARY_*`), which overrides
/// the defaults.
public struct DaemonConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (the daemon reports the one it bound).
    public var port = 4566
    /// Binding anything but a loopback address needs this (Apiary has no TLS and, by default, no auth).
    public var allowRemote = false
    /// `$APIARY_HOME`, default `~/.apiary`: `state.sqlite`, `s3/` (the object store), `jobs/` (checkpoints).
    public var home: URL
    public var authMode: AuthMode = .parse
    /// Access key id → secret, for `verify` mode.
    public var credentials: [String: String] = [:]
    public var account = "000000000000"
    /// The region of requests that name none (unsigned requests in `off` mode).
    public var defaultRegion = "us-east-1"
    /// Jobs this process's workers run at once; 0 (only with a shared `database`) leaves them to other nodes.
    public var trainingConcurrency = 1
    /// The most instances (`ResourceConfig.InstanceCount`) one training job may ask for: its ranks run on this host
    /// under `mpirun`, one process each — or, with a shared `database`, on the hosts of as many workers of any nodes
    /// (gang scheduling), so there it is the largest gang this daemon accepts a job for.
    public var instanceSlots = 2
    /// With a shared `database`: the name other nodes reach this one at, which the leader of a multi-instance job's
    /// gang writes into its `mpirun` hostfile for this node's workers. Default: the machine's host name.
    public var advertiseHost = HostPolicy.machineName() ?? "localhost"
    /// The `ctl` whose `training-rank` runs the ranks of multi-instance jobs: this process's own executable.
    public var rankExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    /// Seconds a warm Lambda execution environment may sit idle before it is stopped.
    public var lambdaIdleSeconds = 300.0
    /// Seconds a fresh Lambda runtime may take to initialize (reach its first `GET /next`); Lambda's is 10.
    public var lambdaInitSeconds = 10.0
    /// Serve `POST /moto-api/reset` (wipes all state) for moto's test suite.
    public var testHooks = false
    /// Host names the daemon answers to besides IP addresses, `localhost`, `--host` and the machine's name (`HostPolicy`).
    public var allowedHosts: [String] = []
    /// `postgresql://user[:password]@host[:port]/database`: the control plane, the training/transform queue and the
    /// label store in a PostgreSQL database other daemons may share; nil keeps them in `state.sqlite` and `labels.sqlite`.
    public var database: String?
    /// Seconds a worker's lease on a job of the shared queue (`database`) lasts without a heartbeat: a job whose
    /// node died is taken over by another node this long after its last heartbeat. Heartbeats come every third of it.
    public var leaseSeconds = 60.0
    /// The object store's directory, when it is not the home's `s3/`: one directory every node sharing `database`
    /// reads channels from and writes models to (a shared file system across hosts).
    public var objectStore: URL?

    /// A worker node's way to the objects without a shared directory (`ctl worker --endpoint-url`): a daemon's S3 API
    /// and the credentials its requests are signed with. Not with `objectStore`.
    public var objectEndpoint: S3Endpoint?

    /// The object store's directory: `objectStore`, else `$APIARY_HOME/s3`.
    public var objectStoreDirectory: URL { objectStore ?? home.appendingPathComponent("s3", isDirectory: true) }

    public init(home: URL) {
        self.home = home
    }

    /// Defaults, then `APIARY_HOME`, `APIARY_HOST`, `APIARY_PORT`, `APIARY_AUTH` (off|parse|verify),
    /// `APIARY_CREDENTIALS` (`AKID:secret,AKID2:secret2`), `APIARY_ACCOUNT`, `APIARY_REGION`,
    /// `APIARY_TRAINING_CONCURRENCY`, `APIARY_INSTANCE_SLOTS`, `APIARY_LAMBDA_IDLE_SECONDS`, `APIARY_LAMBDA_INIT_SECONDS`,
    /// `APIARY_ALLOWED_HOSTS` (comma-separated names), `APIARY_DATABASE` (a `postgresql://` URL), `APIARY_LEASE_SECONDS`,
    /// `APIARY_ADVERTISE_HOST`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DaemonConfiguration {
        let home =
            environment["APIARY_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".apiary")
        var configuration = DaemonConfiguration(home: home)
        if let host = environment["APIARY_HOST"] { configuration.host = host }
        if let names = environment["APIARY_ALLOWED_HOSTS"] {
            configuration.allowedHosts = names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let port = environment["APIARY_PORT"] {
            guard let value = Int(port), (0...65535).contains(value) else { throw DaemonConfigurationError("APIARY_PORT must be a port number, got '\(port)'") }
            configuration.port = value
        }
        if let mode = environment["APIARY_AUTH"] {
            guard let value = AuthMode(rawValue: mode) else { throw DaemonConfigurationError("APIARY_AUTH must be off, parse or verify, got '\(mode)'") }
            configuration.authMode = value
        }
        if let list = environment["APIARY_CREDENTIALS"] { configuration.credentials = try parseCredentials(list) }
        if let account = environment["APIARY_ACCOUNT"] { configuration.account = account }
        if let region = environment["APIARY_REGION"] { configuration.defaultRegion = region }
        if let database = environment["APIARY_DATABASE"], !database.isEmpty { configuration.database = database }
        if let value = environment["APIARY_TRAINING_CONCURRENCY"] {
            guard let count = Int(value) else { throw DaemonConfigurationError("APIARY_TRAINING_CONCURRENCY must be a number, got '\(value)'") }
            configuration.trainingConcurrency = count
        }
        if let value = environment["APIARY_INSTANCE_SLOTS"] {
            guard let count = Int(value), count >= 1 else { throw DaemonConfigurationError("APIARY_INSTANCE_SLOTS must be 1 or more, got '\(value)'") }
            configuration.instanceSlots = count
        }
        if let host = environment["APIARY_ADVERTISE_HOST"], !host.isEmpty {
            configuration.advertiseHost = try validAdvertiseHost(host, given: "APIARY_ADVERTISE_HOST '\(host)'")
        }
        if let value = environment["APIARY_LEASE_SECONDS"] {
            configuration.leaseSeconds = try validLeaseSeconds(Double(value), given: "APIARY_LEASE_SECONDS '\(value)'")
        }
        let lambdaSettings: [(String, WritableKeyPath<DaemonConfiguration, Double>)] = [
            ("APIARY_LAMBDA_IDLE_SECONDS", \.lambdaIdleSeconds), ("APIARY_LAMBDA_INIT_SECONDS", \.lambdaInitSeconds),
        ]
        for (key, path) in lambdaSettings {
            guard let value = environment[key] else { continue }
            guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                throw DaemonConfigurationError("\(key) must be a positive number of seconds, got '\(value)'")
            }
            configuration[keyPath: path] = seconds
        }
        return configuration
    }

    /// `AKID:secret,AKID2:secret2` → pairs.
    public static func parseCredentials(_ list: String) throws -> [String: String] {
        var credentials: [String: String] = [:]
        for pair in list.split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw DaemonConfigurationError("credentials must be ACCESS_KEY_ID:SECRET pairs separated by commas")
            }
            credentials[String(parts[0])] = String(parts[1])
        }
        return credentials
    }

    /// `value` as a lease duration, refused unless it is a number of seconds of at least 3 (heartbeats come every
    /// third of it, and a node's idle workers look for expired leases every 2 s).
    /// - Parameter given: what was given, as the error names it (`--lease-seconds 1`).
    public static func validLeaseSeconds(_ value: Double?, given: String) throws -> Double {
        guard let value, value.isFinite, value >= 3 else {
            throw DaemonConfigurationError("\(given) is not a lease duration: give a number of seconds, 3 or more (default 60)")
        }
        return value
    }

    /// `host` as a name for an Open MPI hostfile line, refused when empty or holding blanks or `#`.
    /// - Parameter given: what was given, as the error names it (`--advertise-host 'a b'`).
    public static func validAdvertiseHost(_ host: String, given: String) throws -> String {
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "#" }) else {
            throw DaemonConfigurationError("\(given) is not a host name: give the name or address other nodes reach this one at (default this machine's host name)")
        }
        return host
    }

    /// Checks the combination before anything starts.
    public func validate() throws {
        guard (0...65535).contains(port) else { throw DaemonConfigurationError("port must be 0…65535, got \(port)") }
        guard allowRemote || Self.isLoopback(host) else {
            throw DaemonConfigurationError(
                "refusing to listen on \(host): Apiary has no TLS and accepts any credentials by default. Use a loopback address, or pass --allow-remote (and --auth verify).")
        }
        guard trainingConcurrency >= (database == nil ? 1 : 0) else {
            throw DaemonConfigurationError(
                "training concurrency must be 1 or more (0 only with a shared --database, whose jobs other nodes run), got \(trainingConcurrency)")
        }
        if authMode == .verify && credentials.isEmpty {
            throw DaemonConfigurationError("--auth verify needs credentials (--credentials AKID:SECRET or APIARY_CREDENTIALS)")
        }
    }

    /// Whether every address `host` resolves to is a loopback one (`127.0.0.1.attacker.example` is a domain name,
    /// not an address: it resolves elsewhere or not at all, and fails).
    static func isLoopback(_ host: String) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            guard let address = current.pointee.ai_addr else { return false }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                let ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
                guard ip >> 24 == 127 else { return false }
            case AF_INET6:
                let isLoopback = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) == Array(repeating: 0, count: 15) + [1] }
                }
                guard isLoopback else { return false }
            default: return false
            }
            entry = current.pointee.ai_next
        }
        return true
    }
}

/// A configuration the daemon cannot start with; the message says how to fix it.
public struct DaemonConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
