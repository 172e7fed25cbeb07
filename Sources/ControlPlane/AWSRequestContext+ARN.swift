import AWSProtocol

extension AWSRequestContext {
    /// `arn:aws:sagemaker:<region>:<account>:<kind>/<name>`.
    public func arn(_ kind: ResourceKind, _ name: String) -> String {
        "arn:aws:sagemaker:\(region):\(account):\(kind.rawValue)/\(name)"
    }
}
