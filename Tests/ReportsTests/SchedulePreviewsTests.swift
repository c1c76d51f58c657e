import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
@testable import Reports

/// The schedules as the sweep ran them (`schedules.csv`): written by the sweep, read by the report,
/// and today's code only for a folder without the file.
@Suite struct SchedulePreviewsTests {
    static let config = try! SweepConfig(yaml: tinySweepYAML)
    static var csv: String { try! String(contentsOf: TinySweep.folder.appendingPathComponent(SchedulePreviews.fileName), encoding: .utf8) }

    /// Each step-driven schedule over each problem budget, exact; none for loss_adaptive.
    @Test func theSweepStoresEachStepDrivenScheduleExactly() throws {
        let stored = try #require(try SchedulePreviews.read(TinySweep.folder, config: Self.config))
        #expect(stored == SchedulePreviews(config: Self.config))
        let (constant, warmup, lossAdaptive) = (Self.config.schedules[0], Self.config.schedules[1], Self.config.schedules[2])
        for budget in [60, 100] {
            #expect(stored.multiplier(constant, budget: budget) == [Double](repeating: 1, count: budget))
            let w = try #require(stored.multiplier(warmup, budget: budget))
            #expect(w == SchedulePreviews.multiplier(warmup, budget: budget))
            #expect(w.count == budget && w.max() == 1 && w[0] < 1)
            #expect(stored.multiplier(lossAdaptive, budget: budget) == nil)
        }
        #expect(stored.multiplier(constant, budget: 80) == nil)
        let lines = Self.csv.split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 2 * (60 + 100))
        #expect(lines[0] == "schedule,budget,step,factor")
        #expect(lines[1] == "constant,60,0,1.0")
        #expect(lines.contains { $0.hasPrefix("\"warmup(steps=budget/10, then=cosine(T_max=0.9*budget))\",100,99,") })
        // Shortest round trip: every factor reads back to the same Double.
        for l in lines.dropFirst() {
            let f = try #require(Double(String(l.split(separator: ",").last!)))
            #expect(Summary.num(f) == String(l.split(separator: ",").last!))
        }
    }

    @Test func theReportDrawsTheSchedulesFromTheFolder() throws {
        let dir = try TinySweep.copy("previews")  // without schedules.csv: today's code draws them
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try ResultSet.load(dir).previews == nil)
        let fromCode = try Report.generate(dir)
        let file = dir.appendingPathComponent(SchedulePreviews.fileName)
        try Self.csv.write(to: file, atomically: true, encoding: .utf8)
        #expect(try ResultSet.load(dir).previews != nil)
        #expect(try Report.generate(dir) == fromCode)
        // As if another version of constant had run: its stored rates, not today's, are drawn.
        let edited = Self.csv.replacingOccurrences(of: "\nconstant,60,59,1.0\n", with: "\nconstant,60,59,0.5\n")
        #expect(edited != Self.csv)
        try edited.write(to: file, atomically: true, encoding: .utf8)
        let changed = try Report.generate(dir)
        #expect(changed.markdown == fromCode.markdown)
        let differing = changed.figures.filter { f in fromCode.figures.first { $0.name == f.name } != f }.map(\.name)
        #expect(differing == ["schedules-budget-60.svg"])
        // A stored schedule without rows is run-dependent: with constant's rows gone, its rates
        // are no longer drawn among the step-driven ones.
        let without = Self.csv.split(separator: "\n").filter { !$0.hasPrefix("constant,") }.joined(separator: "\n") + "\n"
        try without.write(to: file, atomically: true, encoding: .utf8)
        let schedules = try #require(try Report.generate(dir).figures.first { $0.name == "schedules-budget-60.svg" })
        #expect(!schedules.svg.contains(">constant</text>"))
        #expect(try #require(fromCode.figures.first { $0.name == "schedules-budget-60.svg" }).svg.contains(">constant</text>"))
    }

    @Test func aMalformedFileIsOneLineAndWritesNothing() throws {
        let cases: [(String, (String) -> String, String)] = [
            ("foreign", { $0 + "\"cosine(T_max=budget)\",60,0,1.0\n" }, "schedule must be one of sweep.yaml's"),
            ("truncated", { String($0.split(separator: "\n").dropLast().joined(separator: "\n")) + "\n" }, "has 99 rows, expected 100"),
            ("gap", { $0.replacingOccurrences(of: "\nconstant,60,1,1.0\n", with: "\n") }, "step must be 1"),
            ("number", { $0.replacingOccurrences(of: "\nconstant,60,1,1.0\n", with: "\nconstant,60,1,one\n") }, "factor must be a number"),
            ("header", { "schedule,budget,factor\n" + $0.split(separator: "\n").dropFirst().joined(separator: "\n") }, "not a schedules.csv"),
        ]
        for (name, edit, message) in cases {
            let dir = try TinySweep.copy("previews-\(name)")
            defer { try? FileManager.default.removeItem(at: dir) }
            try edit(Self.csv).write(to: dir.appendingPathComponent(SchedulePreviews.fileName), atomically: true, encoding: .utf8)
            do { try Report.write(dir); Issue.record("\(name): expected an error") } catch let e as ReportError {
                #expect(e.description.contains(SchedulePreviews.fileName) && e.description.contains(message), "\(name): \(e.description)")
                #expect(!e.description.contains("\n"))
            }
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("REPORT.md").path))
        }
    }

    /// As meta.json: a rerun that ran nothing leaves the file as it was; a folder without it gets it.
    @Test func aRerunThatRanNothingKeepsTheStoredSchedules() throws {
        let dir = temporaryDirectory("previews-rerun")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir)
        try FileManager.default.copyItem(at: TinySweep.folder, to: dir)
        let file = dir.appendingPathComponent(SchedulePreviews.fileName)
        let edited = Self.csv.replacingOccurrences(of: "\nconstant,60,59,1.0\n", with: "\nconstant,60,59,0.5\n")
        try edited.write(to: file, atomically: true, encoding: .utf8)
        #expect(try runSweep(tinySweepYAML, workers: 1, into: dir).executed == 0)
        #expect(try String(contentsOf: file, encoding: .utf8) == edited)
        try FileManager.default.removeItem(at: file)
        #expect(try runSweep(tinySweepYAML, workers: 1, into: dir).executed == 0)
        #expect(try String(contentsOf: file, encoding: .utf8) == SchedulePreviews(config: Self.config).csv)
    }
}
