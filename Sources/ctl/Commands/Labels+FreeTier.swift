import AWSProtocol
import ArgumentParser
import LabelStore

extension Labels {
    /// `ctl labels free-tier`: the 500-image cap.
    struct FreeTierCommand: ParsableCommand {
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

        @OptionGroup var store: StoreOptions
        @Flag(help: "Allow labeling more than 500 images.") var optIn = false
        @Flag(help: "Refuse new images past 500 again (labels already made stay).") var optOut = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard !(optIn && optOut) else { throw ValidationError("give --opt-in or --opt-out, not both") }
        }

        func run() throws {
            let store = try store.open()
            if optIn || optOut { try store.setLabelingBeyondFreeTier(optIn) }
            let tier = try store.freeTier()
            if json {
                JSONOutput.print(
                    .object([
                        "cap": .int(FreeTier.cap), "labeledImages": .int(tier.labeledImages), "optedIn": .bool(tier.optedIn),
                        "beyondFreeTier": .int(tier.beyondFreeTier),
                    ])
                )
                return
            }
            print("\(tier.labeledImages) labeled images; the free tier covers \(FreeTier.cap)")
            if tier.optedIn {
                print("opted in: labeling beyond the free tier is allowed; \(tier.beyondFreeTier) images are beyond it")
            } else {
                print("not opted in: image \(FreeTier.cap + 1) will be refused (ctl labels free-tier --opt-in to allow it)")
            }
        }
    }
}
