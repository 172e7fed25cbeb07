"""pycocotools' COCOeval on plain lists, shared by the Apiary and YOLO sides of the quality benchmark."""
import contextlib, io

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def score(images, truth, detections):
    """images: [{"id", "width", "height"}]; truth: [(image_id, x, y, w, h)]; detections: [(image_id, x, y, w, h, score)],
    pixels. Returns {"map50": AP@0.5, "map50_95": AP@[.5:.95]} over the one class (bee)."""
    ground = COCO()
    ground.dataset = {
        "images": images,
        "categories": [{"id": 1, "name": "bee"}],
        "annotations": [{"id": i + 1, "image_id": t[0], "category_id": 1, "bbox": list(t[1:5]), "area": t[3] * t[4],
                         "iscrowd": 0} for i, t in enumerate(truth)],
    }
    with contextlib.redirect_stdout(io.StringIO()):
        ground.createIndex()
        if not detections:
            return {"map50": 0.0, "map50_95": 0.0}
        found = ground.loadRes([{"image_id": d[0], "category_id": 1, "bbox": list(d[1:5]), "score": d[5]} for d in detections])
        evaluation = COCOeval(ground, found, "bbox")
        evaluation.params.maxDets = [1, 10, 100]
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    return {"map50": round(float(evaluation.stats[1]), 4), "map50_95": round(float(evaluation.stats[0]), 4)}
