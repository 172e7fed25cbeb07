import AWSProtocol
import Foundation
import JobService
import ModelCore
import TrainingExecution

/// The checks `ctl training-jobs create` runs before submitting, with the algorithm's own rules (JobService's
/// request parsing, ModelCore's hyperparameter validation) and the data the channels name — so a typo or a missing
/// manifest is reported in a second, with its fix, instead of as a Failed job after the queue.
struct TrainingJobCheck {
    let client: APIClient

    /// Throws the first problem as a `CLIError`: 64 for the request (unknown or out-of-range hyperparameters, a
    /// channel that names no manifest or bucket), 65 for data (a manifest whose first line lacks an attribute).
    func check(_ request: JSONValue) async throws {
        do {
            _ = try TrainingJobSpec(request: request)
        } catch let error as AWSError {
            throw CLIError(error.message, exitCode: 64)
        }
        let hyperparameters = (request["HyperParameters"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        do {
            _ = try ObjectDetectionHyperparameters(hyperparameters)
        } catch HyperparameterError.unknown(let name, let supported) {
            let near = NearNames.suggest(name, among: supported)
            throw CLIError(
                "unknown hyperparameter '\(name)'"
                    + (near.isEmpty ? "; the algorithm takes \(supported.joined(separator: ", "))" : NearNames.didYouMean(near)),
                exitCode: 64
            )
        } catch let error as HyperparameterError {
            throw CLIError(error.description.replacingOccurrences(of: "ClientError: ", with: ""), exitCode: 64)
        }
        for channel in request["InputDataConfig"]?.arrayValue ?? [] {
            let source = channel["DataSource"]?["S3DataSource"]
            guard source?["S3DataType"]?.stringValue == "AugmentedManifestFile", let uri = source?["S3Uri"]?.stringValue else { continue }
            let attributes = (source?["AttributeNames"]?.arrayValue ?? []).compactMap(\.stringValue)
            let channelName = channel["ChannelName"]?.stringValue ?? "?"
            let first = try await manifestLines(uri, channel: channelName).first ?? ""
            guard let record = (try? JSONValue.parse(Array(first.utf8)))?.objectValue else {
                throw CLIError(
                    "the first line of the \(channelName) manifest \(uri) is not a JSON object: is it a Ground Truth manifest?",
                    exitCode: 65
                )
            }
            for attribute in attributes where record[attribute] == nil {
                let near = NearNames.suggest(attribute, among: record.keys.filter { !$0.hasSuffix("-metadata") })
                throw CLIError(
                    "the \(channelName) manifest \(uri) has no attribute '\(attribute)' on its first line"
                        + (near.isEmpty ? "; it has \(record.keys.sorted().joined(separator: ", "))" : NearNames.didYouMean(near))
                        + (attribute == attributes.last ? " (--label-attribute)" : ""),
                    exitCode: 65
                )
            }
        }
        if let output = request["OutputDataConfig"]?["S3OutputPath"]?.stringValue, let (bucket, key) = Self.split(output) {
            do {
                _ = try await client.objectKeys(bucket: bucket, prefix: key)
            } catch let error as APICallError where error.code == "NoSuchBucket" {
                throw CLIError("the output bucket '\(bucket)' (\(output)) does not exist; create it first: aws s3 mb s3://\(bucket)", exitCode: 64)
            }
        }
    }

    /// The non-empty lines of the augmented manifest at `uri`. - Throws: exit 64 naming a missing bucket or key.
    func manifestLines(_ uri: String, channel: String) async throws -> [Substring] {
        guard let (bucket, key) = Self.split(uri) else {
            throw CLIError("the \(channel) channel's '\(uri)' is not an s3://bucket/key URI", exitCode: 64)
        }
        let data: Data
        do {
            data = try await client.object(bucket: bucket, key: key)
        } catch let error as APICallError where error.code == "NoSuchBucket" {
            throw CLIError(
                "the \(channel) manifest's bucket '\(bucket)' does not exist (\(uri)); create it and upload the manifest with aws s3",
                exitCode: 64
            )
        } catch let error as APICallError where error.code == "NoSuchKey" {
            let folder = key.contains("/") ? String(key[...key.lastIndex(of: "/")!]) : ""
            let near = NearNames.suggest(key, among: (try? await client.objectKeys(bucket: bucket, prefix: folder)) ?? [])
            throw CLIError(
                "the \(channel) manifest \(uri) does not exist"
                    + (near.isEmpty ? "; upload it with aws s3 cp" : NearNames.didYouMean(near.map { "s3://\(bucket)/\($0)" })),
                exitCode: 64
            )
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// `s3://bucket/key` as its bucket and key.
    static func split(_ uri: String) -> (bucket: String, key: String)? {
        guard uri.hasPrefix("s3://") else { return nil }
        let path = uri.dropFirst(5)
        let bucket = String(path.prefix { $0 != "/" })
        return bucket.isEmpty ? nil : (bucket, String(path.dropFirst(bucket.count + 1)))
    }
}
