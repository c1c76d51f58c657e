import ArgumentParser
import Foundation
import Harness
import Specs

@main
struct LRBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lrbench",
        abstract: "Which learning-rate schedule, with which optimizer, converges fastest on which problem.",
        discussion: """
        Problems, optimizers, schedules and transforms are written as specs:
          name(key=value, key=value)   lists with ';'   nested specs allowed
          e.g. 'adam(betas=0.9;0.999, eps=1e-8)'  'multistep(milestones=30;80, gamma=0.1)'
        Quote them in a shell (parentheses). `lrbench list` shows every name with its defaults.
        """,
        subcommands: [List.self, Schedule.self, Run.self, RangeTestCommand.self, Sweep.self, MergeCommand.self, ReportCommand.self, CompareCommand.self]
    )
}

/// Prints a usage error as one line and exits with status 2.
func fail(_ error: Error) -> ExitCode {
    let text: String
    switch error {
    case let e as SpecError: text = e.description
    case let e as SpecUsageError: text = e.description
    case let e as ConfigErrors: text = e.description
    case let e as SweepError: text = e.description
    case let e as GateError: text = e.description
    default: text = "\(error)"
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let first = lines.first.map(String.init) ?? ""
    // A multi-line message is either a list of errors (each gets the prefix) or one error with a caret.
    let list = error is ConfigErrors
    let body = list ? lines.map { "error: " + $0 }.joined(separator: "\n") : "error: " + first + (lines.count > 1 ? "\n" + lines.dropFirst().joined(separator: "\n") : "")
    FileHandle.standardError.write(Data((body + "\n").utf8))
    return ExitCode(2)
}

func warn(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Buffered standard output: CSV rows are written in large chunks.
struct Output {
    var buffer = ""
    mutating func line(_ s: String) {
        buffer += s
        buffer += "\n"
        if buffer.utf8.count > 1 << 16 { flush() }
    }
    mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer.utf8))
        buffer = ""
    }
}
