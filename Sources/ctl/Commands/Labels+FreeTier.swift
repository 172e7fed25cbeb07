import AWSProtocol
import ArgumentParser

extension Labels {
    /// `ctl labels free-tier`: the 500-image cap.
    struct FreeTierCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "free-tier",
            abstract: "Show free-tier use (500 labeled images), or opt in to labeling beyond it.",
            discussion: """
                Ground Truth's free tier covers the first 500 labeled images (objects, not boxes). Apiary refuses a \
                501st until you opt in; after that, stats report how many images are beyond the free tier.
                  ctl labels free-tier
                  ctl labels free-tier --opt-in
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Allow labeling more than 500 images.") var optIn = false
        @Flag(help: "Refuse new images past 500 again (labels already made stay).") var optOut = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard !(optIn && optOut) else { throw ValidationError("give --opt-in or --opt-out, not both") }
        }

        func run() async throws {
            let (tier, bytes) = try await connection.client().labelsAnswer("free-tier", optIn || optOut ? ["optIn": .bool(optIn)] : [:])
            if json { return JSONOutput.print(answer: bytes) }
            let cap = tier["cap"]?.intValue ?? 0
            print("\(tier["labeledImages"]?.intValue ?? 0) labeled images; the free tier covers \(cap)")
            if tier["optedIn"]?.boolValue == true {
                print("opted in: labeling beyond the free tier is allowed; \(tier["beyondFreeTier"]?.intValue ?? 0) images are beyond it")
            } else {
                print("not opted in: image \(cap + 1) will be refused (ctl labels free-tier --opt-in to allow it)")
            }
        }
    }
}
