import ArgumentParser

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Write REPORT.md and figures for a result folder.")
    @Argument(help: "The result folder.") var directory: String
    func run() throws { throw ExitCode(2) }
}
