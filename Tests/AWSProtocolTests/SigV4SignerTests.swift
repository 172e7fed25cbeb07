import Foundation
import Testing

@testable import AWSProtocol

@Suite struct SigV4SignerTests {
    typealias Fixture = SigV4Fixtures.Request

    private func signer(_ fixture: Fixture) -> SigV4Signer {
        SigV4Signer(
            accessKeyId: fixture.accessKeyId,
            secretAccessKey: SigV4Fixtures.shared.credentials[fixture.accessKeyId]!,
            sessionToken: fixture.sessionToken,
            region: fixture.region,
            service: fixture.service,
            pathStyle: fixture.pathStyle
        )
    }

    @Test(arguments: SigV4Fixtures.shared.requests)
    func signsExactlyAsBotocoreDoes(_ fixture: Fixture) {
        let signed = signer(fixture).sign(fixture.unsigned, date: SigV4Fixtures.signedAt)
        #expect(signed.value(of: "Authorization") == fixture.authorization)
        #expect(signed.value(of: "X-Amz-Date") == SigV4Fixtures.shared.signingTime)
        #expect(signed.value(of: "X-Amz-Security-Token") == fixture.sessionToken)
    }

    @Test(arguments: SigV4Fixtures.shared.requests)
    func signedRequestsVerify(_ fixture: Fixture) throws {
        let signed = signer(fixture).sign(fixture.unsigned, date: SigV4Fixtures.signedAt)
        let verifier = SigV4Verifier(credentials: SigV4Fixtures.shared.credentials, pathStyle: fixture.pathStyle)
        try verifier.verify(signed, now: SigV4Fixtures.signedAt)
    }

    @Test func resigningReplacesTheDateTokenAndSignature() throws {
        let fixture = SigV4Fixtures.shared.requests.first { $0.sessionToken != nil }!
        let first = signer(fixture).sign(fixture.unsigned, date: SigV4Fixtures.signedAt)
        let later = SigV4Fixtures.signedAt.addingTimeInterval(3600)
        let second = signer(fixture).sign(first, date: later)
        for name in ["Authorization", "X-Amz-Date", "X-Amz-Security-Token"] {
            #expect(second.values(of: name).count == 1, "\(name)")
        }
        #expect(second.value(of: "X-Amz-Date") == "20261129T154317Z")
        #expect(second.value(of: "Authorization") != first.value(of: "Authorization"))
        try SigV4Verifier(credentials: SigV4Fixtures.shared.credentials).verify(second, now: later)
    }

    @Test func aControlPlaneCallSignsBotocoresHeaderSet() throws {
        let request = SignableRequest(
            method: "POST",
            rawPath: "/",
            headers: [
                (name: "Host", value: "127.0.0.1:8080"), (name: "Content-Type", value: "application/x-amz-json-1.1"),
                (name: "X-Amz-Target", value: "SageMaker.ListEndpoints"), (name: "User-Agent", value: "apiary-ctl"),
            ],
            body: Array("{}".utf8)
        )
        let signer = SigV4Signer(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", region: "eu-west-1", service: "sagemaker")
        let signed = signer.sign(request, date: SigV4Fixtures.signedAt)
        let authorization = try SigV4Authorization.parse(
            authorizationHeader: signed.value(of: "Authorization")!,
            amzDate: signed.value(of: "X-Amz-Date")
        )
        #expect(authorization.signedHeaders == ["content-type", "host", "x-amz-date", "x-amz-target"])
        #expect(authorization.credentialScope == "20261129/eu-west-1/sagemaker/aws4_request")
    }
}
