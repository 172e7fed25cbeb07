extension BackboneArchitecture {
    /// `apiary-mobile`: Apiary's own small base network for 2-core CPUs.
    ///
    /// A plain stack of 3×3 convolutions with batch norm and ReLU, halving resolution with strided convolutions
    /// (cheaper than pooling and learnable). At 300×300 its six feature maps are 38², 19², 10², 5², 3², 1² — the
    /// same grid as VGG-SSD, with MXNet SSD's anchors — from about 0.8 GFLOP per image forward, ~40× less than
    /// VGG-16. Widths: 16 → 32 → 64 (38²) → 128 (19²) → 128 (10²) → 128 (5²) → 128 (3²) → 128 (1²).
    static func apiaryMobile(_ b: inout NetworkBuilder) -> BackboneArchitecture {
        var stage1: [any Layer] = b.conv("conv1", 16, kernel: 3, stride: 2)
        stage1 += b.conv("conv2_1", 32, kernel: 3, stride: 2)
        stage1 += b.conv("conv2_2", 32, kernel: 3)
        stage1 += b.conv("conv3_1", 64, kernel: 3, stride: 2)
        stage1 += b.conv("conv3_2", 64, kernel: 3)
        stage1 += b.conv("conv3_3", 64, kernel: 3)
        var stage2: [any Layer] = b.conv("conv4_1", 128, kernel: 3, stride: 2)
        stage2 += b.conv("conv4_2", 128, kernel: 3)
        stage2 += b.conv("conv4_3", 128, kernel: 3)
        let stages = [
            Sequential(stage1), Sequential(stage2),
            Sequential(b.conv("conv5_1", 128, kernel: 3, stride: 2) + b.conv("conv5_2", 128, kernel: 3)),
            // From 5² down, no batch norm (see `extraStage`).
            Sequential(b.conv("conv6_1", 128, kernel: 3, stride: 2, batchNorm: false) + b.conv("conv6_2", 128, kernel: 3, batchNorm: false)),
            Sequential(b.conv("conv7_1", 128, kernel: 3, stride: 2, batchNorm: false)),
            Sequential(b.conv("conv8_1", 128, kernel: 3, stride: 1, padding: 0, batchNorm: false)),
        ]
        return BackboneArchitecture(
            name: "apiary-mobile",
            stages: stages,
            featureChannels: [64, 128, 128, 128, 128, 128],
            anchorSizes: ssdSizes,
            anchorRatios: ssdRatios,
            normalizesFirstFeatureMap: false
        )
    }
}
