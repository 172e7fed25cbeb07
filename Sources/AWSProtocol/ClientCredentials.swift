/// The key pair and region Apiary's own clients sign with (ctl's `APIClient`, a worker's `RemoteObjectStore`), read
/// from the variables botocore reads, so a shell set up for boto3 and the aws CLI works unchanged. The defaults are
/// what a local daemon accepts (any key pair signs under `--auth parse`).
public struct ClientCredentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var region: String

    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, and `region` else `AWS_REGION` or `AWS_DEFAULT_REGION` (`us-east-1`).
    public init(environment: [String: String], region: String? = nil) {
        accessKeyID = environment["AWS_ACCESS_KEY_ID"] ?? "APIARYLOCALACCESSKEY"
        secretAccessKey = environment["AWS_SECRET_ACCESS_KEY"] ?? "apiary-local-secret"
        self.region = region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
    }
}
