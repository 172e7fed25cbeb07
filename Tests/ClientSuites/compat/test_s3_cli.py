"""The aws CLI's s3 commands (cp, sync, ls, rm, mb, rb) and boto3's managed transfers, byte for byte."""
import os
import subprocess
import uuid

import pytest

from conftest import URL

SIZES = [0, 1, 1024 * 1024, 8 * 1024 * 1024 + 1]


CREDENTIALS = {"AWS_ACCESS_KEY_ID": "AKIAAPIARYTEST000000", "AWS_SECRET_ACCESS_KEY": "apiary-test-secret", "AWS_DEFAULT_REGION": "us-east-1"}


def aws(*args):
    """`aws s3 ARGS`' output; `ls` of nothing exits 1 with no output, which counts as an empty listing."""
    result = subprocess.run(["aws", "--endpoint-url", URL, "s3", *args], capture_output=True, text=True, timeout=600,
                            env={**os.environ, **CREDENTIALS})
    empty_listing = args[0] == "ls" and result.returncode == 1 and not result.stdout and not result.stderr
    assert result.returncode == 0 or empty_listing, result.stdout + result.stderr
    return result.stdout


def make_file(path, size):
    # Patterned, not zeros, so that a shifted or repeated block shows.
    block = bytes((i * 131 + 7) % 256 for i in range(65536))
    with open(path, "wb") as out:
        left = size
        while left:
            out.write(block[:min(left, len(block))])
            left -= min(left, len(block))


def same_bytes(a, b):
    return subprocess.run(["cmp", "-s", str(a), str(b)]).returncode == 0


@pytest.fixture
def cli_bucket():
    name = "cli-" + uuid.uuid4().hex[:16]
    aws("mb", f"s3://{name}")
    yield name
    aws("rb", "--force", f"s3://{name}")


def test_cp_ls_rm_round_trips(cli_bucket, tmp_path):
    for size in SIZES:
        source, back = tmp_path / f"{size}.bin", tmp_path / f"{size}.back"
        make_file(source, size)
        aws("cp", str(source), f"s3://{cli_bucket}/data/{size}.bin")
        aws("cp", f"s3://{cli_bucket}/data/{size}.bin", str(back))
        assert same_bytes(source, back), size
    listing = aws("ls", f"s3://{cli_bucket}/data/")
    assert sorted(line.split()[-2:] for line in listing.splitlines()) == sorted([str(size), f"{size}.bin"] for size in SIZES)
    aws("rm", "--recursive", f"s3://{cli_bucket}/data/")
    assert aws("ls", f"s3://{cli_bucket}/data/") == ""


def test_cp_100_mb_multipart(cli_bucket, tmp_path):
    source, back = tmp_path / "source.bin", tmp_path / "back.bin"
    make_file(source, 100 * 1024 * 1024)
    aws("cp", str(source), f"s3://{cli_bucket}/big.bin")
    aws("cp", f"s3://{cli_bucket}/big.bin", str(back))
    assert same_bytes(source, back)


def test_sync_round_trip(cli_bucket, tmp_path):
    up, down = tmp_path / "up", tmp_path / "down"
    (up / "nested" / "deeper").mkdir(parents=True)
    for i, size in enumerate(SIZES):
        make_file(up / ("nested" if i % 2 else "") / f"f{i}.bin", size)
    make_file(up / "nested" / "deeper" / "with space.bin", 3)
    aws("sync", str(up), f"s3://{cli_bucket}/tree")
    assert aws("sync", str(up), f"s3://{cli_bucket}/tree") == ""  # nothing changed: nothing uploaded
    aws("sync", f"s3://{cli_bucket}/tree", str(down))
    files = sorted(os.path.relpath(os.path.join(d, f), up) for d, _, fs in os.walk(up) for f in fs)
    assert files == sorted(os.path.relpath(os.path.join(d, f), down) for d, _, fs in os.walk(down) for f in fs)
    assert all(same_bytes(up / f, down / f) for f in files)
    listing = aws("ls", "--recursive", f"s3://{cli_bucket}/tree/")
    assert len(listing.strip().splitlines()) == len(files)
    assert "PRE nested/" in aws("ls", f"s3://{cli_bucket}/tree/")
    aws("rm", "--recursive", f"s3://{cli_bucket}/tree")
    assert aws("ls", "--recursive", f"s3://{cli_bucket}/") == ""


def test_boto3_upload_and_download_file(s3, bucket, tmp_path):
    source, back = tmp_path / "source.bin", tmp_path / "back.bin"
    make_file(source, 20 * 1024 * 1024 + 3)  # above the 8 MiB threshold: parallel parts and ranged gets
    s3.upload_file(str(source), bucket, "managed.bin")
    s3.download_file(bucket, "managed.bin", str(back))
    assert same_bytes(source, back)
