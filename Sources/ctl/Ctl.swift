import AWSProtocol
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
            Serve.self, Worker.self, Datasets.self, Labels.self, TrainingJobs.self, Models.self, EndpointConfigs.self, Endpoints.self, Deploy.self, Invoke.self,
            Evaluate.self,
            Expose.self, TrainingRank.self,
        ]
    )

    static func main() async {
        OpenMPEnvironment.ensureShortSpinning()
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(nil)
        } catch {
            if let unknown = UnknownSubcommand.find(in: Array(CommandLine.arguments.dropFirst()), root: Ctl.self) {
                fail(unknown.description, exitCode: 64)
            }
            exit(withError: error)
        }
        do {
            var command = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            fail(error.description, exitCode: error.exitCode)
        } catch let error as ResourceNotFound {
            fail(error.description, exitCode: 64)
        } catch let error as APICallError {
            fail(error.description, exitCode: 1)
        } catch {
            exit(withError: error)
        }
    }

    /// `error: <message>` on standard error, then exit with the code the guide documents.
    private static func fail(_ message: String, exitCode: Int32) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(exitCode)
    }
}
