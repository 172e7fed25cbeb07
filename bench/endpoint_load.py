#!/usr/bin/env python3
"""Load on one endpoint: requests/s and latency percentiles at a given concurrency.

Usage: bench/endpoint_load.py URL ENDPOINT IMAGE CONCURRENCY REQUESTS
Each worker thread keeps one keep-alive connection and sends the same image (InvokeEndpoint, image/jpeg) with a
fixed SigV4 header (the daemon's default `parse` auth mode reads it without verifying). Prints one JSON line.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url, endpoint, image_path = sys.argv[1:4]
concurrency, total = int(sys.argv[4]), int(sys.argv[5])
body = open(image_path, "rb").read()
parts = urllib.parse.urlparse(url)
headers = {"Content-Type": "image/jpeg", "Accept": "application/json", "X-Amz-Date": "20261129T000000Z",
           "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261129/us-east-1/sagemaker/aws4_request, "
                            "SignedHeaders=accept;content-type;host;x-amz-date, Signature=" + "0" * 64}
latencies, errors, lock, counter = [], [0], threading.Lock(), iter(range(total))


def worker():
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    while True:
        with lock:
            if next(counter, None) is None:
                return
        start = time.perf_counter()
        connection.request("POST", f"/endpoints/{endpoint}/invocations", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)
            errors[0] += response.status != 200


# Warm up (first batches allocate oneDNN primitives).
for _ in range(3):
    c = http.client.HTTPConnection(parts.hostname, parts.port)
    c.request("POST", f"/endpoints/{endpoint}/invocations", body=body, headers=headers)
    c.getresponse().read()
threads = [threading.Thread(target=worker) for _ in range(concurrency)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - start
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
print(json.dumps({"endpoint": endpoint, "concurrency": concurrency, "requests": total, "errors": errors[0],
                  "requests_per_second": round(total / wall, 2), "p50_ms": round(pick(0.5), 2), "p99_ms": round(pick(0.99), 2)}))
