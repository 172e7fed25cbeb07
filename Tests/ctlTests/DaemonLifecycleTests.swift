import Foundation
import Testing

/// The daemon's life around its jobs: graceful shutdown (SIGTERM) leaves a running job resumable and every
/// resource in place, MaxRuntimeInSeconds stops a job, `--auth verify` checks signatures, and ctl's exit codes.
@Suite("daemon lifecycle, auth and ctl exit codes", .serialized)
struct DaemonLifecycleTests {
    @Test("SIGTERM mid-training: clean exit, the job resumes on the next start, models survive")
    func gracefulShutdown() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        try CrashRecoveryTests.stageSampleData(home: daemon.home)
        let model = try daemon.runClient(
            CtlBinary.url.path, ["models", "create", "kept", "--model-data", "s3://bees/output/x/output/model.tar.gz", "--endpoint-url", daemon.url])
        #expect(model.status == 0, "\(model.output)")
        try CrashRecoveryTests.createJob(daemon, name: "paused", epochs: 2)
        let checkpoint = daemon.home.appendingPathComponent("jobs/paused/checkpoint.apiary")
        let deadline = Date().addingTimeInterval(600)
        while !FileManager.default.fileExists(atPath: checkpoint.path) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        daemon.terminate()
        // A crash's own words come before its backtrace, which fills the log's end.
        let crash = daemon.daemonLog.split(separator: "\n").filter { $0.contains("Fatal error") || $0.contains("crashed:") || $0.contains("Program crashed") }
        #expect(daemon.exitStatus == 0, "\(crash.joined(separator: "\n"))\n\(daemon.daemonLog.suffix(2000))")
        #expect(daemon.daemonLog.contains("resumes on the next start"), "\(daemon.daemonLog.suffix(2000))")

