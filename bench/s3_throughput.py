#!/usr/bin/env python3
"""S3 upload and download throughput of a 100 MiB object against a plain file copy on the same disk, and the
daemon's peak memory while it moves a large object.

Usage: bench/s3_throughput.py CTL_BINARY [--size-mib 100] [--repeat 3] [--memory-mib 1024]
Starts `CTL serve` on a free port with a fresh home in the system temp directory, writes a patterned file there, and
times, best of --repeat: a plain copy (read + write + fsync, what the store does per object), boto3 upload_file
(8 MiB parts, 10 threads, as `aws s3 cp`), boto3 download_file (ranged GETs) and one streamed put_object/get_object.
Then uploads and downloads a --memory-mib object and reports the daemon's VmHWM (peak resident set) before and after.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config


def make_file(path, size):
    block = bytes((i * 131 + 7) % 256 for i in range(1 << 20))
    with open(path, "wb") as out:
        for offset in range(0, size, len(block)):
            out.write(block[:min(len(block), size - offset)])


def plain_copy(source, target):
    with open(source, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())


def best(repeat, action):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ctl")
    parser.add_argument("--size-mib", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-mib", type=int, default=1024)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="apiary-s3-bench-")
    home, port_file = os.path.join(work, "home"), os.path.join(work, "port")
    daemon = subprocess.Popen([args.ctl, "serve", "--port", "0", "--port-file", port_file, "--home", home],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            time.sleep(0.05)
        url = "http://127.0.0.1:" + open(port_file).read().strip()
        s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="AKIDBENCH",
                          aws_secret_access_key="bench", config=Config(read_timeout=300, retries={"max_attempts": 1}))
        s3.create_bucket(Bucket="bench")
        size = args.size_mib << 20
        source, target = os.path.join(work, "source.bin"), os.path.join(work, "target.bin")
        make_file(source, size)

        def put_get():
            with open(source, "rb") as body:
                s3.put_object(Bucket="bench", Key="single.bin", Body=body)
            stream = s3.get_object(Bucket="bench", Key="single.bin")["Body"]
            with open(target, "wb") as out:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    out.write(chunk)

        results = {
            "plain copy (read + write + fsync)": best(args.repeat, lambda: plain_copy(source, target)),
            "boto3 upload_file (multipart)": best(args.repeat, lambda: s3.upload_file(source, "bench", "big.bin")),
            "boto3 download_file (ranged GETs)": best(args.repeat, lambda: s3.download_file("bench", "big.bin", target)),
            "put_object + get_object (one stream each way)": best(args.repeat, put_get),
        }
        assert subprocess.run(["cmp", "-s", source, target]).returncode == 0
        copy = results["plain copy (read + write + fsync)"]
        print(f"{args.size_mib} MiB object, best of {args.repeat}:")
        for name, seconds in results.items():
            print(f"  {name:48s} {seconds:6.3f} s  {args.size_mib / seconds:8.1f} MiB/s  {seconds / copy:5.2f}x the copy's time")

        if args.memory_mib:
            before = peak_rss_mib(daemon.pid)
            make_file(source, args.memory_mib << 20)
            s3.upload_file(source, "bench", "huge.bin")
            after_upload = peak_rss_mib(daemon.pid)
            s3.download_file("bench", "huge.bin", target)
            with open(source, "rb") as body:
                s3.put_object(Bucket="bench", Key="huge-single.bin", Body=body)
            stream = s3.get_object(Bucket="bench", Key="huge-single.bin")["Body"]
            for _ in iter(lambda: stream.read(1 << 20), b""):
                pass
            after = peak_rss_mib(daemon.pid)
            print(f"daemon peak RSS (VmHWM): {before:.0f} MiB after the {args.size_mib} MiB runs, {after_upload:.0f} MiB after a "
                  f"{args.memory_mib} MiB multipart upload, {after:.0f} MiB after its download and a single-stream put + get")
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
