/// Order statistics in linear expected time: Hoare's FIND with a median-of-three pivot, over a buffer it reorders.
/// Used where only the best few of many values matter — hard negative mining's loss cut-off, the top-k candidates of
/// detection decoding — so a full sort would be wasted.
enum Quickselect {
    /// The value that would sit at position `k` if `values` were sorted ascending. Afterwards `values[k]` holds it,
    /// nothing before `k` is greater and nothing after `k` is smaller. Reorders `values`; none may be NaN.
    static func select<Value: Comparable>(_ values: UnsafeMutableBufferPointer<Value>, _ k: Int) -> Value {
        precondition(values.indices.contains(k), "k = \(k) outside 0..<\(values.count)")
        var low = 0
        var high = values.count - 1
        while low < high {
            let a = values[low]
            let b = values[low + (high - low) / 2]
            let c = values[high]
            let pivot = max(min(a, b), min(max(a, b), c))  // median of three: always a value inside the range
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now values[low...j] <= pivot <= values[i...high], and anything strictly between equals pivot.
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return values[k]
            }
        }
        return values[k]
    }
}
