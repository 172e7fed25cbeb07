import ArgumentParser

/// A word where a subcommand belongs that names none (`ctl training-jobs desribe`), found by walking the
/// command tree along the arguments, with the subcommands near it — ArgumentParser alone says only "Unexpected
/// argument".
struct UnknownSubcommand: CustomStringConvertible {
    let word: String
    /// `ctl training-jobs`: the command whose subcommand was mistyped.
    let parent: String
    let near: [String]

    /// Nil when the arguments name subcommands all the way down (the mistake is elsewhere).
    static func find(in arguments: [String], root: any ParsableCommand.Type) -> UnknownSubcommand? {
        var command = root
        var path = [root._commandName]
        for argument in arguments {
            let subcommands = command.configuration.subcommands
            guard !argument.hasPrefix("-"), argument != "help", !subcommands.isEmpty else { return nil }
            guard let next = subcommands.first(where: { $0._commandName == argument }) else {
                let names = subcommands.map { $0._commandName } + ["help"]
                return UnknownSubcommand(word: argument, parent: path.joined(separator: " "), near: NearNames.suggest(argument, among: names))
            }
            command = next
            path.append(argument)
        }
        return nil
    }

    var description: String {
        "unknown command '\(word)' for '\(parent)'"
            + (near.isEmpty ? "; `\(parent) --help` lists the commands" : NearNames.didYouMean(near) + " (`\(parent) --help` lists them all)")
    }
}
