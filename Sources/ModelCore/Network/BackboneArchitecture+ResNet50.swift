extension BackboneArchitecture {
    /// ResNet-50 v1 (He et al. 2016) as MXNet's SSD uses it: feature maps after stage 3 (`_plus12`, stride 16)
    /// and stage 4 (`_plus15`, stride 32), then four extra layers of 512, 256, 256 and 128 channels.
    /// At 300×300: 19², 10², 5², 3², 2², 1².
    ///
    /// Bottleneck units are 1×1 → 3×3 → 1×1 with batch norm, stride on the 3×3 (v1.5, as torchvision and
    /// GluonCV), projection shortcuts where the shape changes. Names follow MXNet: `conv0`, `stage2_unit1_conv2`.
    static func resnet50(_ b: inout NetworkBuilder) -> BackboneArchitecture {
        var stem: [any Layer] = b.conv("conv0", 64, kernel: 7, stride: 2)
        stem.append(b.maxPool(kernel: 3, stride: 2, padding: 1))
        var stage3: [any Layer] = stem
        for (stage, (units, width)) in [(3, 64), (4, 128), (6, 256)].enumerated() {
            stage3 += bottleneckStage(&b, stage: stage + 1, units: units, width: width, firstStride: stage == 0 ? 1 : 2)
        }
        let stage4 = bottleneckStage(&b, stage: 4, units: 3, width: 512, firstStride: 2)
        let stages = [
            Sequential(stage3), Sequential(stage4),
            extraStage(&b, "multi_feat_2_conv", reduce: 256, out: 512),
            extraStage(&b, "multi_feat_3_conv", reduce: 128, out: 256),
            extraStage(&b, "multi_feat_4_conv", reduce: 128, out: 256),
            extraStage(&b, "multi_feat_5_conv", reduce: 64, out: 128),
        ]
        return BackboneArchitecture(
            name: "resnet-50",
            stages: stages,
            featureChannels: [1024, 2048, 512, 256, 256, 128],
            anchorSizes: ssdSizes,
            anchorRatios: ssdRatios,
            normalizesFirstFeatureMap: false
        )
    }

    private static func bottleneckStage(_ b: inout NetworkBuilder, stage: Int, units: Int, width: Int, firstStride: Int) -> [any Layer] {
        (1...units).map { unit in
            let name = "stage\(stage)_unit\(unit)"
            let stride = unit == 1 ? firstStride : 1
            let inputChannels = b.channels
            let branch = Sequential(
                b.conv("\(name)_conv1", width, kernel: 1) + b.conv("\(name)_conv2", width, kernel: 3, stride: stride)
                    + b.conv("\(name)_conv3", width * 4, kernel: 1, relu: false)
            )
            var shortcut: Sequential? = nil
            if unit == 1 {
                b.channels = inputChannels
                shortcut = Sequential(b.conv("\(name)_sc", width * 4, kernel: 1, stride: stride, relu: false))
            }
            return Residual(branch: branch, shortcut: shortcut, engine: b.engine)
        }
    }
}
