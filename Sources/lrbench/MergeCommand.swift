import ArgumentParser
import Foundation
import Results
import Run
import Sweep

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the result folders of a sharded sweep into one result set.")

    @Argument(help: "The shards' result folders.") var directories: [String]
    @Option(help: "The merged results folder.") var out: String

    func validate() throws {
        try CommandLineInput.checkOutputFolder(out, option: "--out")
    }

    func run() throws {
        let (count, rows) = try Merge.merge(directories.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: out))
        warn("merged \(count) runs, \(rows.count) combinations into \(out)")
    }
}
