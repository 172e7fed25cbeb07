extension BackboneArchitecture {
    /// VGG-16 as SSD300 uses it (Liu et al. 2016, "reduced" VGG): conv1…conv5 with a ceil-mode pool3 (75 → 38),
    /// pool5 3×3/1, fc6 as a 3×3 convolution dilated 6, fc7 as 1×1, then the extra layers conv8…conv11.
    /// Feature maps at 300×300: conv4_3 38², fc7 19², conv8_2 10², conv9_2 5², conv10_2 3², conv11_2 1²
    /// (8,732 anchors).
    ///
    /// Note: every convolution is followed by batch norm (the `vgg16_bn` variant). The original has none and
    /// relies on ImageNet weights; Apiary trains from scratch, which plain VGG does poorly.
    static func vgg16(_ b: inout NetworkBuilder) -> BackboneArchitecture {
        var trunk: [any Layer] = []
        for (block, (width, depth)) in [(64, 2), (128, 2), (256, 3), (512, 3)].enumerated() {
            for layer in 1...depth { trunk += b.conv("conv\(block + 1)_\(layer)", width, kernel: 3) }
            if block < 3 { trunk.append(b.maxPool(kernel: 2, stride: 2, ceilMode: block == 2)) }
        }
        var fc7: [any Layer] = [b.maxPool(kernel: 2, stride: 2)]
        for layer in 1...3 { fc7 += b.conv("conv5_\(layer)", 512, kernel: 3) }
        fc7.append(b.maxPool(kernel: 3, stride: 1, padding: 1))
        fc7 += b.conv("fc6", 1024, kernel: 3, dilation: 6)
        fc7 += b.conv("fc7", 1024, kernel: 1)
        let stages = [
            Sequential(trunk), Sequential(fc7),
            extraStage(&b, "conv8", reduce: 256, out: 512),
            extraStage(&b, "conv9", reduce: 128, out: 256),
            extraStage(&b, "conv10", reduce: 128, out: 256, stride: 1, padding: 0),
            extraStage(&b, "conv11", reduce: 128, out: 256, stride: 1, padding: 0),
        ]
        return BackboneArchitecture(
            name: "vgg-16",
            stages: stages,
            featureChannels: [512, 1024, 512, 256, 256, 256],
            anchorSizes: ssdSizes,
            anchorRatios: ssdRatios,
            normalizesFirstFeatureMap: true
        )
    }
}
