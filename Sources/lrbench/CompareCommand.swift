import ArgumentParser

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Compare a result set with a baseline.")
    @Argument(help: "Baseline and current result folders.") var directories: [String]
    func run() throws { throw ExitCode(2) }
}
