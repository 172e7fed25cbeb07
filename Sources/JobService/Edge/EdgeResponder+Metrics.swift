import AWSHTTP
import AWSProtocol
import EndpointRuntime
import Foundation
import HTTPTypes
import Hummingbird

extension EdgeResponder {
    /// Where one endpoint's figures are served: `GET /_apiary/endpoints/{name}/metrics`.
    static let figuresPrefix = "/_apiary/endpoints/"

    /// `GET /metrics`: every endpoint's series for a Prometheus scraper (unsigned: `EdgeDoor` admits local scrapers),
    /// in Prometheus's text format or, when `Accept` asks for it, OpenMetrics.
    func metricsText(_ request: Request, requestID: String) -> Response {
        let text = runtime.host.registry.emitToString()
        if MetricsExposition.prefersOpenMetrics(accept: request.headers[.accept]) {
            return AWSResponses.response(
                status: 200, contentType: MetricsExposition.openMetricsContentType, body: Array(MetricsExposition.openMetrics(text).utf8),
                requestID: requestID)
        }
        return AWSResponses.response(status: 200, contentType: MetricsExposition.prometheusContentType, body: Array(text.utf8), requestID: requestID)
    }

    /// `GET /_apiary/endpoints/{name}/metrics`: the endpoint's `EndpointFigures` as JSON, what `ctl endpoints describe`
    /// reads. SigV4-signed like the other `/_apiary/` routes; errors in rest-json.
    func endpointFigures(_ request: Request, requestID: String) -> Response {
        let parts = request.uri.path.dropFirst(Self.figuresPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        do {
            _ = try authenticator.authenticate(request, body: [])
            guard request.method == .get, parts.count == 2, parts[1] == "metrics", let name = String(parts[0]).removingPercentEncoding, !name.isEmpty else {
                throw AWSError("UnknownOperationException", "No operation is served at \(request.method) \(request.uri.path).", status: 404)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let body = try encoder.encode(runtime.host.figures(name))
            return AWSResponses.response(status: 200, contentType: "application/json", body: Array(body), requestID: requestID)
        } catch let error as AWSError {
            return AWSResponses.restJSON(error, requestID: requestID)
        } catch {
            return AWSResponses.restJSON(AWSError.internalFailure("\(error)"), requestID: requestID)
        }
    }
}
