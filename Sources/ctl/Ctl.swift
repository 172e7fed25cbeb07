import ArgumentParser
import Foundation
import JobService

/// `ctl`: the one Apiary binary. Subcommands appear here only as they become real.
@main
struct Ctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract: "Apiary: a local emulation of Amazon SageMaker for object detection.",
        discussion: """
            Apiary speaks the real AWS wire protocols on 127.0.0.1, so boto3, the aws CLI and course notebooks \
            work against it with only endpoint_url changed.
            """,
        version: Apiary.version,
        subcommands: [
            Serve.self, Datasets.self, Labels.self, TrainingJobs.self, Models.self, EndpointConfigs.self, Endpoints.self, Deploy.self, Invoke.self,
            Evaluate.self,
            Expose.self,
        ]
    )

    static func main() async {
        OpenMPEnvironment.ensurePassiveWaiting()
        do {
            var command = try parseAsRoot(nil)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch let error as APICallError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}
