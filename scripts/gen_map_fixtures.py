#!/usr/bin/env python3
"""Generate Tests/ModelCoreTests/Fixtures/map_fixtures.json: detection mAP computed by reference code.

Usage (from the repository root; needs numpy and pycocotools, `pip install numpy pycocotools`):

    python3 scripts/gen_map_fixtures.py            # writes the fixture
    python3 scripts/gen_map_fixtures.py --check    # fails if the committed fixture differs

Every expected number comes from reference code run on deterministic synthetic cases, never by hand:

- COCO mAP@[.5:.95] (`stats[0]`), AP@.5 (`stats[1]`), AP@.75 (`stats[2]`) and per-class / per-threshold APs
  come from pycocotools' `COCOeval` (iouType "bbox", default parameters: 101 recall points, maxDets 100,
  area "all"). Per-class values are read from `eval["precision"][:, :, k, 0, 2]`.
- VOC07 11-point and VOC all-point AP come from `voc_eval` / `voc_ap` below, a copy of py-faster-rcnn's
  `lib/datasets/voc_eval.py` (Ross Girshick, MIT licence,
  https://github.com/rbgirshick/py-faster-rcnn/blob/master/lib/datasets/voc_eval.py), reading boxes from
  memory instead of VOC XML files. Three deliberate changes, each marked CHANGED:
    1. no "+1 pixel" in widths, heights and areas (pycocotools and Apiary use continuous boxes);
    2. a match needs IoU >= threshold (the VOC devkit's VOCevaldet.m and GluonCV; py-faster-rcnn has >);
    3. the score sort is stable (kind="stable"), so score ties rank by image id, then by the order the
       detections are listed; np.argsort's default quicksort leaves ties unspecified.
  No "difficult" flags.

Coordinates are pixels on a 1/4-pixel grid (one case is the same data scaled by 2^-10, "normalised"), and
scores are multiples of 2^-16: every value is exact in float32 and float64, so Swift's double-precision IoU is
bit-identical to pycocotools' `bbIou` and to the numpy code, and threshold decisions agree even when an IoU
lands exactly on a threshold (one case does this on purpose).
"""

import argparse
import contextlib
import io
import json
import os
import sys

import numpy as np
import pycocotools
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "ModelCoreTests", "Fixtures", "map_fixtures.json")
GRID = 0.25
WIDTH, HEIGHT = 640.0, 480.0
VOC_IOUS = [0.5, 0.7]


# ----------------------------------------------------------------------------------------------------------
# py-faster-rcnn voc_ap / voc_eval (see the module docstring for the changes)
# ----------------------------------------------------------------------------------------------------------


def voc_ap(rec, prec, use_07_metric=False):
    """ap = voc_ap(rec, prec, [use_07_metric])
    Compute VOC AP given precision and recall.
    If use_07_metric is true, uses the VOC 07 11 point method (default:False).
    """
    if use_07_metric:
        # 11 point metric
        ap = 0.0
        for t in np.arange(0.0, 1.1, 0.1):
            if np.sum(rec >= t) == 0:
                p = 0
            else:
                p = np.max(prec[rec >= t])
            ap = ap + p / 11.0
    else:
        # correct AP calculation
        # first append sentinel values at the end
        mrec = np.concatenate(([0.0], rec, [1.0]))
        mpre = np.concatenate(([0.0], prec, [0.0]))

        # compute the precision envelope
        for i in range(mpre.size - 1, 0, -1):
            mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])

        # to calculate area under PR curve, look for points
        # where X axis (recall) changes value
        i = np.where(mrec[1:] != mrec[:-1])[0]

        # and sum (\Delta recall) * prec
        ap = np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])
    return ap


