"""Raw HTTP to the S3 API, for the wire details boto3 only sends over TLS (aws-chunked) or never (bad framing)."""
import base64
import http.client
import time
import urllib.parse
import zlib

from conftest import URL

CREDENTIAL = "AKIAAPIARYTEST000000/{date}/us-east-1/s3/aws4_request"


def connection():
    parsed = urllib.parse.urlparse(URL)
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)


def signed_headers(payload_hash, extra=None):
    """Headers of a well-formed SigV4 request (the daemon parses, and by default does not verify, signatures)."""
    now = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    headers = {
        "X-Amz-Date": now,
        "X-Amz-Content-SHA256": payload_hash,
        "Authorization": "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL.format(date=now[:8])
        + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + "0" * 64,
    }
    headers.update(extra or {})
    return headers


def request(method, path, body=b"", headers=None):
    conn = connection()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), data


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def reflected_crc_b64(data, polynomial, width):
    """CRC-32C (0x82F63B78, 4 bytes) or CRC-64/NVME (0x9A6C9329AC4BC9B5, 8 bytes), bit by bit: botocore needs awscrt
    for them."""
    mask = (1 << (8 * width)) - 1
    crc = mask
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ polynomial if crc & 1 else crc >> 1
    return base64.b64encode((crc ^ mask).to_bytes(width, "big")).decode()


def aws_chunked(payload, chunk_size=65536, trailer=None, signed=False):
    """An aws-chunked body: hex-size chunks (with chunk signatures if `signed`), a last chunk, trailer lines."""
    out = b""
    extension = (";chunk-signature=" + "a" * 64).encode() if signed else b""
    for start in range(0, len(payload), chunk_size):
        chunk = payload[start:start + chunk_size]
        out += b"%x" % len(chunk) + extension + b"\r\n" + chunk + b"\r\n"
    out += b"0" + extension + b"\r\n"
    for name, value in (trailer or {}).items():
        out += f"{name}:{value}\r\n".encode()
    return out + b"\r\n"
