import Foundation
import Testing

@testable import AWSProtocol

@Suite struct AuthModeTests {
    let verifier = SigV4Verifier(credentials: SigV4Fixtures.shared.credentials)
    let now = SigV4Fixtures.signedAt
    var signed: SignableRequest { SigV4Fixtures.shared.requests[0].wire }

    private func without(_ name: String, _ request: SignableRequest) -> SignableRequest {
        var request = request
        request.removeHeaders(named: name)
        return request
    }

    /// The fixture with its signature replaced: well-formed, but wrong.
    private var forged: SignableRequest {
        var request = signed
        let index = request.headers.firstIndex { $0.name == "Authorization" }!
        request.headers[index].value = String(request.headers[index].value.dropLast(4)) + "0000"
        return request
    }

    @Test func parseIsTheDefault() {
        #expect(AuthMode.default == .parse)
        #expect(AuthMode(rawValue: "verify") == .verify)
    }

    @Test func offAcceptsAnythingAndStillReadsTheRegion() throws {
        #expect(try AuthMode.off.authenticate(without("Authorization", signed), verifier: verifier, now: now) == nil)
        #expect(try AuthMode.off.authenticate(without("X-Amz-Date", signed), verifier: verifier, now: now) == nil)
        #expect(try AuthMode.off.authenticate(forged, verifier: verifier, now: now)?.region == "us-east-1")
    }

    @Test func parseRequiresAWellFormedHeaderButNotAValidSignature() throws {
        #expect(throws: SigV4Authorization.missingAuthenticationToken) {
            try AuthMode.parse.authenticate(without("Authorization", signed), verifier: verifier, now: now)
        }
        let error = #expect(throws: AWSError.self) {
            try AuthMode.parse.authenticate(without("X-Amz-Date", signed), verifier: verifier, now: now)
        }
        #expect(error?.code == "IncompleteSignatureException")
        #expect(try AuthMode.parse.authenticate(forged, verifier: verifier, now: now.addingTimeInterval(86_400))?.region == "us-east-1")
    }

    @Test func verifyChecksTheSignature() throws {
        #expect(try AuthMode.verify.authenticate(signed, verifier: verifier, now: now)?.accessKeyId == "AKIDEXAMPLE")
        let error = #expect(throws: AWSError.self) { try AuthMode.verify.authenticate(forged, verifier: verifier, now: now) }
        #expect(error?.code == "InvalidSignatureException")
        #expect(throws: SigV4Authorization.missingAuthenticationToken) {
            try AuthMode.verify.authenticate(without("Authorization", signed), verifier: verifier, now: now)
        }
    }
}
