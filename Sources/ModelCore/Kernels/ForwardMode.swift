/// Whether a forward pass is part of training (batch statistics, saved state for backward) or inference.
public enum ForwardMode: Sendable {
    case training
    case inference
}
