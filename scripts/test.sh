#!/usr/bin/env bash
# The whole test suite: installs what is missing, starts a throwaway PostgreSQL cluster, builds in debug, runs every
# Swift test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# A throwaway PostgreSQL cluster (APIARY_TEST_DATABASE), stopped and removed when this script exits.
source scripts/throwaway-postgres.sh
# SwiftPM and the toolchain leave TemporaryDirectory.* folders in $TMPDIR at each build and test run; the tests' homes,
# their clients' scratch folders and their private PostgreSQL clusters go there too. One folder for all of it,
# traversable by the clusters' user (nobody), removed at exit after the cluster stops.
APIARY_TEST_TMP=$(mktemp -d /tmp/apiary-test.XXXXXX)
chmod 711 "$APIARY_TEST_TMP"
trap 'apiary_pg_stop; rm -rf "$APIARY_TEST_TMP"' EXIT
export TMPDIR="$APIARY_TEST_TMP"
# oneDNN's OpenMP workers must not spin on a shared 2-core machine (see Sources/ctl/OpenMPEnvironment.swift).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

# Swift Testing runs each test body on Swift's cooperative thread pool, one thread per core: two here. A test that
# waits on a daemon or a client process holds one of them, and the other tests queue behind it while the cores idle.
# Without the cooperative pool (a Swift runtime setting, for the test process alone: the daemons, workers and clients
# the tests start run with it, Tests/ctlTests/ChildEnvironment.swift) the whole pass took 716 s in CI on this 2-core
# machine, against 897 s in the CI run before the change.
export SWIFT_DEBUG_CONCURRENCY_ENABLE_COOPERATIVE_QUEUES=false

echo "==> checking the architecture (docs/architecture.md against Package.swift and the sources)" >&2
python3 scripts/check_architecture.py
echo "==> building (debug)" >&2
swift build --build-tests
# The suites that drive live daemons, once more with every daemon's stores in PostgreSQL (a fresh database of the
# throwaway cluster each, Tests/ctlTests/LiveDaemon.swift); the store, queue, label and two-daemon suites run against
# both drivers in the pass below. This pass goes first so that the closing line is the whole suite's. Not here: the
# multi-instance suites, whose lone daemon runs a job's ranks on its host — on a shared database a job's instances are
# a gang of worker slots, which WorkerNodeTests runs.
DAEMON_SUITES="SDKCompatibilityTests|EndpointTests|LabelUITests|LiveLabelingJobTests|LabelsCommandTests|CourseWorkflowTests|LambdaLifecycleTests|BeeDetectorLambdaTests|LambdaSandboxTests|ErrorPolicyTests|JSONOutputTests|CrashRecoveryTests|DaemonLifecycleTests|LabelCrashTests|WireFuzzTests|DoorTests|S3AuthTests|S3DurabilityTests|TrainingJobCheckTests"
echo "==> running the daemon suites on PostgreSQL" >&2
APIARY_TEST_DRIVER=postgresql swift test --skip-build --filter "$DAEMON_SUITES"
echo "==> running tests" >&2
swift test --skip-build
