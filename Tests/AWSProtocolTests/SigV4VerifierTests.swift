import Foundation
import Testing

@testable import AWSProtocol

/// The verifier against requests signed by real botocore.
@Suite struct SigV4VerifierTests {
    typealias Fixture = SigV4Fixtures.Request
    let now = SigV4Fixtures.signedAt

    private func verifier(_ fixture: Fixture, credentials: [String: String] = SigV4Fixtures.shared.credentials) -> SigV4Verifier {
        SigV4Verifier(credentials: credentials, pathStyle: fixture.pathStyle)
    }

    private func code(verifying request: SignableRequest, with verifier: SigV4Verifier, at now: Date) -> String? {
        do {
            try verifier.verify(request, now: now)
            return nil
        } catch {
            return error.code
        }
    }

    @Test(arguments: SigV4Fixtures.shared.requests)
    func everyBotocoreRequestVerifies(_ fixture: Fixture) throws {
        let authorization = try verifier(fixture).verify(fixture.wire, now: now)
        #expect(authorization.accessKeyId == fixture.accessKeyId)
        #expect(authorization.region == fixture.region)
        #expect(authorization.service == fixture.service)
    }

    @Test(arguments: SigV4Fixtures.shared.requests)
    func canonicalRequestIsBotocores(_ fixture: Fixture) throws {
        let authorization = try SigV4Authorization.parse(authorizationHeader: fixture.authorization, amzDate: SigV4Fixtures.shared.signingTime)
        let canonical = SigV4.canonicalRequest(fixture.wire, signedHeaders: authorization.signedHeaders, pathStyle: fixture.pathStyle)
        #expect(canonical == fixture.canonicalRequest)
    }

    @Test(arguments: SigV4Fixtures.shared.requests.filter { !$0.body.isEmpty && !$0.s3 })
    func flippingOneBodyByteFails(_ fixture: Fixture) {
        var request = fixture.wire
        request.body[request.body.count / 2] ^= 0x01
        #expect(code(verifying: request, with: verifier(fixture), at: now) == "InvalidSignatureException")
    }

    @Test(arguments: SigV4Fixtures.shared.requests)
    func changingAnySignedHeaderFails(_ fixture: Fixture) throws {
        let signed = try SigV4Authorization.parse(authorizationHeader: fixture.authorization, amzDate: SigV4Fixtures.shared.signingTime)
            .signedHeaders
        for name in signed where name != "x-amz-date" {
            var request = fixture.wire
            let index = try #require(request.headers.firstIndex { $0.name.lowercased() == name })
            request.headers[index].value += "x"
            #expect(code(verifying: request, with: verifier(fixture), at: now) == "InvalidSignatureException", "\(name)")
        }
    }

    @Test func repeatingASignedHeaderFails() {
        let fixture = SigV4Fixtures.shared.requests[0]
        var request = fixture.wire
        request.headers.append((name: "X-Amz-Target", value: "SageMaker.DeleteModel"))
        #expect(code(verifying: request, with: verifier(fixture), at: now) == "InvalidSignatureException")
    }

    @Test(arguments: SigV4Fixtures.shared.requests)
    func unsignedHeadersMayChange(_ fixture: Fixture) throws {
        var request = fixture.wire
        for name in ["User-Agent", "amz-sdk-invocation-id", "amz-sdk-request", "Accept-Encoding"] {
            request.removeHeaders(named: name)
        }
        request.headers += [
            (name: "User-Agent", value: "aws-cli/1.45.11"), (name: "amz-sdk-request", value: "attempt=2; max=5"),
            (name: "X-Forwarded-For", value: "10.0.0.1"), (name: "Accept-Encoding", value: "gzip"),
        ]
        try verifier(fixture).verify(request, now: now)
    }

    @Test(arguments: SigV4Fixtures.shared.requests)
    func aWrongSecretFails(_ fixture: Fixture) {
        let credentials = SigV4Fixtures.shared.credentials.mapValues { $0 + "x" }
        #expect(code(verifying: fixture.wire, with: verifier(fixture, credentials: credentials), at: now) == "InvalidSignatureException")
    }

    @Test func mismatchMessageShowsWhatTheDaemonComputed() {
        let fixture = SigV4Fixtures.shared.requests[0]
        var request = fixture.wire
        request.body = Array(#"{"MaxResults": 2}"#.utf8)
        let error = #expect(throws: AWSError.self) { try verifier(fixture).verify(request, now: now) }
        #expect(error?.code == "InvalidSignatureException")
        #expect(error?.status == 403)
        #expect(
            error?.message.hasPrefix(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key "
                    + "and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request "
                    + "should have been\n'POST\n/\n\ncontent-type:application/x-amz-json-1.1\n"
            ) == true
        )
        #expect(error?.message.contains("The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261129T144317Z\n") == true)
    }

    @Test func anUnknownAccessKeyIsUnrecognized() {
        let fixture = SigV4Fixtures.shared.requests[0]
        #expect(throws: AWSError("UnrecognizedClientException", "The security token included in the request is invalid.", status: 403)) {
            try verifier(fixture, credentials: ["AKIDOTHER": "secret"]).verify(fixture.wire, now: now)
        }
    }

    @Test func aMissingAuthorizationHeaderIsAMissingToken() {
        let fixture = SigV4Fixtures.shared.requests[0]
        var request = fixture.wire
        request.removeHeaders(named: "Authorization")
        #expect(throws: SigV4Authorization.missingAuthenticationToken) { try verifier(fixture).verify(request, now: now) }
        #expect(SigV4Authorization.missingAuthenticationToken.code == "MissingAuthenticationTokenException")
        #expect(SigV4Authorization.missingAuthenticationToken.status == 403)
    }

    @Test func fifteenMinutesOfSkewAreAcceptedEitherWay() throws {
        let fixture = SigV4Fixtures.shared.requests[0]
        try verifier(fixture).verify(fixture.wire, now: now.addingTimeInterval(15 * 60))
        try verifier(fixture).verify(fixture.wire, now: now.addingTimeInterval(-15 * 60))
    }

    @Test func anOldSignatureHasExpired() {
        let fixture = SigV4Fixtures.shared.requests[0]
        let message = "Signature expired: 20261129T144317Z is now earlier than 20261129T144318Z (20261129T145818Z - 15 min.)"
        #expect(throws: AWSError("InvalidSignatureException", message, status: 403)) {
            try verifier(fixture).verify(fixture.wire, now: now.addingTimeInterval(15 * 60 + 1))
        }
    }

    @Test func aFutureSignatureIsNotYetCurrent() {
        let fixture = SigV4Fixtures.shared.requests[0]
        let message = "Signature not yet current: 20261129T144317Z is still later than 20261129T144316Z (20261129T142816Z + 15 min.)"
        #expect(throws: AWSError("InvalidSignatureException", message, status: 403)) {
            try verifier(fixture).verify(fixture.wire, now: now.addingTimeInterval(-15 * 60 - 1))
        }
    }

    @Test func theS3RuleAndTheStandardRuleAreNotInterchangeable() {
        let s3 = SigV4Fixtures.shared.requests.first { $0.s3 && $0.rawPath.contains("%") }!
        let standard = SigV4Verifier(credentials: SigV4Fixtures.shared.credentials, pathStyle: .standard)
        #expect(code(verifying: s3.wire, with: standard, at: now) == "InvalidSignatureException")
    }
}
