"""The quality benchmark's peer: Ultralytics YOLOv8n from scratch, on the Apiary run's images and split.

Usage: quality_yolo.py WORK IMAGE_SHAPE SEED STYLE TRAIN MINUTES...
Reads WORK/train.manifest, WORK/validation.manifest, WORK/data/test.manifest (images under WORK/data/images and
WORK/data/test), writes the YOLO layout under WORK/yolo, trains once per budget with Ultralytics' own `time=` limit
(hours; it ends the run at the budget, whatever `epochs` says), predicts every test image (conf 0.001, as
Ultralytics validates) and scores with the same pycocotools code as the Apiary side. Prints one JSON line per run,
then draws bench/results/<date>-quality-<style>-<seed>.png from every line of this run (Apiary's included, read from
WORK/apiary.jsonl when present).
"""
import datetime, json, os, sys, time

os.environ.setdefault("YOLO_OFFLINE", "1")
# Ultralytics logs its progress to stdout (its handlers hold the stream from import on): point file descriptor 1 at
# stderr and keep the real stdout for this script's JSON lines.
RESULTS = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)
from ultralytics import YOLO  # noqa: E402
import ultralytics.utils.torch_utils as yolo_torch_utils  # noqa: E402

# Ultralytics sets torch's CPU threads to cpu_count - 1 for training (1 on a 2-core machine) and loads data in the
# main process: YOLO_THREADS sets the compute threads (default: every core, as Apiary uses them).
THREADS = int(os.environ.get("YOLO_THREADS", os.cpu_count()))
yolo_torch_utils.NUM_THREADS = THREADS

from quality_coco import score  # noqa: E402


def labels(manifest):
    for line in open(manifest):
        record = json.loads(line)
        label = record["bees-500"]
        size = label["image_size"][0]
        yield os.path.basename(record["source-ref"]), size["width"], size["height"], label["annotations"]


def layout(work):
    root = os.path.join(work, "yolo")
    for split, manifest, folder in [("train", "train.manifest", "data/images"), ("val", "validation.manifest", "data/images")]:
        os.makedirs(os.path.join(root, "images", split), exist_ok=True)
        os.makedirs(os.path.join(root, "labels", split), exist_ok=True)
        for name, width, height, boxes in labels(os.path.join(work, manifest)):
            target = os.path.join(root, "images", split, name)
            if not os.path.exists(target):
                os.symlink(os.path.join(work, folder, name), target)
            with open(os.path.join(root, "labels", split, os.path.splitext(name)[0] + ".txt"), "w") as out:
                for b in boxes:
                    cx, cy = (b["left"] + b["width"] / 2) / width, (b["top"] + b["height"] / 2) / height
                    out.write(f"0 {cx:.6f} {cy:.6f} {b['width'] / width:.6f} {b['height'] / height:.6f}\n")
    data = os.path.join(root, "data.yaml")
    with open(data, "w") as out:
        out.write(f"path: {root}\ntrain: images/train\nval: images/val\nnames:\n  0: bee\n")
    return data


def evaluate(model, work):
    images, truth, detections = [], [], []
    for image_id, (name, width, height, boxes) in enumerate(labels(os.path.join(work, "data/test.manifest"))):
        images.append({"id": image_id, "width": width, "height": height})
        truth += [(image_id, b["left"], b["top"], b["width"], b["height"]) for b in boxes]
        result = model.predict(os.path.join(work, "data/test", name), conf=0.001, iou=0.7, max_det=300, verbose=False)[0]
        for (x1, y1, x2, y2), confidence in zip(result.boxes.xyxy.tolist(), result.boxes.conf.tolist()):
            detections.append((image_id, x1, y1, x2 - x1, y2 - y1, confidence))
    return score(images, truth, detections)


def plot(rows, style, seed):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    for tool, colour in [("apiary-mobile", "#d98c00"), ("yolov8n", "#1f5fbf")]:
        points = sorted((r["seconds"] / 60, r["map50"]) for r in rows if r["tool"] == tool)
        if points:
            axes.plot(*zip(*points), marker="o", color=colour, label=tool)
    axes.set_xlabel("training time (measured wall-clock minutes, 2-core CPU)")
    axes.set_xlim(left=0)
    axes.set_ylabel("test mAP@0.5 (pycocotools)")
    axes.set_ylim(0, 1)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left")
    axes.set_title(f"Held-out bees: style '{style}', seed {seed}")
    path = f"bench/results/{datetime.date.today()}-quality-{style}-{seed}.png"
    figure.tight_layout()
    figure.savefig(path)
    return path


def main():
    work, shape, seed, style, train = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    budgets = [float(m) for m in sys.argv[6:]]
    data = layout(work)
    rows = [json.loads(line) for line in open(os.path.join(work, "apiary.jsonl"))] if os.path.exists(os.path.join(work, "apiary.jsonl")) else []
    for minutes in budgets:
        model = YOLO("yolov8n.yaml")
        start = time.time()
        model.train(data=data, epochs=1000, time=minutes / 60, imgsz=shape, batch=16, workers=2, device="cpu",
                    pretrained=False, seed=seed, project=os.path.join(work, "yolo-runs"), name=f"b{minutes:g}",
                    plots=False, verbose=False, amp=False)
        seconds = time.time() - start
        epochs = model.trainer.epoch + 1
        best = YOLO(os.path.join(work, "yolo-runs", f"b{minutes:g}", "weights", "best.pt"))
        scores = evaluate(best, work)
        row = {"tool": "yolov8n", "minutes": minutes, "seconds": round(seconds, 1), "epochs": epochs,
               "images_seen": epochs * train, **scores, "seed": seed, "style": style, "image_shape": shape,
               "torch_threads": THREADS,
               "command": f"YOLO_THREADS={THREADS} YOLO('yolov8n.yaml').train(epochs=1000, time={minutes / 60:.4f}, imgsz={shape}, batch=16, "
                          "pretrained=False, device='cpu')"}
        print(json.dumps(row), file=RESULTS)
        rows.append(row)
    print(json.dumps({"plot": plot(rows, style, seed)}), file=RESULTS)


if __name__ == "__main__":
    main()
