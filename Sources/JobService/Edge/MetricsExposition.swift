/// The text `GET /metrics` answers. swift-prometheus writes Prometheus's text format 0.0.4, each family's HELP and
/// TYPE lines before its samples; a scraper whose `Accept` asks for `application/openmetrics-text` gets OpenMetrics
/// 1.0 instead, which differs in two places: a counter's family is named without its samples' `_total` suffix, and
/// the text ends with `# EOF`.
enum MetricsExposition {
    static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"
    static let openMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    /// Whether a scraper sending `accept` takes OpenMetrics.
    static func prefersOpenMetrics(accept: String?) -> Bool { accept?.contains("application/openmetrics-text") ?? false }

    /// `prometheus` (text format 0.0.4) as OpenMetrics 1.0.
    static func openMetrics(_ prometheus: String) -> String {
        let lines = prometheus.split(separator: "\n", omittingEmptySubsequences: true)
        let counters = Set(
            lines.compactMap { line -> Substring? in
                let words = line.split(separator: " ")
                return words.count == 4 && words[1] == "TYPE" && words[3] == "counter" && words[2].hasSuffix("_total") ? words[2] : nil
            })
        let renamed = lines.map { line -> Substring in
            let words = line.split(separator: " ", maxSplits: 3)
            guard words.count >= 3, words[0] == "#", words[1] == "HELP" || words[1] == "TYPE", counters.contains(words[2]) else { return line }
            return ([words[0], words[1], words[2].dropLast("_total".count)] + words.dropFirst(3)).joined(separator: " ")[...]
        }
        return renamed.map { $0 + "\n" }.joined() + "# EOF\n"
    }
}
