import Foundation
import Testing

@testable import AWSProtocol

/// The canonical forms on their own (the botocore fixtures check them end to end).
@Suite struct SigV4CanonicalTests {
    @Test func standardPathsAreNormalisedThenEncodedAgain() {
        #expect(SigV4.canonicalURI("", pathStyle: .standard) == "/")
        #expect(SigV4.canonicalURI("/", pathStyle: .standard) == "/")
        #expect(SigV4.canonicalURI("/a/./b/../c//d/", pathStyle: .standard) == "/a/c/d/")
        #expect(SigV4.canonicalURI("/../..", pathStyle: .standard) == "/")
        #expect(SigV4.canonicalURI("/endpoints/a%20b/invocations", pathStyle: .standard) == "/endpoints/a%2520b/invocations")
        #expect(SigV4.canonicalURI("/caf\u{E9}~x*", pathStyle: .standard) == "/caf%C3%A9~x%2A")
    }

    @Test func s3PathsAreKeptAsReceived() {
        #expect(SigV4.canonicalURI("/bucket/a%20b//./c", pathStyle: .s3) == "/bucket/a%20b//./c")
    }

    @Test func queriesAreDecodedEncodedAndSorted() {
        #expect(SigV4.canonicalQuery("") == "")
        #expect(SigV4.canonicalQuery("b=2&a=2&a=1&flag&e=") == "a=1&a=2&b=2&e=&flag=")
        #expect(SigV4.canonicalQuery("k=a/b c~d") == "k=a%2Fb%20c~d")
        #expect(SigV4.canonicalQuery("k=%7e%2f%zz") == "k=~%2F%25zz")
        #expect(SigV4.canonicalQuery("k=a+b") == "k=a%2Bb")
    }

    @Test func headerValuesAreTrimmedAndCollapsed() {
        #expect(SigV4.trimAll("  a   b \t c  ") == "a b c")
        #expect(SigV4.trimAll("") == "")
    }

    @Test func amzDatesRoundTrip() {
        let date = Date(timeIntervalSince1970: 1_795_963_397)
        #expect(SigV4.amzDate(date) == "20261129T144317Z")
        #expect(SigV4.date(fromAmzDate: "20261129T144317Z") == date)
        #expect(SigV4.date(fromAmzDate: "20261129T144317") == nil)
        #expect(SigV4.date(fromAmzDate: "2026112XT144317Z") == nil)
        #expect(SigV4.date(fromAmzDate: "20260230T000000Z") == nil)
    }
}
