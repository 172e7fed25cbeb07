import LabelStore

/// Runs a store operation, turning the store's refusals into ctl's exit codes: 64 for something that does not
/// exist (a usage mistake), 65 for bad data, 1 for a refusal (the free tier, a conflict).
func storeCommand<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LabelStoreError {
        let code: Int32 =
            switch error.kind {
            case .notFound: 64
            case .invalid: 65
            case .conflict, .freeTierExhausted: 1
            }
        throw CLIError(error.message, exitCode: code)
    }
}
