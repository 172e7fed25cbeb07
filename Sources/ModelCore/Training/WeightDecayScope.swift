/// Which parameters weight decay applies to.
///
/// MXNet's `Optimizer.set_wd_mult` gives every parameter whose name does not end in `_weight` or `_gamma`
/// a weight-decay multiplier of 0 whenever the optimizer knows the parameter names — which it does under
/// `mx.mod.Module`, the API the MXNet SSD lineage trains with. So biases and batch-norm betas were never
/// decayed. Our parameter names use `.` where MXNet's used `_` (`conv1_1.weight` for `conv1_1_weight`);
/// both separators are recognised.
public enum WeightDecayScope: String, Sendable, Equatable, CaseIterable {
    /// MXNet's default: weights and batch-norm gammas only.
    case weightsAndGammas
    /// Every parameter (what MXNet does when it does not know the names).
    case all

    /// The multiplier (0 or 1) MXNet would apply to `weight_decay` for the parameter `name`.
    public func multiplier(for name: String) -> Double {
        switch self {
        case .all:
            return 1
        case .weightsAndGammas:
            for suffix in ["weight", "gamma"] {
                for separator in [".", "_"] where name.hasSuffix(separator + suffix) { return 1 }
            }
            return 0
        }
    }
}
