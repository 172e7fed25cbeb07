import ControlPlane

/// `EndpointStatus`, botocore's values; stored and sent as its raw value. Apiary passes through `Creating`,
/// `InService`, `Updating`, `Failed` and `Deleting` (`EndpointLifecycle`); the others are read, never set.
package enum EndpointStatus: String, Sendable, CaseIterable {
    case outOfService = "OutOfService"
    case creating = "Creating"
    case updating = "Updating"
    case systemUpdating = "SystemUpdating"
    case rollingBack = "RollingBack"
    case inService = "InService"
    case deleting = "Deleting"
    case failed = "Failed"
    case updateRollbackFailed = "UpdateRollbackFailed"
}
