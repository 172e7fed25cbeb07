#!/usr/bin/env python3
"""Stage a generated sample dataset into a stopped-or-running daemon's object store on disk (bucket `bees`):
images under images/, the manifest as manifests/train.manifest, and its first 4 lines as manifests/small.manifest.
Usage: bench/stage_objects.py APIARY_HOME SAMPLE_DIR   (for benchmarks; users upload with the S3 API)"""
import os
import shutil
import sys

home, sample = sys.argv[1:3]
bucket = os.path.join(home, "s3", "bees")
os.makedirs(bucket, exist_ok=True)


def name(key):  # ObjectStore's file name: every byte outside [A-Za-z0-9-_~] percent-encoded
    return "".join(chr(b) if (chr(b).isascii() and (chr(b).isalnum() or chr(b) in "-_~")) else "%%%02X" % b for b in key.encode())


for f in os.listdir(os.path.join(sample, "images")):
    shutil.copy(os.path.join(sample, "images", f), os.path.join(bucket, name("images/" + f)))
lines = open(os.path.join(sample, "output.manifest")).read().splitlines()
open(os.path.join(bucket, name("manifests/train.manifest")), "w").write("\n".join(lines))
open(os.path.join(bucket, name("manifests/small.manifest")), "w").write("\n".join(lines[:4]))
