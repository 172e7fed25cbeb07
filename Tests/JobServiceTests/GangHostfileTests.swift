import Foundation
import Testing

@testable import TrainingExecution

/// The `mpirun` launch of a multi-instance job's gang: a hostfile the gang's hosts form, the leader's first, and the
/// arguments that use it.
struct GangHostfileTests {
    @Test("one line per slot, in rank order (two names of one machine stay two lines)")
    func hostfileLines() {
        #expect(MultiInstanceRun.hostfile(["leader", "b", "b"]) == "leader\nb\nb\n")
        #expect(MultiInstanceRun.hostfile(["localhost", "127.0.0.1"]) == "localhost\n127.0.0.1\n")
    }

    @Test("mpirun takes the hostfile and passes a remote object store's credentials on to the other hosts' ranks")
    func argumentsWithAHostfile() {
        let run = MultiInstanceRun(
            request: [:], instanceCount: 3, rankExecutable: URL(fileURLWithPath: "/opt/ctl"), objectArguments: ["--endpoint-url", "http://a:4566"],
            workDirectory: URL(fileURLWithPath: "/w"), hosts: ["a", "b", "b"])
        let arguments = run.arguments(
            requestFile: URL(fileURLWithPath: "/w/request.json"), hostfile: URL(fileURLWithPath: "/w/hostfile"),
            environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret"])
        let joined = arguments.joined(separator: " ")
        #expect(joined.contains("-np 3 --hostfile /w/hostfile -x AWS_ACCESS_KEY_ID -x AWS_SECRET_ACCESS_KEY -x OMP_NUM_THREADS="), "\(joined)")
        #expect(!joined.contains("AKID") && !joined.contains("secret"), "values stay in the environment, off the command line")
        #expect(joined.hasSuffix("/opt/ctl training-rank --endpoint-url http://a:4566 --request /w/request.json --work-dir /w --report"))
        let local = MultiInstanceRun(
            request: [:], instanceCount: 2, rankExecutable: URL(fileURLWithPath: "/opt/ctl"), objectArguments: [], workDirectory: URL(fileURLWithPath: "/w"))
        #expect(!local.arguments(requestFile: URL(fileURLWithPath: "/w/request.json")).contains("--hostfile"), "no gang: every rank on this host")
    }
}