        try daemon.start()
        let job = try CrashRecoveryTests.waitUntil(daemon, "paused") { ($0["TrainingJobStatus"] as? String) != "InProgress" }
        #expect(job["TrainingJobStatus"] as? String == "Completed", "\(job)")
        let messages = (job["SecondaryStatusTransitions"] as? [[String: Any]] ?? []).compactMap { $0["StatusMessage"] as? String }
        #expect(messages.contains { $0.contains("Resuming training from the checkpoint of epoch") }, "\(messages)")
        let described = try daemon.runClient(CtlBinary.url.path, ["models", "describe", "kept", "--json", "--endpoint-url", daemon.url])
        let kept = try? JSONSerialization.jsonObject(with: Data(described.output.utf8)) as? [String: Any]
        #expect(described.status == 0 && kept?["ModelName"] as? String == "kept", "\(described.output)")
    }

    @Test("MaxRuntimeInSeconds stops a job: Stopped / MaxRuntimeExceeded")
    func maxRuntime() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        try CrashRecoveryTests.stageSampleData(home: daemon.home)
        let run = try daemon.runClient(
            CtlBinary.url.path,
            [
                "training-jobs", "create", "short", "--endpoint-url", daemon.url, "--train", "s3://bees/manifests/train.manifest",
                "--validation", "s3://bees/manifests/validation.manifest", "--output", "s3://bees/output", "--label-attribute", "bees-500",
                "--num-training-samples", "12", "--base-network", "apiary-mobile", "--epochs", "500", "--mini-batch-size", "4",
                "--max-runtime", "3",
            ])
        #expect(run.status == 0, "\(run.output)")
        let job = try CrashRecoveryTests.waitUntil(daemon, "short", timeout: 300) { ($0["TrainingJobStatus"] as? String) != "InProgress" }
        #expect(job["TrainingJobStatus"] as? String == "Stopped", "\(job)")
        #expect(job["SecondaryStatus"] as? String == "MaxRuntimeExceeded", "\(job)")
        let wait = try daemon.runClient(CtlBinary.url.path, ["training-jobs", "wait", "short", "--endpoint-url", daemon.url])
        #expect(wait.status == 3, "wait exits 3 for Stopped: \(wait.output)")
    }

    @Test("--auth verify: the right secret passes, a wrong one is InvalidSignatureException, an unknown key UnrecognizedClientException")
    func verifiedSignatures() throws {
        let daemon = try LiveDaemon(extraArguments: ["--auth", "verify", "--credentials", "AKIAAPIARYTEST000000:apiary-test-secret"])
        defer { daemon.terminate() }
        let script = """
            import boto3, sys
            from botocore.exceptions import ClientError
            def client(key, secret):
                return boto3.client("sagemaker", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret)
            client("AKIAAPIARYTEST000000", "apiary-test-secret").list_models()
            for key, secret, code in [("AKIAAPIARYTEST000000", "wrong", "InvalidSignatureException"), ("AKIAUNKNOWN000000000", "x", "UnrecognizedClientException")]:
                try:
                    client(key, secret).list_models()
                    sys.exit("no error for " + key)
                except ClientError as e:
                    assert e.response["Error"]["Code"] == code, e.response
                    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 403, e.response
            print("ok")
            """
        let run = try daemon.runClient("python3", ["-c", script, daemon.url])
        #expect(run.status == 0 && run.output.contains("ok"), "\(run.output)")
        let ctl = try daemon.runClient(CtlBinary.url.path, ["models", "list", "--endpoint-url", daemon.url])
        #expect(ctl.status == 0, "ctl signs with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: \(ctl.output)")
    }

    @Test("ctl's exit codes: AWS errors 1 with the code, a missing resource 64, unreachable daemon 69, bad usage 64")
    func exitCodes() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let missing = try daemon.runClient(CtlBinary.url.path, ["training-jobs", "describe", "nope", "--endpoint-url", daemon.url])
        #expect(missing.status == 64)
        #expect(missing.output.contains("error: training job 'nope' does not exist"), "\(missing.output)")
        let badName = try daemon.runClient(CtlBinary.url.path, ["models", "create", "bad_name", "--model-data", "s3://b/k", "--endpoint-url", daemon.url])
        #expect(badName.status == 1 && badName.output.contains("regular expression pattern"), "\(badName.output)")
        let list = try daemon.runClient(CtlBinary.url.path, ["training-jobs", "list", "--endpoint-url", daemon.url])
        #expect(list.status == 0 && list.output.hasPrefix("NAME"), "\(list.output)")
        let usage = try daemon.runClient(CtlBinary.url.path, ["training-jobs", "create", "x", "--endpoint-url", daemon.url])
        #expect(usage.status == 64, "\(usage.output)")
        daemon.terminate()
        let unreachable = try daemon.runClient(CtlBinary.url.path, ["training-jobs", "list", "--endpoint-url", daemon.url])
        #expect(unreachable.status == 69 && unreachable.output.contains("Is `ctl serve` running there?"), "\(unreachable.output)")
    }

    @Test("serve refuses a non-loopback address without --allow-remote")
    func loopbackOnly() throws {
        let run = try CtlBinary.run(["serve", "--host", "0.0.0.0", "--port", "0"])
        #expect(run.status == 64)
        #expect(run.error.contains("--allow-remote"), "\(run.error)")
    }

    @Test("POST /moto-api/reset wipes everything: resources, buckets and objects, datasets and labeling jobs")
    func resetWipesAllState() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let bees = daemon.home.appendingPathExtension("bees")
        defer { try? FileManager.default.removeItem(at: bees) }
        let generate = try CtlBinary.run(["datasets", "generate-sample", bees.path, "--count", "1", "--test-count", "1"])
        #expect(generate.status == 0, "\(generate.error)")
        let image = try #require(try FileManager.default.contentsOfDirectory(atPath: bees.appendingPathComponent("images").path).first)
        let script = """
            import boto3, sys, urllib.request
            url, image = sys.argv[1], sys.argv[2]
            kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
            s3, sm = boto3.client("s3", **kw), boto3.client("sagemaker", **kw)
            role = "arn:aws:iam::123456789012:role/R"
            s3.create_bucket(Bucket="bees")
            s3.put_object(Bucket="bees", Key="images/a.jpg", Body=open(image, "rb").read())
            s3.put_object(Bucket="bees", Key="in.manifest", Body=b'{"source-ref": "s3://bees/images/a.jpg"}\\n')
            s3.put_object(Bucket="bees", Key="classes.json", Body=b'{"document-version": "2018-11-28", "labels": [{"label": "bee"}]}')
            sm.create_model(ModelName="m", ExecutionRoleArn=role,
                PrimaryContainer={"Image": "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1"})
            sm.create_labeling_job(LabelingJobName="bees", LabelAttributeName="bees", RoleArn=role,
                InputConfig={"DataSource": {"S3DataSource": {"ManifestS3Uri": "s3://bees/in.manifest"}}},
                OutputConfig={"S3OutputPath": "s3://bees/out/"}, LabelCategoryConfigS3Uri="s3://bees/classes.json",
                HumanTaskConfig={"WorkteamArn": "arn:aws:sagemaker:us-east-1:123456789012:workteam/private-crowd/w",
                    "UiConfig": {"UiTemplateS3Uri": "s3://bees/t.html"},
                    "PreHumanTaskLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:PRE-BoundingBox",
                    "TaskTitle": "t", "TaskDescription": "d", "NumberOfHumanWorkersPerDataObject": 1, "TaskTimeLimitInSeconds": 60,
                    "AnnotationConsolidationConfig": {
                        "AnnotationConsolidationLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:ACS-BoundingBox"}})
            assert len(sm.list_labeling_jobs()["LabelingJobSummaryList"]) == 1
            urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset", method="POST")).read()
            assert s3.list_buckets()["Buckets"] == [], s3.list_buckets()
            assert sm.list_models()["Models"] == []
            assert sm.list_labeling_jobs()["LabelingJobSummaryList"] == []
            s3.create_bucket(Bucket="bees")
            print("ok")
            """
        let run = try daemon.runClient("python3", ["-c", script, daemon.url, bees.appendingPathComponent("images/\(image)").path])
        #expect(run.status == 0 && run.output.contains("ok"), "\(run.output)")
        let datasets = try daemon.runClient(CtlBinary.url.path, ["datasets", "list", "--endpoint-url", daemon.url])
        #expect(datasets.status == 0 && !datasets.output.contains("labeling-job"), "\(datasets.output)")
    }
}