def voc_eval(images, classname, ovthresh=0.5, use_07_metric=False):
    """rec, prec, ap = voc_eval(images, classname, [ovthresh], [use_07_metric])

    `images` is the case's image list (sorted by id); returns None when the class has no ground truth.
    """
    # extract gt objects for this class
    class_recs = {}
    npos = 0
    for image in images:
        R = [g for g in image["groundTruth"] if g[0] == classname]
        bbox = np.array([g[1:] for g in R], dtype=np.float64).reshape(-1, 4)
        det = [False] * len(R)
        npos = npos + len(R)
        class_recs[image["id"]] = {"bbox": bbox, "det": det}
    if npos == 0:
        return None

    # read dets
    image_ids = [image["id"] for image in images for d in image["detections"] if d[0] == classname]
    confidence = np.array([d[1] for image in images for d in image["detections"] if d[0] == classname], dtype=np.float64)
    BB = np.array([d[2:] for image in images for d in image["detections"] if d[0] == classname], dtype=np.float64).reshape(-1, 4)

    # sort by confidence
    sorted_ind = np.argsort(-confidence, kind="stable")  # CHANGED (3): stable
    BB = BB[sorted_ind, :]
    image_ids = [image_ids[x] for x in sorted_ind]

    # go down dets and mark TPs and FPs
    nd = len(image_ids)
    tp = np.zeros(nd)
    fp = np.zeros(nd)
    for d in range(nd):
        R = class_recs[image_ids[d]]
        bb = BB[d, :].astype(float)
        ovmax = -np.inf
        BBGT = R["bbox"].astype(float)

        if BBGT.size > 0:
            # compute overlaps
            # intersection
            ixmin = np.maximum(BBGT[:, 0], bb[0])
            iymin = np.maximum(BBGT[:, 1], bb[1])
            ixmax = np.minimum(BBGT[:, 2], bb[2])
            iymax = np.minimum(BBGT[:, 3], bb[3])
            iw = np.maximum(ixmax - ixmin, 0.0)  # CHANGED (1): no +1
            ih = np.maximum(iymax - iymin, 0.0)  # CHANGED (1): no +1
            inters = iw * ih

            # union
            uni = (bb[2] - bb[0]) * (bb[3] - bb[1]) + (BBGT[:, 2] - BBGT[:, 0]) * (BBGT[:, 3] - BBGT[:, 1]) - inters  # CHANGED (1)

            overlaps = inters / uni
            ovmax = np.max(overlaps)
            jmax = np.argmax(overlaps)

        if ovmax >= ovthresh:  # CHANGED (2): >= instead of >
            if not R["det"][jmax]:
                tp[d] = 1.0
                R["det"][jmax] = 1
            else:
                fp[d] = 1.0
        else:
            fp[d] = 1.0

    # compute precision recall
    fp = np.cumsum(fp)
    tp = np.cumsum(tp)
    rec = tp / float(npos)
    # avoid divide by zero in case the first detection matches a difficult
    # ground truth
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    ap = voc_ap(rec, prec, use_07_metric)

    return rec, prec, ap


def voc_map(case, ovthresh, use_07_metric):
    aps = {}
    for c in case_classes(case):
        result = voc_eval(case["images"], c, ovthresh, use_07_metric)
        if result is not None:
            aps[str(c)] = float(result[2])
    return {"mean": float(np.mean(list(aps.values()))) if aps else 0.0, "perClass": aps}


# ----------------------------------------------------------------------------------------------------------
# pycocotools
# ----------------------------------------------------------------------------------------------------------


def xywh(box):
    return [box[0], box[1], box[2] - box[0], box[3] - box[1]]


def coco_map(case):
    classes = case_classes(case)
    images = [{"id": image["id"]} for image in case["images"]]
    categories = [{"id": c} for c in classes]
    annotations = []
    for image in case["images"]:
        for g in image["groundTruth"]:
            bbox = xywh(g[1:])
            # ids start at 1: COCOeval stores matches as annotation ids and treats 0 as "unmatched".
            annotations.append({"id": len(annotations) + 1, "image_id": image["id"], "category_id": g[0], "bbox": bbox, "area": bbox[2] * bbox[3], "iscrowd": 0})
    results = [
        {"image_id": image["id"], "category_id": d[0], "score": d[1], "bbox": xywh(d[2:])} for image in case["images"] for d in image["detections"]
    ]
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO()
        gt.dataset = {"images": images, "categories": categories, "annotations": annotations}
        gt.createIndex()
        if results:
            dt = gt.loadRes(results)
        else:  # loadRes cannot take an empty list
            dt = COCO()
            dt.dataset = {"images": images, "categories": categories, "annotations": []}
            dt.createIndex()
        evaluator = COCOeval(gt, dt, iouType="bbox")
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    p = evaluator.params
    assert p.areaRngLbl[0] == "all" and p.maxDets[2] == 100
    precision = evaluator.eval["precision"][:, :, :, 0, 2]  # [T, R, K]
    per_class, per_threshold = {}, []
    for k, c in enumerate(p.catIds):
        s = precision[:, :, k]
        if np.all(s == -1):
            continue
        assert np.all(s > -1)
        per_class[str(c)] = float(np.mean(s))
    for t in range(len(p.iouThrs)):
        s = precision[t]
        per_threshold.append(float(np.mean(s[s > -1])) if np.any(s > -1) else -1.0)
    stats = [float(x) for x in evaluator.stats[:3]]
    if per_class:
        assert abs(np.mean(list(per_class.values())) - stats[0]) < 1e-12
    return {"map": stats[0], "ap50": stats[1], "ap75": stats[2], "perClass": per_class, "perThresholdMean": per_threshold}


