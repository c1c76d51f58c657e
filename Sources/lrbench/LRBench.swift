import ArgumentParser
import Foundation
import Harness
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
        subcommands: [List.self, Schedule.self, Run.self, RangeTestCommand.self, Sweep.self, MergeCommand.self, ReportCommand.self, CompareCommand.self]
    )
}

/// The one way out of lrbench: every error, from argument parsing or a command, becomes one
/// line on stderr (`error: …`) and exit status 2; help exits 0; an interrupted sweep exits with
/// the status it chose. ArgumentParser's own usage errors would exit 64: they exit 2 here, as the
/// README promises.
@main
enum Entry {
    static func main() {
        do {
            let arguments = try CommandLineInput.normalized(Array(CommandLine.arguments.dropFirst()))
            var command = try LRBench.parseAsRoot(arguments)
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            switch LRBench.exitCode(for: error) {
            case .validationFailure:
                let message = LRBench.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
                exit(fail(SpecUsageError(message + " (see 'lrbench help')")).rawValue)
            case .success:
                LRBench.exit(withError: error)  // --help, --version: the text on stdout, status 0
            default:
                exit(fail(error).rawValue)
            }
        }
    }
}

/// Prints an error as one line (a list of errors: one line each) and gives status 2.
func fail(_ error: Error) -> ExitCode {
    let text = describe(error)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let first = lines.first.map(String.init) ?? ""
    // A multi-line message is either a list of errors (each gets the prefix) or one error with a caret.
    let list = error is ConfigErrors
    let body = list ? lines.map { "error: " + $0 }.joined(separator: "\n") : "error: " + first + (lines.count > 1 ? "\n" + lines.dropFirst().joined(separator: "\n") : "")
    FileHandle.standardError.write(Data((body + "\n").utf8))
    return ExitCode(2)
}

/// An error's own text: lrbench's errors describe themselves; Foundation's file errors name
/// their path and the system's reason, never "(NSCocoaErrorDomain error 512.)".
func describe(_ error: Error) -> String {
    if let e = error as? CocoaError {
        let reason = (e.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) }
            ?? e.underlying.map(describe) ?? "error \(e.code.rawValue)"
        return (e.filePath ?? e.url?.path).map { "\($0): \(reason)" } ?? reason
    }
    if let e = error as? POSIXError { return String(cString: strerror(e.code.rawValue)) }
    if let e = error as? LocalizedError, let text = e.errorDescription { return text }
    return "\(error)"
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
