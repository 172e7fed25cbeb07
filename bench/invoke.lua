-- wrk script: InvokeEndpoint with one image, a fixed SigV4 Authorization header (the daemon's default `parse` auth
-- mode reads it without verifying), and one JSON line at the end with requests/s, p50/p99 and errors.
-- Usage: IMAGE=path ENDPOINT=name [CONTENT_TYPE=image/jpeg] wrk -t1 -c16 -d10s --timeout 60s -s bench/invoke.lua URL
local image = io.open(os.getenv("IMAGE"), "rb")
wrk.method = "POST"
wrk.path = "/endpoints/" .. os.getenv("ENDPOINT") .. "/invocations"
wrk.body = image:read("*a")
image:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "image/jpeg"
wrk.headers["Accept"] = "application/json"
wrk.headers["X-Amz-Date"] = "20261129T000000Z"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261129/us-east-1/sagemaker/aws4_request, "
    .. "SignedHeaders=accept;content-type;host;x-amz-date, Signature=" .. string.rep("0", 64)

function done(summary, latency, requests)
    local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format(
        '{"endpoint": "%s", "client": "wrk", "connections": %d, "requests": %d, "errors": %d, "requests_per_second": %.2f, "p50_ms": %.2f, "p99_ms": %.2f, "mean_ms": %.2f}\n',
        os.getenv("ENDPOINT"), tonumber(os.getenv("CONNECTIONS") or "0"), summary.requests, errors,
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000))
end
