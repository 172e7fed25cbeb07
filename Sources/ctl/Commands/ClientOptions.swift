import ArgumentParser

/// Where the daemon is: the options of every command that talks to it.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The daemon's URL (default $APIARY_URL, $AWS_ENDPOINT_URL or http://127.0.0.1:4566).")
    var endpointURL: String?

    @Option(help: "Region (default $AWS_REGION, $AWS_DEFAULT_REGION or us-east-1).")
    var region: String?

    func client() throws -> APIClient { try APIClient(endpointURL: endpointURL, region: region) }
}

/// Options every command that talks to the daemon and prints its answer takes.
struct ClientOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the API's JSON answer instead of a table.")
    var json = false

    func client() throws -> APIClient { try connection.client() }
}