# ----------------------------------------------------------------------------------------------------------
# Synthetic cases
# ----------------------------------------------------------------------------------------------------------


def case_classes(case):
    return list(range(case["classCount"]))


def snap(x):
    return float(np.round(x / GRID) * GRID)


def random_box(rng):
    w = rng.uniform(16, 200)
    h = rng.uniform(16, 200)
    x = rng.uniform(0, WIDTH - w)
    y = rng.uniform(0, HEIGHT - h)
    return [snap(x), snap(y), snap(x + w), snap(y + h)]


def jitter(rng, box, scale):
    """The box with each edge moved by a normal offset of `scale` × its side; IoUs spread over ~0.2–1."""
    w, h = box[2] - box[0], box[3] - box[1]
    x0 = box[0] + rng.normal(0, scale * w)
    y0 = box[1] + rng.normal(0, scale * h)
    x1 = box[2] + rng.normal(0, scale * w)
    y1 = box[3] + rng.normal(0, scale * h)
    x0, x1 = sorted((min(max(x0, 0), WIDTH), min(max(x1, 0), WIDTH)))
    y0, y1 = sorted((min(max(y0, 0), HEIGHT), min(max(y1, 0), HEIGHT)))
    return [snap(x0), snap(y0), max(snap(x1), snap(x0) + 4 * GRID), max(snap(y1), snap(y0) + 4 * GRID)]


class Scores:
    """Distinct scores on a 2^-16 grid (exact in float32); true detections tend to score higher."""

    def __init__(self, rng):
        self.rng, self.used = rng, set()

    def draw(self, hit):
        raw = self.rng.beta(5, 2) if hit else self.rng.beta(2, 4)
        q = int(np.clip(round(raw * 65536), 1, 65535))
        while q in self.used:
            q = q % 65535 + 1
        self.used.add(q)
        return q / 65536.0


def synthetic(seed, images, classes, gt_per_image=(1, 6), p_detect=0.8, jitter_scale=(0.0, 0.2), fp_per_image=(0, 4), p_duplicate=0.1):
    rng = np.random.default_rng(seed)
    scores = Scores(rng)
    out = []
    for image_id in range(1, images + 1):
        gt, dets = [], []
        for _ in range(rng.integers(gt_per_image[0], gt_per_image[1] + 1)):
            c = int(rng.integers(classes))
            box = random_box(rng)
            gt.append([c] + box)
            if rng.random() < p_detect:
                dets.append([c, scores.draw(True)] + jitter(rng, box, rng.uniform(*jitter_scale)))
                if rng.random() < p_duplicate:
                    dets.append([c, scores.draw(False)] + jitter(rng, box, rng.uniform(*jitter_scale)))
        for _ in range(rng.integers(fp_per_image[0], fp_per_image[1] + 1)):
            dets.append([int(rng.integers(classes)), scores.draw(False)] + random_box(rng))
        order = rng.permutation(len(dets))
        out.append({"id": image_id, "groundTruth": gt, "detections": [dets[i] for i in order]})
    return out


