#!/usr/bin/env python3
"""A seeded wire fuzzer for a live Apiary daemon (issue 23).

Requests are built from botocore's own service models — every operation of SageMaker, the SageMaker runtime,
CloudWatch Logs, Lambda, API Gateway and S3, with members mutated in type, size, sign and encoding, required ones
dropped, bodies nested deep — plus hand-written mutations of the byte formats (aws-chunked framing, S3 XML, image
payloads, query strings, headers, tokens). Each goes out on its own connection with a 5 s timeout.

Usage: wire_fuzz.py --seed 23 --count 400 [--pid PID] [--json]      (APIARY_URL names the daemon)
Counts responses by class; a crash is the daemon's process gone (or the port refusing connections), a hang is no
answer within 5 s. Exit status 0 only with no crash, no hang and no 5xx besides 501.
"""
import argparse
import base64
import http.client
import json
import os
import random
import socket
import struct
import time
import urllib.parse
import zlib

import botocore.session

URL = os.environ.get("APIARY_URL", "http://127.0.0.1:4566")
SERVICES = ["sagemaker", "sagemaker-runtime", "logs", "lambda", "apigateway", "s3"]
SIGNING = {"sagemaker-runtime": "sagemaker", "logs": "logs", "sagemaker": "sagemaker", "lambda": "lambda",
           "apigateway": "apigateway", "s3": "s3"}
TIMEOUT = 5.0
INTERESTING_INTS = [0, -1, 1, 2**31 - 1, -2**31, 2**63 - 1, -2**63, 2**64, 10**30]
INTERESTING_STRINGS = ["", " ", "=", "?=", "&&=", "%", "%zz", "..", "../../etc/passwd", "\u0000", "\uffff", "é" * 50,
                       "f/9223372036854775807", "b/-9223372036854775808", "-5", "+3", "1e400", "NaN", "null", "[]", "{}",
                       "s3://", "s3://b/" + "k" * 2000, "arn:aws:sagemaker:us-east-1:0:endpoint/x", "A" * 70000]


class Generator:
    """Values for a botocore shape, valid-looking or mutated by `rng`."""

    def __init__(self, rng):
        self.rng = rng

    def string(self):
        r = self.rng.random()
        if r < 0.4:
            return self.rng.choice(INTERESTING_STRINGS)
        if r < 0.7:
            return "".join(self.rng.choice("abcdefghij-_.0123456789") for _ in range(self.rng.randint(1, 40)))
        return "".join(chr(self.rng.randint(1, 0x2FFF)) for _ in range(self.rng.randint(0, 30)))

    def mutant(self):
        return self.rng.choice([self.string(), self.rng.choice(INTERESTING_INTS), self.rng.random() * 1e300, True, None, [], {},
                                self.nested(self.rng.randint(1, 300))])

    def nested(self, depth):
        value = 1
        for _ in range(depth):
            value = [value] if self.rng.random() < 0.5 else {"a": value}
        return value

    def value(self, shape, depth=0):
        if self.rng.random() < 0.08:
            return self.mutant()
        kind = shape.type_name
        if kind == "structure":
            if depth > 6:
                return {}
            out = {}
            for name, member in shape.members.items():
                required = name in shape.required_members
                if (required and self.rng.random() < 0.93) or self.rng.random() < 0.3:
                    out[name] = self.value(member, depth + 1)
            return out
        if kind == "list":
            return [self.value(shape.member, depth + 1) for _ in range(self.rng.choice([0, 1, 2, 3, 60]))]
        if kind == "map":
            return {self.string(): self.value(shape.value, depth + 1) for _ in range(self.rng.randint(0, 3))}
        if kind in ("integer", "long"):
            return self.rng.choice(INTERESTING_INTS + [self.rng.randint(-10, 1000)])
        if kind in ("float", "double"):
            return self.rng.choice([0.5, -1.0, 1e308, 3.14, 0.0])
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "timestamp":
            return self.rng.choice([0, 1700000000, -1, 2**40, "2026-01-01T00:00:00Z", "yesterday"])
        if kind == "blob":
            return base64.b64encode(os.urandom(self.rng.randint(0, 64))).decode()
        if shape.enum and self.rng.random() < 0.7:
            return self.rng.choice(shape.enum)
        return self.string()


