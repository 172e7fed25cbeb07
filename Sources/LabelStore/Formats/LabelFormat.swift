/// The label file formats Apiary exports and imports.
///
/// Every format lists every labeled image, including those with no box, and round-trips exactly: coordinates
/// come back as the same `Double`s, and classes by name (so ids stay stable and a renamed class exports under
/// its new name). Layouts, under the export folder:
///
/// | format | labels | images |
/// | --- | --- | --- |
/// | `manifest` | `output.manifest` (Ground Truth augmented manifest) | `images/` |
/// | `coco` | `annotations.json` (`bbox` = `[x, y, w, h]` pixels; category id = class id + 1) | `images/` |
/// | `voc` | `Annotations/<name>.xml` (Pascal VOC: `xmin, ymin, xmax, ymax` pixels), `classes.txt` | `JPEGImages/` |
/// | `yolo` | `labels/<name>.txt` (`class cx cy w h`, normalised), `classes.txt` | `images/` |
/// | `labelstudio` | `annotations.json` (Label Studio's JSON export: `rectanglelabels` in percent), `classes.txt` | `images/` |
public enum LabelFormat: String, Sendable, CaseIterable {
    case manifest
    case coco
    case voc
    case yolo
    case labelstudio
}
