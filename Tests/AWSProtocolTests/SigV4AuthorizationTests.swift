import Foundation
import Testing

@testable import AWSProtocol

@Suite struct SigV4AuthorizationTests {
    let header =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/eu-west-1/sagemaker/aws4_request, "
        + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0868c23f408aa295bd60a0e654f51bc691d5bd7d06380dcb257fc1a911be2cdb"
    let amzDate = "20261129T144317Z"

    private func incomplete(_ message: String) -> AWSError {
        AWSError("IncompleteSignatureException", message, status: 400)
    }

    @Test func parsesEveryPart() throws {
        let authorization = try SigV4Authorization.parse(authorizationHeader: header, amzDate: amzDate)
        #expect(authorization.accessKeyId == "AKIDEXAMPLE")
        #expect(authorization.date == "20261129")
        #expect(authorization.region == "eu-west-1")
        #expect(authorization.service == "sagemaker")
        #expect(authorization.signedHeaders == ["content-type", "host", "x-amz-date", "x-amz-target"])
        #expect(authorization.signature == "0868c23f408aa295bd60a0e654f51bc691d5bd7d06380dcb257fc1a911be2cdb")
        #expect(authorization.amzDate == amzDate)
        #expect(authorization.requestTime == Date(timeIntervalSince1970: 1_795_963_397))
        #expect(authorization.headerValue == header)
    }

    @Test func toleratesMissingAndExtraWhitespaceAroundCommas() throws {
        let compact = header.replacingOccurrences(of: ", ", with: ",")
        let loose = "  " + header.replacingOccurrences(of: ", ", with: " ,   ") + " "
        let expected = try SigV4Authorization.parse(authorizationHeader: header, amzDate: amzDate)
        #expect(try SigV4Authorization.parse(authorizationHeader: compact, amzDate: amzDate) == expected)
        #expect(try SigV4Authorization.parse(authorizationHeader: loose, amzDate: amzDate) == expected)
    }

    @Test func listsEveryMissingPartAsAWSDoes() {
        let message =
            "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
            + "Authorization header requires existence of a 'X-Amz-Date' header. "
            + "Authorization=AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/eu-west-1/sagemaker/aws4_request"
        #expect(throws: incomplete(message)) {
            try SigV4Authorization.parse(
                authorizationHeader: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/eu-west-1/sagemaker/aws4_request",
                amzDate: nil
            )
        }
    }

    @Test func rejectsOtherSchemes() {
        #expect(throws: incomplete("Authorization header must use the AWS4-HMAC-SHA256 algorithm, not 'Bearer'. Authorization=Bearer abc")) {
            try SigV4Authorization.parse(authorizationHeader: "Bearer abc", amzDate: amzDate)
        }
    }

    @Test func rejectsAPairWithoutEqualsSignWithoutEchoingIt() {
        let bad = header + ", secret-looking-thing"
        let hashed = Data(Digest.sha256(bad.utf8)).base64EncodedString()
        #expect(
            throws: incomplete(
                "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with sha-256 and encoded with base64): '\(hashed)'."
            )
        ) {
            try SigV4Authorization.parse(authorizationHeader: bad, amzDate: amzDate)
        }
    }

    @Test func rejectsAMalformedCredentialScope() {
        let shortScope = header.replacingOccurrences(of: "eu-west-1/sagemaker/", with: "sagemaker/")
        #expect(
            throws: incomplete(
                "Credential should be of the form <AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request, "
                    + "not 'AKIDEXAMPLE/20261129/sagemaker/aws4_request'."
            )
        ) {
            try SigV4Authorization.parse(authorizationHeader: shortScope, amzDate: amzDate)
        }
        let badTerminator = header.replacingOccurrences(of: "aws4_request", with: "aws4_reqest")
        #expect(throws: incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqest'.")) {
            try SigV4Authorization.parse(authorizationHeader: badTerminator, amzDate: amzDate)
        }
    }

    @Test func rejectsADateThatIsNotBasicISO8601() {
        #expect(
            throws: incomplete("Date must be in ISO-8601 'basic format'. Got '2026-11-29T14:43:17Z'. See http://en.wikipedia.org/wiki/ISO_8601")
        ) {
            try SigV4Authorization.parse(authorizationHeader: header, amzDate: "2026-11-29T14:43:17Z")
        }
        #expect(throws: AWSError.self) { try SigV4Authorization.parse(authorizationHeader: header, amzDate: "20261329T144317Z") }
    }

    @Test func rejectsAScopeDateThatIsNotTheRequestDate() {
        #expect(
            throws: incomplete(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'20261129' != '20261130', from '20261130T000001Z'."
            )
        ) {
            try SigV4Authorization.parse(authorizationHeader: header, amzDate: "20261130T000001Z")
        }
    }
}
