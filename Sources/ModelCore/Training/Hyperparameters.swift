/// The built-in Object Detection algorithm's hyperparameters, parsed from the strings of
/// `CreateTrainingJob`'s `HyperParameters` (spec §2), with the container's defaults applied and every rule
/// of the documented table checked.
///
/// Besides the typed fields, the struct keeps the merged strings — `containerDefaults` overlaid with what
/// the job supplied, verbatim — because that is what the container echoed into `Final configuration` and
/// `hyperparams.json` (`resolved()`).
///
/// **`use_pretrained_model` default (spec §12.1).** The documentation says 1, the container's
/// `default-input.json` printed `0` in every observed 2018/2019 log. We take the container's `0`: the
/// emulator reproduces what the container did and printed, `Reading default configuration` and
/// `hyperparams.json` must show the same dictionary the defaults come from, and notebooks (the bee course
/// included) send the value explicitly anyway.
public struct ObjectDetectionHyperparameters: Sendable, Equatable {
    /// `base_network`: the backbone. `apiary-mobile` is Apiary's own fast backbone, not an AWS one.
    public enum BaseNetwork: String, Sendable, Equatable, CaseIterable {
        case vgg16 = "vgg-16"
        case resnet50 = "resnet-50"
        case apiaryMobile = "apiary-mobile"
    }

    /// `optimizer`.
    public enum OptimizerName: String, Sendable, Equatable, CaseIterable {
        case sgd, adam, rmsprop, adadelta
    }

    /// `kv_store`: MXNet's key-value store types. The documentation lists the two distributed ones; the
    /// container's default is `device`; single-machine MXNet also accepted `local`.
    public enum KVStore: String, Sendable, Equatable, CaseIterable {
        case device
        case local
        case distSync = "dist_sync"
        case distAsync = "dist_async"
    }

    /// `num_classes` (required): positive; the network's number of object classes.
    public let numClasses: Int
    /// `num_training_samples` (required): positive. Never compared with the real count (notebooks compute it
    /// off by one); the epoch-based `LearningRateSchedule` does not need it.
    public let numTrainingSamples: Int
    /// `base_network`.
    public let baseNetwork: BaseNetwork
    /// `use_pretrained_model`: `0` or `1`.
    public let usePretrainedModel: Bool
    /// `epochs`: positive.
    public let epochs: Int
    /// `learning_rate`: in (0, 1].
    public let learningRate: Double
    /// `lr_scheduler_step`, parsed: 0-based epochs (see `LearningRateSchedule`).
    public let lrSchedulerStep: [Int]
    /// `lr_scheduler_factor`: in (0, 1).
    public let lrSchedulerFactor: Double
    /// `optimizer`.
    public let optimizer: OptimizerName
    /// `momentum`: in (0, 1]; used by sgd only.
    public let momentum: Double
    /// `weight_decay`: in (0, 1); used by sgd and rmsprop only.
    public let weightDecay: Double
    /// `mini_batch_size`: positive.
    public let miniBatchSize: Int
    /// `image_shape`: at least 300; images are resized to a square of this side.
    public let imageShape: Int
    /// `label_width`: at least 7 (2 header values + one 5-value object); see `validateLabelWidth`.
    public let labelWidth: Int
    /// `overlap_threshold`: in (0, 1]; the IoU threshold of validation mAP.
    public let overlapThreshold: Double
    /// `nms_threshold`: in (0, 1]; non-maximum suppression IoU.
    public let nmsThreshold: Double
    /// `freeze_layer_pattern`: empty freezes nothing.
    public let freezeLayerPattern: FreezeLayerPattern
    /// `kv_store`.
    public let kvStore: KVStore
    /// `early_stopping`: `True`/`False` in any case, or `1`/`0`.
    public let earlyStopping: Bool
    /// `early_stopping_min_epochs`: positive.
    public let earlyStoppingMinEpochs: Int
    /// `early_stopping_patience`: positive.
    public let earlyStoppingPatience: Int
    /// `early_stopping_tolerance`: in [0, 1].
    public let earlyStoppingTolerance: Double
    /// `nms_topk` (hidden, undocumented): positive; the most detections kept per image.
    public let nmsTopK: Int
    /// `_kvstore` (hidden, internal): echoed, not interpreted.
    public let internalKVStore: String
    /// `_num_kv_servers` (hidden, internal): echoed, not interpreted.
    public let numKVServers: String
    /// `_tuning_objective_metric` (hidden; set by tuning jobs): echoed, not interpreted.
    public let tuningObjectiveMetric: String

    private let resolvedValues: [String: String]

