import Foundation
import ModelCore
import Testing

@Suite("Configuration log lines: Python 2 dict literals the notebooks parse")
struct HyperparameterLogTests {
    @Test("Python 2 unicode repr: quotes, escapes, non-ASCII")
    func unicodeRepr() {
        typealias H = ObjectDetectionHyperparameters
        #expect(H.python2UnicodeLiteral("350") == "u'350'")
        #expect(H.python2UnicodeLiteral("") == "u''")
        #expect(H.python2UnicodeLiteral("it's") == "u\"it's\"")
        #expect(H.python2UnicodeLiteral("it's \"x\"") == "u'it\\'s \"x\"'")
        #expect(H.python2UnicodeLiteral("^(a|b)\\d") == "u'^(a|b)\\\\d'")
        #expect(H.python2UnicodeLiteral("a\tb\nc\u{1}") == "u'a\\tb\\nc\\x01'")
        #expect(H.python2UnicodeLiteral("é€🐝") == "u'\\xe9\\u20ac\\U0001f41d'")
    }

    @Test("dict literal: sorted keys, u'' strings")
    func dictLiteral() {
        #expect(
            ObjectDetectionHyperparameters.python2DictLiteral(["epochs": "30", "label_width": "350", "_kvstore": ""])
                == "{u'_kvstore': u'', u'epochs': u'30', u'label_width': u'350'}"
        )
        #expect(ObjectDetectionHyperparameters.python2DictLiteral([:]) == "{}")
    }

    /// The Ground Truth notebook: `'Final configuration' in msg` then
    /// `msg.split('num_training_samples\': u\'')[1]`, whose value runs up to the next `'`.
    @Test("Final configuration survives the Ground Truth notebook's parser")
    func notebookParser() throws {
        let message = try ObjectDetectionHyperparameters(beeCourseHyperparameters).finalConfigurationLogMessage
        #expect(message.contains("Final configuration"))
        let pieces = message.components(separatedBy: "num_training_samples': u'")
        #expect(pieces.count == 2)
        #expect(pieces[1].hasPrefix("400'"))
        #expect(pieces[1].split(separator: "'").first == "400")
        #expect(message.hasPrefix("Final configuration: {u'_kvstore': u'device', u'_num_kv_servers': u'auto', "))
        #expect(message.hasSuffix("u'weight_decay': u'0.0005'}"))
    }

    @Test("default and provided configuration lines")
    func configurationLines() {
        let defaults = ObjectDetectionHyperparameters.defaultConfigurationLogMessage
        #expect(defaults.hasPrefix("Reading default configuration from /opt/amazon/lib/python2.7/site-packages/algorithm/default-input.json: {u'"))
        #expect(defaults.contains("u'nms_topk': u'400'") && defaults.contains("u'use_pretrained_model': u'0'"))
        #expect(defaults.contains("u'num_classes': u''") && defaults.contains("u'lr_scheduler_step': u''"))
        let provided = ObjectDetectionHyperparameters.providedConfigurationLogMessage(["lr_scheduler_step": "3,6"])
        #expect(provided == "Reading provided configuration from /opt/ml/input/config/hyperparameters.json: {u'lr_scheduler_step': u'3,6'}")
    }
}
