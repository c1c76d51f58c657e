import Testing
@testable import Specs

/// The parameter-table entry kinds schedules and transforms declare theirs with
/// (ParameterTableEntries+Schedules.swift): what each lists, reads, refuses and writes.
@Suite struct ScheduleEntryKindTests {
    enum Shape: String, CaseIterable, Sendable { case linear, cosine, sqrt }

    struct Config {
        var steps = 0
        var start = 0.0
        var peak: Double?
        var best: Double?
        var down: Int?
        var marks: [Int] = []
        var scales: [Double] = []
        var shape = Shape.linear
        var threshold = 0.0
        var then = Spec(name: "constant")
        var children: [Spec] = []
        var norm = 0.0
        var gamma = 0.0
    }

    static let table = ParameterTable<Config>([
        .requiredInteger("steps", \.steps, .nonNegative, "a length"),
        .derivedNumber("start", \.start, shown: "1/(steps+1)", default: { 1 / Double($0.steps + 1) }, .unit, "from steps"),
        .optionalNumber("peak", \.peak, shown: "lr0", .nonNegative, "absent: lr0"),
        .optionalNumber("best", \.best, shown: "best", word: "best", .positive, "best or a number"),
        .optionalWholeNumber("down", \.down, shown: "steps", .nonNegative, "absent: steps"),
        .wholeNumbers("marks", \.marks, default: [], shown: "required", .atLeast(1), "indices"),
        .requiredNumbers("scales", \.scales, countOf: \.marks, .nonNegative, "one per mark"),
        .choice("shape", \.shape, default: .linear, "a word"),
        .dependentNumber("threshold", \.threshold, default: "0.5",
                         range: { $0["shape"]?.description == "sqrt" ? .nonNegative : .unit }, "range from shape"),
        .childSpec("then", \.then, default: Spec(name: "constant"), "a child"),
        .childSpecs("children", \.children, "children"),
        .describedNumber("norm", \.norm, default: "1", .positive, "written with description"),
        .requiredNumber("gamma", \.gamma, .positive, "required"),
    ])

    /// The required parameters, for specs that test another.
    static let base = "steps=0, marks=1, scales=1, children=constant, gamma=1"

    func read(_ text: String) throws -> Config {
        try Self.table.read(try Spec(parsing: text), into: Config())
    }

    func error(_ text: String) -> String? {
        do { _ = try read(text); return nil } catch { return "\(error)" }
    }

    @Test func listsEachDefaultAsShown() {
        #expect(Self.table.docs.map(\.defaultValue) == [
            "required", "1/(steps+1)", "lr0", "best", "steps", "required", "required", "linear", "0.5", "constant",
            "required", "1", "required",
        ])
    }

    @Test func readsDefaultsAndDerivedValues() throws {
        let c = try read("c(steps=3, scales=2, marks=10, children=constant;cosine(T_max=9), gamma=0.5)")
        #expect(c.steps == 3 && c.start == 0.25 && c.peak == nil && c.best == nil && c.down == nil)
        #expect(c.marks == [10] && c.scales == [2] && c.shape == .linear && c.threshold == 0.5 && c.norm == 1 && c.gamma == 0.5)
        #expect(c.then == Spec(name: "constant"))
        #expect(c.children.map(\.description) == ["constant", "cosine(T_max=9)"])
        let d = try read("c(steps=1, start=0, peak=2, best=best, down=0, marks=5;7, scales=1;0, shape=sqrt, threshold=3, then=linear(total_iters=2), children=constant, norm=2, gamma=1)")
        #expect(d.start == 0 && d.peak == 2 && d.best == nil && d.down == 0 && d.marks == [5, 7] && d.scales == [1, 0])
        #expect(d.shape == .sqrt && d.threshold == 3 && d.then.description == "linear(total_iters=2)" && d.norm == 2)
        #expect(try read("c(\(Self.base), best=0.5)").best == 0.5)
    }

    @Test func refusesWithOneLine() {
        let b = Self.base
        #expect(error("c(marks=1, scales=1, children=constant, gamma=1)") == "c: parameter 'steps' is required (a whole number in [0, 1000000000])")
        #expect(error("c(steps=0, marks=1, scales=1, children=constant)") == "c: parameter 'gamma' is required (> 0)")
        #expect(error("c(steps=0, marks=1, scales=1, gamma=1)") == "c: parameter 'children' is required (specs separated by ';')")
        #expect(error("c(steps=0, children=constant, gamma=1)") == "c: parameter 'scales' is required (a list such as 1;2)")
        #expect(error("c(steps=0, marks=1;2, scales=1, children=constant, gamma=1)")
                == "c: parameter 'scales' must have 2 values separated by ';', got '1'")
        #expect(error("c(\(b), best=worst)") == "c: parameter 'best' must be one of best, got 'worst'")
        #expect(error("c(\(b), shape=cubic)") == "c: parameter 'shape' must be one of linear, cosine, sqrt, got 'cubic'")
        #expect(error("c(\(b), threshold=2)") == "c: parameter 'threshold' must be in [0, 1], got 2.0")
        #expect(error("c(\(b), down=-1)") == "c: parameter 'down' must be a whole number in [0, 1000000000], got -1")
        #expect(error("c(\(b), start=2)") == "c: parameter 'start' must be in [0, 1], got 2.0")
        // An optional absent from the spec is still listed as allowed.
        #expect(error("c(\(b), dwn=1)")
                == "c: unknown parameter 'dwn'; allowed: best, children, down, gamma, marks, norm, peak, scales, shape, start, steps, then, threshold")
    }

    @Test func aRequiredWordSaysItsChoices() {
        struct Words { var shape = Shape.linear }
        let table = ParameterTable<Words>([.requiredChoice("shape", \.shape, "required")])
        #expect(table.docs.map(\.defaultValue) == ["required"])
        #expect(throws: SpecUsageError("w: parameter 'shape' is required (linear, cosine or sqrt)")) {
            try table.read(Spec(name: "w"), into: Words())
        }
    }

    /// The written spec leaves out what is absent, writes numbers exactly (`norm` in Swift's
    /// description), children as specs, and reads back to the same values.
    @Test func writesSpecsThatReadBack() throws {
        let c = try read("c(steps=4, marks=10;100, scales=0.5;0.1, then=cosine(T_max=90), children=constant;exponential(gamma=0.9), gamma=0.25)")
        let written = Self.table.writtenSpec("c", c)
        #expect(written.description == "c(steps=4, start=0.2, best=best, marks=10;100, scales=0.5;0.1, shape=linear, threshold=0.5, "
                + "then=cosine(T_max=90), children=constant;exponential(gamma=0.9), norm=1.0, gamma=0.25)")
        let parsed = try Spec(parsing: written.description)
        #expect(parsed == written)
        let back = try Self.table.read(parsed, into: Config())
        #expect(Self.table.writtenSpec("c", back) == written)
        var e = c
        e.peak = 0.1
        e.down = 3
        e.marks = []
        e.scales = []
        e.best = 2
        #expect(Self.table.writtenSpec("c", e).description == "c(steps=4, start=0.2, peak=0.1, best=2, down=3, shape=linear, "
                + "threshold=0.5, then=cosine(T_max=90), children=constant;exponential(gamma=0.9), norm=1.0, gamma=0.25)")
    }
}