    /// The dictionary the container printed as `Reading default configuration from …/default-input.json`
    /// (observed 2018/2019 logs) and the source of every default.
    public static let containerDefaults: [String: String] = [
        "num_classes": "",
        "num_training_samples": "",
        "base_network": "vgg-16",
        "use_pretrained_model": "0",
        "epochs": "30",
        "learning_rate": "0.001",
        "lr_scheduler_step": "",
        "lr_scheduler_factor": "0.1",
        "optimizer": "sgd",
        "momentum": "0.9",
        "weight_decay": "0.0005",
        "mini_batch_size": "32",
        "image_shape": "300",
        "label_width": "350",
        "overlap_threshold": "0.5",
        "nms_threshold": "0.45",
        "freeze_layer_pattern": "",
        "kv_store": "device",
        "early_stopping": "False",
        "early_stopping_min_epochs": "10",
        "early_stopping_patience": "5",
        "early_stopping_tolerance": "0.0",
        "nms_topk": "400",
        "_kvstore": "device",
        "_num_kv_servers": "auto",
        "_tuning_objective_metric": "",
    ]

    /// Hyperparameters a job must supply.
    public static let requiredNames = ["num_classes", "num_training_samples"]

    /// Names listed in the unknown-hyperparameter error: the accepted names without the internal `_` ones.
    public static let supportedNames = containerDefaults.keys.filter { !$0.hasPrefix("_") }.sorted()

    /// Values in the padded label's header (`label_width`'s arithmetic: header + 5 per object).
    public static let labelHeaderWidth = 2
    /// Values per object in the padded label: class id and four coordinates.
    public static let labelObjectWidth = 5

    /// Parses and validates `raw` (the job's `HyperParameters`). Checks run in a fixed order — unknown names
    /// (sorted), missing required names, then each value in the documentation's table order — and the first
    /// failure is thrown as a `HyperparameterError`.
    public init(_ raw: [String: String]) throws {
        for name in raw.keys.sorted() where Self.containerDefaults[name] == nil {
            throw HyperparameterError.unknown(name: name, supported: Self.supportedNames)
        }
        for name in Self.requiredNames where raw[name] == nil { throw HyperparameterError.missing(name: name) }
        let values = Self.containerDefaults.merging(raw) { _, provided in provided }
        let reader = HyperparameterReader(values: values)

        numClasses = try reader.integer("num_classes", atLeast: 1)
        numTrainingSamples = try reader.integer("num_training_samples", atLeast: 1)
        baseNetwork = try reader.choice("base_network")
        usePretrainedModel = try reader.binary("use_pretrained_model")
        epochs = try reader.integer("epochs", atLeast: 1)
        learningRate = try reader.float("learning_rate", in: .leftOpen(0, 1))
        lrSchedulerStep = try LearningRateSchedule.parseSteps(reader.raw("lr_scheduler_step"))
        lrSchedulerFactor = try reader.float("lr_scheduler_factor", in: .open(0, 1))
        optimizer = try reader.choice("optimizer")
        momentum = try reader.float("momentum", in: .leftOpen(0, 1))
        weightDecay = try reader.float("weight_decay", in: .open(0, 1))
        miniBatchSize = try reader.integer("mini_batch_size", atLeast: 1)
        imageShape = try reader.integer("image_shape", atLeast: 300)
        labelWidth = try reader.integer(
            "label_width",
            atLeast: Self.labelHeaderWidth + Self.labelObjectWidth,
            expected: "an integer >= 7 (the 2-value header plus 5 values per object)"
        )
        overlapThreshold = try reader.float("overlap_threshold", in: .leftOpen(0, 1))
        nmsThreshold = try reader.float("nms_threshold", in: .leftOpen(0, 1))
        freezeLayerPattern = try FreezeLayerPattern(reader.raw("freeze_layer_pattern"))
        kvStore = try reader.choice("kv_store")
        earlyStopping = try reader.boolean("early_stopping")
        earlyStoppingMinEpochs = try reader.integer("early_stopping_min_epochs", atLeast: 1)
        earlyStoppingPatience = try reader.integer("early_stopping_patience", atLeast: 1)
        earlyStoppingTolerance = try reader.float("early_stopping_tolerance", in: .closed(0, 1))
        nmsTopK = try reader.integer("nms_topk", atLeast: 1)
        internalKVStore = reader.raw("_kvstore")
        numKVServers = reader.raw("_num_kv_servers")
        tuningObjectiveMetric = reader.raw("_tuning_objective_metric")
        resolvedValues = values
    }

    /// Every hyperparameter, hidden ones included, as the strings the container wrote to `hyperparams.json`
    /// and printed as `Final configuration`: the defaults overlaid with the supplied values, verbatim.
    public func resolved() -> [String: String] { resolvedValues }

    /// Throws the data-time `label_width` error when an image with `objects` boxes does not fit
    /// (`2 + 5 × objects > label_width`).
    public func validateLabelWidth(objectsInImage objects: Int) throws {
        if Self.labelHeaderWidth + Self.labelObjectWidth * objects > labelWidth {
            throw HyperparameterError.labelWidthTooSmall(labelWidth: labelWidth, objects: objects)
        }
    }

    /// The most objects one image may have under `label_width`.
    public var maximumObjectsPerImage: Int { (labelWidth - Self.labelHeaderWidth) / Self.labelObjectWidth }
}
