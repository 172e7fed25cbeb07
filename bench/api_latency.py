#!/usr/bin/env python3
"""DescribeTrainingJob latency of a live daemon, idle and while a training job uses both cores.

Usage: bench/api_latency.py URL JOB_NAME [N]
Sends N (default 2000) DescribeTrainingJob calls over one keep-alive connection (a fixed SigV4 header: the
daemon's default `parse` auth mode reads it without verifying) and prints p50/p90/p99/max in milliseconds.
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

url, job = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
parts = urllib.parse.urlparse(url)
connection = http.client.HTTPConnection(parts.hostname, parts.port)
body = json.dumps({"TrainingJobName": job})
headers = {"X-Amz-Target": "SageMaker.DescribeTrainingJob", "Content-Type": "application/x-amz-json-1.1",
           "X-Amz-Date": "20261129T000000Z",
           "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261129/us-east-1/sagemaker/aws4_request, "
                            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64}
samples = []
status = None
for _ in range(n):
    start = time.perf_counter()
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    samples.append((time.perf_counter() - start) * 1000)
    assert response.status == 200, payload
    status = json.loads(payload)["SecondaryStatus"]
samples.sort()
pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
print(f"n={n} p50={pick(0.50):.2f} ms p90={pick(0.90):.2f} ms p99={pick(0.99):.2f} ms max={samples[-1]:.2f} ms "
      f"mean={statistics.mean(samples):.2f} ms (job {status} at the end)")
