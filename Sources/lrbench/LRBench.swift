import ArgumentParser
import Foundation
import Run
import Sweep
import Specs

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
        subcommands: [ListCommand.self, ScheduleCommand.self, RunCommand.self, RangeTestCommand.self, SweepCommand.self,
                      MergeCommand.self, ReportCommand.self, CompareCommand.self]
    )
}

/// The one way out of lrbench. Commands only throw: their `validate()` (run by the parser) throws
/// for bad option values, `run()` for everything found later, and `ExitCode` to choose a status.
@main
enum Entry {
    static func main() {
        do {
            var command = try LRBench.parseAsRoot(CommandLineInput.normalized(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch {
            exit(status(for: error))
        }
    }

    /// Exit 0 for help; the status an `ExitCode` chose (1: a gate regression, 130 / 143: an
    /// interrupted sweep); 2 with one line on stderr for anything else. ArgumentParser's own usage
    /// errors would exit 64: they exit 2 here too, as the README promises.
    static func status(for error: Error) -> Int32 {
        if let code = error as? ExitCode { return code.rawValue }
        switch LRBench.exitCode(for: error) {
        case .success:
            LRBench.exit(withError: error)  // --help, --version: the text on stdout, status 0
        case .validationFailure:
            // A usage error of the parser (or a `ValidationError`): its first line and a pointer to help.
            let message = LRBench.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            printError(SpecUsageError(message + " (see 'lrbench help')"))
        default:
            printError(error)
        }
        return 2
    }
}

/// Prints an error as one line (a list of errors: one line each; a spec error: its line, then the
/// spec and a caret under the column).
func printError(_ error: Error) {
    let lines = describe(error).split(separator: "\n", omittingEmptySubsequences: false)
    let body = error is ConfigErrors ? lines.map { "error: " + $0 }.joined(separator: "\n")
                                     : "error: " + lines.joined(separator: "\n")
    FileHandle.standardError.write(Data((body + "\n").utf8))
}

/// An error's own text: lrbench's errors describe themselves; Foundation's file errors name
/// their path and the system's reason, never "(NSCocoaErrorDomain error 512.)"; an error thrown
/// by a `validate()` comes back from the parser as its own text.
func describe(_ error: Error) -> String {
    if let e = error as? CocoaError {
        let reason = (e.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) }
            ?? e.underlying.map(describe) ?? "error \(e.code.rawValue)"
        return (e.filePath ?? e.url?.path).map { "\($0): \(reason)" } ?? reason
    }
    if let e = error as? POSIXError { return String(cString: strerror(e.code.rawValue)) }
    if let e = error as? LocalizedError, let text = e.errorDescription { return text }
    return LRBench.message(for: error)
}

func warn(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
