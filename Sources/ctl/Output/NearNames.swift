/// The names closest to one a person typed, for "did you mean …?" after a typo: by edit distance, close enough
/// to be a slip (at most a third of the word, at least 2), nearest first.
enum NearNames {
    /// Up to `limit` of `candidates` near `word`, nearest first; none when nothing is close.
    static func suggest(_ word: String, among candidates: [String], limit: Int = 3) -> [String] {
        let allowed = max(2, word.count / 3)
        let lowered = Array(word.lowercased())
        var scored: [(name: String, distance: Int)] = []
        for candidate in candidates where candidate != word {
            let d = distance(lowered, Array(candidate.lowercased()))
            if d <= allowed { scored.append((candidate, d)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        return scored.prefix(limit).map(\.name)
    }

    /// `; did you mean a or b?` for names `suggest` found, or nothing when there are none.
    static func didYouMean(_ near: [String]) -> String {
        guard let last = near.last else { return "" }
        return "; did you mean " + (near.count == 1 ? last : near.dropLast().joined(separator: ", ") + " or " + last) + "?"
    }

    /// Levenshtein distance, with a transposition counting as one edit (Damerau's restricted form).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], previous2[j - 2] + 1) }
            }
            (previous2, previous) = (previous, current)
        }
        return previous[b.count]
    }
}
