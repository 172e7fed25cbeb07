import ArgumentParser
import Foundation

extension Labels {
    /// `ctl labels open [JOB]`: the daemon's labeling UI.
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print (and, where there is a browser, open) the daemon's labeling UI URL.",
            discussion: """
                The UI is served by `ctl serve` at /label/. With a labeling job's name it opens that job's task \
                queue; --dataset opens a dataset's. A browser is started only when $BROWSER, $DISPLAY or \
                $WAYLAND_DISPLAY is set.
                  ctl labels open
                  ctl labels open bees-sample
                  ctl labels open --dataset bees
                """
        )

        @Argument(help: "A labeling job to open.") var job: String?
        @Option(help: "A dataset to open instead of a job.") var dataset: String?
        @Option(help: "The daemon's URL (default $APIARY_URL, $AWS_ENDPOINT_URL or http://127.0.0.1:4566).") var endpointURL: String?
        @Flag(help: "Only print the URL.") var noBrowser = false

        func validate() throws {
            guard job == nil || dataset == nil else { throw ValidationError("give a job or --dataset, not both") }
        }

        func run() throws {
            let client = try APIClient(endpointURL: endpointURL, region: nil)
            let url = Self.url(daemon: client.endpoint, job: job, dataset: dataset)
            print(url)
            guard !noBrowser, let opener = Self.browser(ProcessInfo.processInfo.environment) else { return }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [opener, url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
        }

        /// `<daemon>/label/`, with `#job=NAME` or `#dataset=NAME` (percent-encoded) to open a queue.
        static func url(daemon: URL, job: String?, dataset: String?) -> String {
            let base = daemon.absoluteString.hasSuffix("/") ? String(daemon.absoluteString.dropLast()) : daemon.absoluteString
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let fragment =
                job.map { "#job=" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) }
                ?? dataset.map { "#dataset=" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) } ?? ""
            return base + "/label/" + fragment
        }

        /// `$BROWSER`, else `xdg-open` when a display is there; nil on a headless machine.
        static func browser(_ environment: [String: String]) -> String? {
            if let browser = environment["BROWSER"], !browser.isEmpty { return browser }
            return environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil ? "xdg-open" : nil
        }
    }
}
