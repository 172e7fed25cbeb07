import Foundation
import ModelCore

/// `model-bench compare A.tar.gz B.tar.gz`: how far two models' weights are apart, as the data-parallel equality
/// check measures it — the largest per-tensor `‖a_t − b_t‖ / ‖b_t‖` (and its tensor), and `‖a − b‖ / ‖b‖` over all
/// the weights as one vector. One JSON line.
func compareWeights(_ first: String, _ second: String) throws {
    let a = try ModelArtifact(archive: Array(Data(contentsOf: URL(fileURLWithPath: first)))).weights
    let b = try ModelArtifact(archive: Array(Data(contentsOf: URL(fileURLWithPath: second)))).weights
    guard a.map(\.name) == b.map(\.name) else {
        FileHandle.standardError.write(Data("error: the two models hold different tensors\n".utf8))
        exit(1)
    }
    var largest = (name: "", value: 0.0)
    var (difference, norm) = (0.0, 0.0)
    for (x, y) in zip(a, b) {
        var (d, n) = (0.0, 0.0)
        for (u, v) in zip(x.values, y.values) {
            d += Double(u - v) * Double(u - v)
            n += Double(v) * Double(v)
        }
        let relative = n > 0 ? (d / n).squareRoot() : (d > 0 ? .infinity : 0)
        if relative > largest.value { largest = (x.name, relative) }
        difference += d
        norm += n
    }
    print(
        #"{"largest_tensor_relative_difference": \#(largest.value), "tensor": "\#(largest.name)", "overall_relative_difference": \#((difference / norm).squareRoot())}"#
    )
}
