"""Helper of the SIGKILL durability test (Tests/ctlTests/S3DurabilityTests.swift), not a test itself: stores an old
version of s3://BUCKET/KEY with boto3, then starts a 64 MiB PutObject of a new version, sends 16 MiB of it, prints
STALLED and waits (the test kills the daemon meanwhile)."""
import socket
import sys
import urllib.parse

from conftest import URL, client
from s3_wire import signed_headers

bucket, key = sys.argv[1], sys.argv[2]
s3 = client("s3")
s3.create_bucket(Bucket=bucket)
s3.put_object(Bucket=bucket, Key=key, Body=b"old version " * 1000)
parsed = urllib.parse.urlparse(URL)
headers = signed_headers("UNSIGNED-PAYLOAD", {"Host": parsed.netloc, "Content-Length": str(64 << 20)})
sock = socket.create_connection((parsed.hostname, parsed.port))
sock.sendall((f"PUT /{bucket}/{key} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode())
chunk = b"N" * (1 << 20)
for _ in range(16):
    sock.sendall(chunk)
print("STALLED", flush=True)
sock.settimeout(120)
try:
    sock.recv(1)
except OSError:
    pass
