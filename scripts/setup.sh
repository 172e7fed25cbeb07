#!/usr/bin/env bash
# Installs what Apiary needs on a Debian 12 machine, as root, only when it is missing:
# the Swift toolchain must already be present (/opt/swift or on PATH); system libraries come from apt,
# the compatibility tests' Python clients from pip. Safe to run again: it changes nothing when all is there.
set -euo pipefail

APT_PACKAGES=(
    libsqlite3-dev        # GRDB's SQLite
    libcurl4-openssl-dev  # Foundation networking (URLSession in ctl)
    libssl-dev            # OpenSSL libcrypto: SHA-256/HMAC (SigV4), MD5 (S3 ETags)
    libdnnl-dev           # oneDNN 2.x: convolution and other network kernels
    libturbojpeg0-dev     # libjpeg-turbo: JPEG decode/encode
    libpng-dev            # libpng: PNG decode/encode
    zlib1g-dev            # zlib: model.tar.gz
    make
    curl                  # curl --aws-sigv4: the raw answers JSONOutputTests compares ctl --json with
    chromium              # headless browser and its WebDriver, for the labeling UI's tests (Tests/ClientSuites/ui)
    chromium-driver
    libopenmpi-dev        # Open MPI: data-parallel training ranks (InstanceCount > 1), MPI_Allreduce
    openmpi-bin           # mpirun, which starts the ranks
    postgresql            # the throwaway cluster scripts/test.sh starts for the PostgreSQL tests
)
# real AWS clients, the SageMaker Python SDK v2 and moto's SageMaker tests (Tests/ClientSuites/compat); selenium (Tests/ClientSuites/ui);
# prometheus_client, whose Prometheus and OpenMetrics parsers read the daemon's /metrics (Tests/ClientSuites/compat/endpoint_flow.py)
PIP_PACKAGES=(boto3 awscli pytest moto selenium "sagemaker<3" prometheus_client)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    else
        echo "error: no Swift toolchain found. Install Swift 6.1 or newer (https://www.swift.org/install/linux/) and re-run." >&2
        exit 1
    fi
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

missing=()
for pkg in "${PIP_PACKAGES[@]}"; do
    # Installed, and at a version the requirement allows (e.g. "sagemaker<3").
    python3 - "$pkg" 2>/dev/null <<'PY' || missing+=("$pkg")
import importlib.metadata, sys
from packaging.requirements import Requirement
requirement = Requirement(sys.argv[1])
sys.exit(0 if requirement.specifier.contains(importlib.metadata.version(requirement.name), prereleases=True) else 1)
PY
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing Python packages: ${missing[*]}"
    python3 -m pip install --quiet "${missing[@]}"
fi

# Lambda's python runtimes provide boto3. A root daemon runs functions as 'nobody' with the system's python3, which
# cannot reach an interpreter under /root (pyenv): their boto3 comes from here, readable by every user.
LAMBDA_PYTHON=/usr/local/lib/apiary/lambda-python
if [ "$(id -u)" = 0 ] && [ ! -d "$LAMBDA_PYTHON/boto3" ]; then
    log "installing boto3 for Lambda functions into $LAMBDA_PYTHON"
    (umask 022 && python3 -m pip install --quiet --target "$LAMBDA_PYTHON" boto3)
fi