def png_bomb(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def authorization(service, rng):
    now = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    if rng.random() < 0.05:
        return {"X-Amz-Date": now}
    return {"X-Amz-Date": now, "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD",
            "Authorization": f"AWS4-HMAC-SHA256 Credential=AKIAFUZZ0000000000/{now[:8]}/us-east-1/{SIGNING[service]}/aws4_request, "
                             f"SignedHeaders=host;x-amz-date, Signature={'0' * 64}"}


def model_request(rng, generator, models):
    """A request for a random operation of a random service, built from its model and mutated."""
    service = rng.choice(SERVICES)
    model = models[service]
    name = rng.choice(model.operation_names)
    operation = model.operation_model(name)
    params = generator.value(operation.input_shape) if operation.input_shape else {}
    if not isinstance(params, dict):
        params = {}
    headers = authorization(service, rng)
    protocol = model.metadata["protocol"]
    if protocol == "json":
        headers["X-Amz-Target"] = f"{model.metadata['targetPrefix']}.{name}"
        headers["Content-Type"] = "application/x-amz-json-1.1"
        body = json.dumps(params, default=str).encode()
        return f"{service}.{name}", "POST", "/", headers, body
    uri = operation.http["requestUri"]
    body_members = {}
    query = []
    for member, shape in (operation.input_shape.members.items() if operation.input_shape else []):
        location = shape.serialization.get("location")
        key = shape.serialization.get("name", member)
        value = params.get(member, generator.string() if location == "uri" else None)
        if value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        if location == "uri":
            greedy = "{" + key + "+}"
            encoded = urllib.parse.quote(text, safe="/" if greedy in uri else "")
            uri = uri.replace(greedy, encoded).replace("{" + key + "}", encoded or "x")
        elif location == "querystring":
            query.append((key, text))
        elif location == "header":
            if text.isprintable() and "\n" not in text and len(text) < 2000:
                headers[key] = text
        else:
            body_members[member] = value
    path, _, fixed = uri.partition("?")
    query_text = "&".join(p for p in [fixed, urllib.parse.urlencode(query)] if p)
    if protocol == "rest-xml":
        body = b""
        if operation.input_shape and operation.input_shape.serialization.get("payload"):
            body = rng.choice([b"", b"<Delete>" * rng.randint(1, 40), b"<CompleteMultipartUpload><Part><PartNumber>-1</PartNumber>"
                               b"<ETag>x</ETag></Part></CompleteMultipartUpload>", os.urandom(rng.randint(0, 200))])
    else:
        body = json.dumps(body_members, default=str).encode() if body_members else b""
    if service == "sagemaker-runtime" and name == "InvokeEndpoint":
        body = rng.choice([png_bomb(100000, 100000), b"\xff\xd8garbage", os.urandom(64), b""])
        headers["Content-Type"] = rng.choice(["", ";", "image/png", "image/jpeg;;", "application/x-image"])
        headers["Accept"] = rng.choice(["", ";", ",", "application/json", "*/*;q=0"])
    return f"{service}.{name}", operation.http["method"], path + ("?" + query_text if query_text else ""), headers, body


def byte_request(rng):
    """Hand-written mutations of the byte formats the models do not describe."""
    kind = rng.choice(["chunked", "xml", "query", "json", "ui", "execute-api", "header"])
    headers = authorization("s3", rng)
    if kind == "chunked":
        size = rng.choice([b"-5", b"+3", b"fffffffffffffff", b"zz", b"3;chunk-signature=" + b"a" * 64, b"0", b"-8000000000000"])
        body = size + b"\r\nabc\r\n" + rng.choice([b"0\r\n\r\n", b"", b"0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", b"\r\n" * 3])
        headers.update({"X-Amz-Content-SHA256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "Content-Encoding": "aws-chunked",
                        "X-Amz-Decoded-Content-Length": rng.choice(["3", "-1", "99999999999999999999", "x"])})
        return "s3.chunked", "PUT", "/fuzz-bucket/k", headers, body
    if kind == "xml":
        depth = rng.choice([3, 17, 5000])
        body = b"<Delete>" + b"<Object>" * depth + b"</Object>" * depth + b"</Delete>"
        return "s3.xml", "POST", "/fuzz-bucket?delete", headers, rng.choice([body, b"<!DOCTYPE x [<!ENTITY a 'b'>]><Delete/>", b"&#99999999;"])
    if kind == "query":
        return "s3.query", "GET", "/fuzz-bucket?" + rng.choice(["=", "list-type=2&max-keys=-1", "continuation-token=%%%", "prefix=%ff",
                                                                  "max-keys=99999999999999999999", "&&&="]), headers, b""
    if kind == "json":
        depth = rng.choice([10, 65, 1000, 100000])
        body = rng.choice([b"[" * depth + b"]" * depth, b"{" * depth, b'{"a":' * depth + b"1" + b"}" * depth])
        headers.update({"X-Amz-Target": "SageMaker.ListModels", "Content-Type": "application/x-amz-json-1.1"})
        headers["Authorization"] = headers.get("Authorization", "").replace("/s3/", "/sagemaker/")
        return "json.nesting", "POST", "/", headers, body
    if kind == "ui":
        return "ui", rng.choice(["GET", "POST"]), rng.choice(["/label/api/queue?dataset=%ff", "/label/api/images/-1", "/label/api/images/99999999999999999999",
                                                             "/label/api/sources", "/label/", "/label/../metrics"]), {}, b"{" * 100
    if kind == "execute-api":
        return "execute-api", "GET", rng.choice(["/_aws/execute-api/abcdefghij/prod/x?=", "/restapis/a/b/_user_request_/?=&=",
                                                 "/_aws/execute-api//?"]), {}, b""
    name = rng.choice(["Content-Type", "Accept", "Range", "If-Modified-Since", "x-amz-copy-source", "Expect", "x-amz-copy-source-range",
                       "If-Match", "x-amz-max-attributes"])
    headers[name] = rng.choice(["", ";", "bytes=-", "bytes=9223372036854775807-", "bytes=-9223372036854775808", "bytes=5-1",
                                "bytes=0-9223372036854775807", "bytes=--1", "%", "/", "100-continue", "fuzz-bucket/k", "/fuzz-bucket/k?x=%"])
    if rng.random() < 0.3:
        return "s3.header", "PUT", "/fuzz-bucket/copy?partNumber=" + rng.choice(["-1", "0", "10001", "99999999999999999999"]) + "&uploadId=x", headers, b""
    return "s3.header", rng.choice(["GET", "PUT", "HEAD"]), "/fuzz-bucket/k", headers, b""


def send(method, path, headers, body):
    parsed = urllib.parse.urlparse(URL)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=TIMEOUT)
    try:
        headers = dict(headers)
        headers.setdefault("Host", parsed.netloc)
        # Bytes the daemon must cope with, in the forms http.client can put on the wire (UTF-8, percent-encoded).
        path = urllib.parse.quote(path, safe="/?&=%+:;,@!$'()*[]~")
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for key, value in headers.items():
            connection.putheader(key, value.encode("utf-8") if isinstance(value, str) else value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def alive(pid):
    if pid:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                return stat.read().split(")")[-1].split()[0] != "Z"
        except OSError:
            return False
    parsed = urllib.parse.urlparse(URL)
    try:
        socket.create_connection((parsed.hostname, parsed.port), timeout=TIMEOUT).close()
        return True
    except OSError:
        return False


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--pid", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    session = botocore.session.get_session()
    models = {name: session.get_service_model(name) for name in SERVICES}
    generator = Generator(rng)
    # A bucket for the byte mutations to land in, and a log stream (a training job that fails at once) for the tokens.
    send("PUT", "/fuzz-bucket", authorization("s3", rng), b"")
    send("PUT", "/fuzz-bucket/k", authorization("s3", rng), b"hello, fuzz")
    job = {"TrainingJobName": f"fuzz-{args.seed}", "RoleArn": "arn:aws:iam::123456789012:role/r",
           "AlgorithmSpecification": {"TrainingImage": "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1",
                                      "TrainingInputMode": "File"},
           "OutputDataConfig": {"S3OutputPath": "s3://missing-bucket/o"}, "StoppingCondition": {"MaxRuntimeInSeconds": 60},
           "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1}}
    headers = authorization("sagemaker", rng)
    headers.update({"X-Amz-Target": "SageMaker.CreateTrainingJob", "Content-Type": "application/x-amz-json-1.1"})
    send("POST", "/", headers, json.dumps(job).encode())
    INTERESTING_STRINGS.extend(["/aws/sagemaker/TrainingJobs", f"fuzz-{args.seed}/algo-1-", f"fuzz-{args.seed}"])
    classes, server_errors, hangs, crashes, rss = {}, [], [], 0, []
    started = time.time()
    for index in range(args.count):
        label, method, path, headers, body = byte_request(rng) if rng.random() < 0.3 else model_request(rng, generator, models)
        try:
            status = send(method, path, headers, body)
            key = f"{status // 100}xx"
            if status >= 500 and status != 501:
                server_errors.append(f"{status} {label} {method} {path[:120]}")
        except ValueError:
            key = "unsendable"  # a header value http.client refuses to put on the wire
        except (socket.timeout, TimeoutError):
            key = "hang"
            hangs.append(f"{label} {method} {path[:120]}")
        except (ConnectionError, http.client.HTTPException, OSError) as error:
            key = "dropped"
            if not alive(args.pid):
                crashes += 1
                print(f"CRASH at request {index}: {label} {method} {path[:200]} ({error})")
                break
        classes[key] = classes.get(key, 0) + 1
        if args.pid and index % 50 == 0:
            rss.append(rss_kib(args.pid))
    report = {"seed": args.seed, "requests": sum(classes.values()), "classes": classes, "crashes": crashes,
              "hangs": len(hangs), "server_errors": len(server_errors), "seconds": round(time.time() - started, 1),
              "rss_kib": {"first": rss[0], "max": max(r for r in rss if r), "last": rss[-1]} if any(rss) else None}
    for line in (server_errors[:20] + hangs[:20]):
        print("  ", line)
    print(json.dumps(report) if args.json else report)
    return 0 if crashes == 0 and not hangs and not server_errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
