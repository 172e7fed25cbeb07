extension AWSError {
    /// The `ValidationException` for a required member that is absent, in `ShapeValidator`'s words (`1 validation error
    /// detected: Value null at 'trainingJobName' failed to satisfy constraint: Member must not be null`), for members
    /// a service requires beyond what botocore's model marks required. - Parameter member: its wire name (`TrainingJobName`).
    public static func missingMember(_ member: String) -> AWSError {
        validation(ShapeValidator.message([ShapeValidator.nullViolation(at: ShapeValidator.lowerCamel(member))]))
    }
}