def make_cases():
    cases = []

    def add(name, description, images, classes):
        cases.append({"name": name, "description": description, "classCount": classes, "images": images})

    add("random_small", "6 images, 3 classes: jittered GT, misses, duplicates, false positives", synthetic(1, 6, 3), 3)
    add("random_medium", "16 images, 3 classes, more boxes per image", synthetic(2, 16, 3, gt_per_image=(2, 10), fp_per_image=(1, 8), p_duplicate=0.2), 3)
    add("random_two_classes_loose", "8 images, 2 classes, large jitter: many detections near the IoU thresholds", synthetic(3, 8, 2, jitter_scale=(0.05, 0.3)), 2)

    few = synthetic(4, 5, 2, gt_per_image=(1, 2), p_detect=0.9, fp_per_image=(1, 3), jitter_scale=(0.0, 0.1))
    add("few_ground_truth", "few GT per class, so 11-point and all-point interpolation differ visibly", few, 2)

    images = synthetic(5, 6, 3)
    for image in images:
        image["detections"] = [d for d in image["detections"] if d[0] != 2]
    assert any(g[0] == 2 for image in images for g in image["groundTruth"])
    add("class_without_detections", "class 2 has ground truth but no detections: AP 0, still in the mean", images, 3)

    images = synthetic(6, 6, 3)
    rng = np.random.default_rng(60)
    scores = Scores(rng)
    for image_id in (7, 8):
        dets = [[int(rng.integers(3)), scores.draw(False)] + random_box(rng) for _ in range(4)]
        images.append({"id": image_id, "groundTruth": [], "detections": dets})
    add("images_without_ground_truth", "two images with detections but no ground truth: all false positives", images, 3)

    rng = np.random.default_rng(7)
    scores = Scores(rng)
    images = []
    for image_id in range(1, 4):
        gt = [[int(rng.integers(2))] + random_box(rng) for _ in range(3)]
        dets = [[g[0], scores.draw(True)] + jitter(rng, g[1:], 0.03) for g in gt for _ in range(int(rng.integers(1, 4)))]
        images.append({"id": image_id, "groundTruth": gt, "detections": dets})
    add("duplicate_detections", "each GT detected 1–3 times: the extras are false positives", images, 2)

    images = synthetic(8, 6, 2)
    rng = np.random.default_rng(80)
    for image in images:  # four score levels: ties within and across images
        for d in image["detections"]:
            d[1] = float(rng.integers(1, 5)) / 4.0
    add("score_ties", "scores from {0.25, 0.5, 0.75, 1}: ties rank by image id, then by listed order", images, 2)

    gt_box = [100.0, 100.0, 200.0, 200.0]
    images = []
    # Each IoU is the same double as a COCO threshold (and 0.5 / 0.7 as the VOC ones), so the case pins ">="
    # on both sides; the exception is 0.9 vs pycocotools' ninth threshold 0.8999999999999999.
    for image_id, fraction in enumerate([0.5, 0.75, 0.95, 0.7, 0.55, 0.9, 0.6, 0.85], start=1):
        det_box = [100.0, 100.0, 200.0, snap(100.0 + 100.0 * fraction)]  # IoU == fraction, correctly rounded
        images.append({"id": image_id, "groundTruth": [[0] + gt_box], "detections": [[0, 1.0 - image_id / 64.0] + det_box]})
    add("iou_exactly_at_thresholds", "IoU exactly on thresholds (0.5, 0.55, 0.6, 0.7, 0.75, 0.85, 0.9, 0.95): match at >= the exact threshold value", images, 1)

    images = synthetic(9, 5, 2)
    rng = np.random.default_rng(90)
    scores = Scores(rng)
    for image in images:
        image["detections"] += [[2, scores.draw(False)] + random_box(rng) for _ in range(2)]
    add("class_only_in_detections", "class 2 appears only in detections: excluded from every mean", images, 3)

    rng = np.random.default_rng(10)
    scores = Scores(rng)
    images = []
    for image_id in range(1, 5):
        gt = [[int(rng.integers(3))] + random_box(rng) for _ in range(int(rng.integers(1, 5)))]
        images.append({"id": image_id, "groundTruth": gt, "detections": [[g[0], scores.draw(True)] + g[1:] for g in gt]})
    add("all_correct", "every GT detected exactly, nothing else: every AP is 1", images, 3)

    images = synthetic(11, 4, 2)
    for image in images:
        image["detections"] = []
    add("no_detections", "ground truth only: every AP is 0", images, 2)

    rng = np.random.default_rng(12)
    scores = Scores(rng)
    gt = [[0] + random_box(rng) for _ in range(30)]
    dets = [[0, scores.draw(True)] + jitter(rng, g[1:], 0.08) for g in gt for _ in range(4)]
    dets += [[0, scores.draw(False)] + random_box(rng) for _ in range(10)]
    add("coco_max_detections", "130 detections in one image and class: COCO keeps the top 100, VOC all", [{"id": 1, "groundTruth": gt, "detections": dets}], 1)

    rng = np.random.default_rng(13)
    scores = Scores(rng)
    images = []
    # 20 GT per class, found with the top scores: class 0 has 4 (recall stops at 0.2, a VOC07 point exactly;
    # 11-point 3/11 vs all-point 0.2), class 1 has 6 (recall 0.3, just below the point 0.30000000000000004).
    for image_id in range(1, 5):
        gt = [[c] + random_box(rng) for c in (0, 1) for _ in range(5)]
        found = [[g[0], 0.75 + scores.draw(True) / 4] + g[1:] for g in (gt[:2] + gt[5:8] if image_id <= 2 else [])]
        misses = [[c, scores.draw(False) / 2] + random_box(rng) for c in (0, 1)]
        images.append({"id": image_id, "groundTruth": gt, "detections": found + misses})
    add("low_recall", "recall tops out at 4/20 = 0.2 (class 0) and 6/20 = 0.3 (class 1): VOC07's point edges", images, 2)

    scaled = json.loads(json.dumps(cases[0]))
    scaled["name"] = "random_small_normalised"
    scaled["description"] = "random_small with every coordinate scaled by 2^-10: same APs, exactly"
    for image in scaled["images"]:
        for g in image["groundTruth"]:
            g[1:] = [v / 1024.0 for v in g[1:]]
        for d in image["detections"]:
            d[2:] = [v / 1024.0 for v in d[2:]]
    cases.append(scaled)
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed fixture differs")
    args = parser.parse_args()

    cases = make_cases()
    for case in cases:
        assert all(len(image["detections"]) <= 100 for image in case["images"]) or case["name"] == "coco_max_detections"
        case["expected"] = {
            "voc07": {str(t): voc_map(case, t, True) for t in VOC_IOUS},
            "vocAllPoint": {str(t): voc_map(case, t, False) for t in VOC_IOUS},
            "coco": coco_map(case),
        }
    # The fixture must catch a wrong interpolation: 11-point and all-point APs must differ well beyond 1e-6.
    def spread(case):
        e = case["expected"]
        return max([abs(e["voc07"]["0.5"]["perClass"][k] - e["vocAllPoint"]["0.5"]["perClass"][k]) for k in e["voc07"]["0.5"]["perClass"]] + [0])

    differ = [c["name"] for c in cases if spread(c) > 0.02]
    assert len(differ) >= 8 and spread(next(c for c in cases if c["name"] == "low_recall")) > 0.05, differ

    p = COCOeval(iouType="bbox").params
    fixture = {
        "generator": "scripts/gen_map_fixtures.py",
        "references": {"numpy": np.__version__, "pycocotools": getattr(pycocotools, "__version__", "unknown")},
        "conventions": "boxes [xmin, ymin, xmax, ymax], no +1; groundTruth rows [class, box...]; detections rows [class, score, box...]",
        "cocoIoUThresholds": [float(x) for x in p.iouThrs],
        "cocoRecallThresholds": [float(x) for x in p.recThrs],
        "voc07RecallPoints": [float(x) for x in np.arange(0.0, 1.1, 0.1)],
        "cases": cases,
    }
    text = json.dumps(fixture, separators=(",", ":")) + "\n"
    path = os.path.normpath(OUT)
    if args.check:
        with open(path) as f:
            if f.read() != text:
                sys.exit(f"{path} is out of date; run scripts/gen_map_fixtures.py")
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    print(f"wrote {path}: {len(cases)} cases, {len(text)} bytes")
    for case in cases:
        e = case["expected"]
        print(
            f"  {case['name']:<28} voc07 {e['voc07']['0.5']['mean']:.4f}  all-point {e['vocAllPoint']['0.5']['mean']:.4f}"
            f"  coco {e['coco']['map']:.4f}  ap50 {e['coco']['ap50']:.4f}"
        )


if __name__ == "__main__":
    main()
