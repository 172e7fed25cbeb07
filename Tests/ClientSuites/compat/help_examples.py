"""Every example in `ctl … --help` runs as written on the sample data (issue 19, item 4).

Walks `ctl --help` and every subcommand's, takes each example line (after `Example:`/`Examples:`, and every
indented `ctl …` line, joined over trailing backslashes), and runs it with bash, in help order, in a temporary
folder holding the sample bees (`ctl datasets generate-sample ./bees`), against the live daemon of APIARY_URL whose
bucket `bees` holds the sample's images and manifests and whose label store has the dataset `bees` with the
sample's labels. Examples that need a trained model, a long run, a browser or a second daemon are skipped, each
with its reason; the skip list is checked to match examples that exist.
"""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import client

CTL = os.environ["APIARY_CTL"]

# Example prefixes not run here, and why.
SKIPPED = {
    "ctl serve": "starts a second daemon (the test already runs one)",
    "ctl worker": "needs a PostgreSQL database the daemons share (WorkerNodeTests runs one)",
    "ctl labels copy-to-database": "needs a PostgreSQL database the daemons share (SharedDatabaseTests runs one)",
    "ctl datasets generate-sample ./field": "writes 2,000 images (minutes of CPU)",
    "ctl training-jobs create": "trains a model (minutes of CPU); the request checks run in the create tests",
    "ctl training-jobs wait": "needs a training job to end",
    "ctl training-jobs logs": "needs a training job",
    "ctl training-jobs results": "needs a finished training job (and --open a desktop)",
    "ctl training-jobs stop": "needs a running training job",
    "ctl training-jobs describe": "needs a training job",
    "ctl models create": "needs a trained model.tar.gz",
    "ctl models describe": "needs a model",
    "ctl models delete": "needs a model",
    "ctl endpoint-configs": "needs a model",
    "ctl endpoints create": "needs a model",
    "ctl endpoints update": "needs a model",
    "ctl endpoints wait": "needs an endpoint",
    "ctl endpoints describe": "needs an endpoint",
    "ctl endpoints delete": "needs an endpoint",
    "ctl deploy": "needs a trained model",
    "ctl invoke": "needs an endpoint serving a trained model",
    "ctl evaluate": "needs an endpoint serving a trained model",
    "curl --data-binary @bee.jpg": "needs an endpoint serving a trained model",
}


def help_text(path, columns):
    """`ctl PATH --help` as a terminal `columns` wide shows it."""
    run = subprocess.run([CTL, *path, "--help"], capture_output=True, text=True, env={**os.environ, "COLUMNS": str(columns)})
    assert run.returncode == 0, f"ctl {' '.join(path)} --help: {run.stderr}"
    return run.stdout


def commands(path=()):
    """Every command path, depth first in help order, with its help (unwrapped)."""
    text = help_text(path, 1000)
    yield path, text
    section = text.split("SUBCOMMANDS:", 1)[1] if "SUBCOMMANDS:" in text else ""
    for line in section.splitlines():
        match = re.match(r"^  ([a-z][a-z0-9-]*)", line)
        if match and match.group(1) != "help":
            yield from commands(path + (match.group(1),))


def examples(text):
    """The examples of one help text (its part before USAGE): (command, the lines it is written on)."""
    lines, found, in_examples = text.split("USAGE:", 1)[0].splitlines(), [], False
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        index += 1
        if stripped.startswith("Examples:") or stripped.startswith("Example:"):
            in_examples = True
            stripped = stripped.split(":", 1)[1].strip()
        elif not lines[index - 1].startswith(" ") and stripped:
            in_examples = False
        if not stripped or not (stripped.startswith("ctl ") or in_examples):
            continue
        written = [lines[index - 1]]
        while stripped.endswith("\\") and index < len(lines):
            stripped = stripped[:-1].rstrip() + " " + lines[index].strip()
            written.append(lines[index])
            index += 1
        found.append((stripped, written))
    return found


def all_examples():
    seen = []
    for _, text in commands():
        for example, _ in examples(text):
            if example not in seen:
                seen.append(example)
    return seen


def test_examples_fit_an_80_column_terminal():
    """Help is wrapped to the terminal; an example line longer than 80 columns would be broken where it is shown."""
    broken = []
    for path, text in commands():
        narrow = help_text(path, 80).splitlines()
        broken += [f"ctl {' '.join(path)}: {line}" for _, written in examples(text) for line in written if line not in narrow]
    assert not broken, "example lines wrapped at 80 columns:\n" + "\n".join(broken)


def skip_reason(example):
    return next((reason for prefix, reason in SKIPPED.items() if example.startswith(prefix)), None)


@pytest.fixture(scope="module")
def folder():
    """The sample data in a temporary folder, in the daemon's bucket `bees` and its label store as dataset `bees`."""
    work = tempfile.mkdtemp(prefix="apiary-help-examples-")
    run = lambda *arguments: subprocess.run([CTL, *arguments], cwd=work, capture_output=True, text=True, check=True)
    run("datasets", "generate-sample", "./bees")
    run("datasets", "sample", "bees/output.manifest", "--percent", "80", "-o", "train.manifest", "--rest", "validation.manifest")
    s3 = client("s3")
    s3.create_bucket(Bucket="bees")
    for name in sorted(os.listdir(os.path.join(work, "bees", "images"))):
        s3.upload_file(os.path.join(work, "bees", "images", name), "bees", f"images/{name}")
    for name in ("train.manifest", "validation.manifest"):
        s3.upload_file(os.path.join(work, name), "bees", f"manifests/{name}")
    run("datasets", "import", "./bees/images", "--dataset", "bees")
    run("labels", "import", "--dataset", "bees", "--format", "manifest", "./bees/output.manifest")
    yield work
    shutil.rmtree(work, ignore_errors=True)


def test_the_skip_list_names_real_examples():
    found = all_examples()
    assert len(found) > 30, found
    unused = [prefix for prefix in SKIPPED if not any(example.startswith(prefix) for example in found)]
    assert not unused, f"skip entries with no example: {unused}"


def test_every_help_example_runs(folder):
    environment = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")}
    environment["PATH"] = os.path.dirname(CTL) + os.pathsep + environment["PATH"]
    failures, ran = [], 0
    for example in all_examples():
        if skip_reason(example):
            continue
        run = subprocess.run(["bash", "-c", example], cwd=folder, env=environment, capture_output=True, text=True, timeout=300)
        ran += 1
        if run.returncode != 0:
            failures.append(f"{example}\n    exit {run.returncode}: {run.stderr.strip()[-400:]}")
    assert not failures, f"{len(failures)} of {ran} examples fail:\n" + "\n".join(failures)
