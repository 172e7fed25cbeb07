#!/usr/bin/env python3
"""Extract the request shapes Apiary validates from botocore's service models.

Usage (from the repository root; needs botocore, `pip install botocore`):

    python3 scripts/extract-service-shapes.py            # writes Sources/AWSProtocol/Resources/*-shapes.json
    python3 scripts/extract-service-shapes.py --check    # fails if a committed file differs

For each service, the output holds:

- `operations`: operation name -> `{"input": shape, "output": shape}` (no `output` when the operation has none);
- `shapes`: every shape reachable from the operations' inputs, with only what server-side validation needs:
  `type`; structures' `members` as `[name, shape]` pairs in model order and their `required` names; lists'
  `member`; maps' `key` and `value`; `min`, `max`, `pattern` and `enum` constraints;
- `outputShapes`: every structure, list and map reachable from the operations' outputs, with structures'
  `required` names and only the members that lead to further structures, lists or maps, so that tests can
  check that a response carries every member the model marks required, at any depth.

Keys are sorted and the output is deterministic. botocore's models are the final word on shapes; botocore
strips the `^`/`$` anchors that the service's own models have (ServiceModel re-adds them when printing).
"""

import argparse
import gzip
import json
import pathlib
import sys

import botocore

MODELS = pathlib.Path(botocore.__file__).parent / "data"
RESOURCES = pathlib.Path(__file__).resolve().parent.parent / "Sources/AWSProtocol/Resources"
SERVICES = {
    "sagemaker": (
        "2017-07-24",
        "CreateTrainingJob DescribeTrainingJob ListTrainingJobs StopTrainingJob "
        "CreateModel DescribeModel ListModels DeleteModel "
        "CreateEndpointConfig DescribeEndpointConfig ListEndpointConfigs DeleteEndpointConfig "
        "CreateEndpoint DescribeEndpoint ListEndpoints DeleteEndpoint UpdateEndpoint "
        "AddTags ListTags DeleteTags "
        "CreateLabelingJob DescribeLabelingJob ListLabelingJobs StopLabelingJob "
        "CreateTransformJob DescribeTransformJob ListTransformJobs StopTransformJob",
    ),
    "logs": ("2014-03-28", "DescribeLogGroups DescribeLogStreams GetLogEvents FilterLogEvents"),
}
CONTAINERS = {"structure", "list", "map"}


def load_model(service, version):
    path = MODELS / service / version / "service-2.json"
    if path.exists():
        return json.loads(path.read_text())
    with gzip.open(path.with_suffix(".json.gz")) as f:
        return json.load(f)


def children(shape):
    """Names of the shapes `shape` refers to."""
    refs = [m["shape"] for m in shape.get("members", {}).values()]
    return refs + [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]


def reachable(shapes, roots):
    seen, stack = set(), list(roots)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(children(shapes[name]))
    return seen


def input_shape(shape):
    out = {"type": shape["type"]}
    if shape["type"] == "structure":
        out["members"] = [[name, ref["shape"]] for name, ref in shape["members"].items()]
        out["required"] = shape.get("required", [])
    for key in ("member", "key", "value"):
        if key in shape:
            out[key] = shape[key]["shape"]
    for key in ("min", "max", "pattern", "enum"):
        if key in shape:
            out[key] = shape[key]
    return out


def output_shape(shape, shapes):
    out = {"type": shape["type"]}
    if shape["type"] == "structure":
        out["members"] = [
            [name, ref["shape"]] for name, ref in shape["members"].items() if shapes[ref["shape"]]["type"] in CONTAINERS
        ]
        out["required"] = shape.get("required", [])
    for key in ("member", "value"):
        if key in shape:
            out[key] = shape[key]["shape"]
    return out


def extract(service, version, operation_names):
    model = load_model(service, version)
    shapes = model["shapes"]
    operations = {}
    for name in operation_names.split():
        op = model["operations"][name]
        operations[name] = {"input": op["input"]["shape"]}
        if "output" in op:
            operations[name]["output"] = op["output"]["shape"]
    inputs = reachable(shapes, [op["input"] for op in operations.values()])
    outputs = reachable(shapes, [op["output"] for op in operations.values() if "output" in op])
    return {
        "operations": operations,
        "shapes": {name: input_shape(shapes[name]) for name in inputs},
        "outputShapes": {
            name: output_shape(shapes[name], shapes) for name in outputs if shapes[name]["type"] in CONTAINERS
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed file differs")
    args = parser.parse_args()
    stale = []
    for service, (version, operations) in SERVICES.items():
        path = RESOURCES / f"{service}-shapes.json"
        text = json.dumps(extract(service, version, operations), indent=1, sort_keys=True) + "\n"
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path} ({len(text)} bytes)")
    if stale:
        sys.exit("stale, run scripts/extract-service-shapes.py: " + ", ".join(stale))


if __name__ == "__main__":
    main()
