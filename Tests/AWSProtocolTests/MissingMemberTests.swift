import Testing

@testable import AWSProtocol

/// `AWSError.missingMember` is the validator's own message, so a service's extra required members read as AWS's.
@Suite struct MissingMemberTests {
    @Test func itIsWhatTheValidatorSaysOfTheSameMember() {
        var fromValidator: AWSError?
        do {
            try ShapeValidator(model: .sageMaker).validate([:], operation: "DescribeTrainingJob")
        } catch {
            fromValidator = error
        }
        let missing = AWSError.missingMember("TrainingJobName")
        #expect(missing.code == "ValidationException" && missing.code == fromValidator?.code)
        #expect(missing.message == fromValidator?.message)
        #expect(
            AWSError.missingMember("AlgorithmSpecification").message
                == "1 validation error detected: Value null at 'algorithmSpecification' failed to satisfy constraint: Member must not be null"
        )
    }
}
