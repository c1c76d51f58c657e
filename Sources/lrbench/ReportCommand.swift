import ArgumentParser
import Foundation
import Reports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write REPORT.md and figures for a result folder.",
        discussion: """
        lrbench report DIR writes DIR/REPORT.md and DIR/figures/*.svg from DIR's runs.jsonl, \
        sweep.yaml and meta.json. The same files always give the same bytes.
        lrbench report --compare A B [--out DIR] sets two result sets side by side (B against the \
        baseline A, from summary.csv and targets.csv, with the regression gate's verdicts) and \
        writes COMPARE.md into DIR (default: B).
        """)

    @Argument(help: "The result folder (with --compare: the baseline A and the result B).") var directories: [String] = []
    @Flag(help: "Compare two result folders: A (baseline) and B.") var compare = false
    @Option(help: "With --compare: where to write COMPARE.md (default: B).") var out: String?

    func validate() throws {
        if compare {
            guard directories.count == 2 else {
                throw ReportError("--compare needs two result folders, A (baseline) and B; got \(directories.count)")
            }
            if let out { try CommandLineInput.checkOutputFolder(out, option: "--out") }
        } else {
            guard directories.count == 1 else {
                throw ReportError(directories.isEmpty ? "give a result folder, e.g. lrbench report results/standard"
                                                      : "give one result folder (or --compare A B); got \(directories.count)")
            }
            if out != nil { throw ReportError("--out is for --compare; the report goes into the result folder") }
        }
    }

    func run() throws {
        if compare {
            try Compare.write(a: URL(fileURLWithPath: directories[0]), b: URL(fileURLWithPath: directories[1]),
                              out: out.map { URL(fileURLWithPath: $0) })
            warn("wrote \((out ?? directories[1]) + "/COMPARE.md")")
        } else {
            let result = try Report.write(URL(fileURLWithPath: directories[0]))
            warn("wrote \(directories[0])/REPORT.md and \(result.figures.count) figures in \(directories[0])/figures")
        }
    }
}
