import AWSProtocol
import ArgumentParser
import Foundation
import ZIPFoundation

/// `ctl expose ENDPOINT`: the course's bonus in one step — a Lambda function that calls the endpoint (the handler of
/// examples/bee-detector-lambda), a REST API with `POST /predict` proxying to it, and a deployment; prints the URL.
/// Run again, it updates the function's code and settings and redeploys the same API, so the URL stays the same.
struct Expose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put an endpoint behind API Gateway and Lambda: a function calling it, a REST API with POST /predict, a deployment. Prints the URL to POST images to.",
        discussion: "Re-runnable: a second run updates the function and redeploys the same API (same URL).\n\nExample:\n  curl --data-binary @bee.jpg -H 'Content-Type: image/jpeg' \\\n      $(ctl expose bees-1)")
    @Argument(help: "An InService endpoint.") var endpoint: String
    @Option(help: "Name of the Lambda function (default: ENDPOINT-detect).") var function: String?
    @Option(help: "Stage of the deployment.") var stage = "prod"
    @Option(help: "Detections below this score are left out.") var minScore = 0.5
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let client = try options.client()
        _ = try await client.call("SageMaker.DescribeEndpoint", ["EndpointName": .string(endpoint)])
        let function = self.function ?? "\(endpoint)-detect"
        let settings: JSONValue = [
            "Runtime": "python3.12", "Role": "arn:aws:iam::000000000000:role/apiary-lambda-role", "Handler": "lambda_function.lambda_handler",
            "Timeout": 30, "MemorySize": 256, "Environment": ["Variables": ["ENDPOINT_NAME": .string(endpoint), "MIN_SCORE": .string(String(minScore))]],
        ]
        let zip = try Self.package()
        let functionPath = "/2015-03-31/functions/\(function)"
        let configuration: JSONValue
        if (try? await client.rest("GET", functionPath, service: "lambda")) != nil {
            _ = try await client.rest("PUT", functionPath + "/code", ["ZipFile": .string(zip)], service: "lambda")
            configuration = try await client.rest("PUT", functionPath + "/configuration", settings, service: "lambda")
        } else {
            var create = settings
            create["FunctionName"] = .string(function)
            create["Code"] = ["ZipFile": .string(zip)]
            configuration = try await client.rest("POST", "/2015-03-31/functions", create, service: "lambda")
        }
        let functionARN = configuration["FunctionArn"]?.stringValue ?? ""
        let apiName = "\(function)-api"
        let apis = try await client.rest("GET", "/restapis", service: "apigateway")["item"]?.arrayValue ?? []
        var api = apis.first { $0["name"]?.stringValue == apiName } ?? [:]
        if api["id"] == nil {
            api = try await client.rest("POST", "/restapis", ["name": .string(apiName), "binaryMediaTypes": ["image/jpeg", "image/png"]], service: "apigateway")
        }
        let apiID = api["id"]?.stringValue ?? ""
        let resources = try await client.rest("GET", "/restapis/\(apiID)/resources", service: "apigateway")["item"]?.arrayValue ?? []
        var predict = resources.first { $0["path"]?.stringValue == "/predict" } ?? [:]
        if predict["id"] == nil {
            predict = try await client.rest(
                "POST", "/restapis/\(apiID)/resources/\(api["rootResourceId"]?.stringValue ?? "")", ["pathPart": "predict"], service: "apigateway")
        }
        let method = "/restapis/\(apiID)/resources/\(predict["id"]?.stringValue ?? "")/methods/POST"
        _ = try await client.rest("PUT", method, ["authorizationType": "NONE"], service: "apigateway")
        _ = try await client.rest(
            "PUT", method + "/integration",
            [
                "type": "AWS_PROXY", "httpMethod": "POST",
                "uri": .string("arn:aws:apigateway:\(client.region):lambda:path/2015-03-31/functions/\(functionARN)/invocations"),
            ], service: "apigateway")
        do {
            _ = try await client.rest(
                "POST", functionPath + "/policy",
                ["StatementId": "apigw-invoke", "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com"], service: "lambda")
        } catch let error as APICallError where error.code.hasPrefix("ResourceConflictException") {
            // Granted by an earlier run: the statement id is the same.
        }
        _ = try await client.rest("POST", "/restapis/\(apiID)/deployments", ["stageName": .string(stage)], service: "apigateway")
        let base = client.endpoint.absoluteString
        let url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/_aws/execute-api/\(apiID)/\(stage)/predict"
        if options.json {
            JSONOutput.print(["url": .string(url), "restApiId": .string(apiID), "functionArn": .string(functionARN)])
        } else {
            print(url)
        }
    }

    /// The handler zipped as `lambda_function.py`, base64.
    private static func package() throws -> String {
        guard let handler = Bundle.module.url(forResource: "lambda_function", withExtension: "py") else {
            throw CLIError("the bee detector handler is missing from ctl's resources")
        }
        let archive = try Archive(data: Data(), accessMode: .create)
        try archive.addEntry(with: "lambda_function.py", fileURL: handler, compressionMethod: .deflate)
        guard let zip = archive.data else { throw CLIError("could not zip the bee detector handler") }
        return zip.base64EncodedString()
    }
}
