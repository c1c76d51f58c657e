import Run
import GradientTransforms
import Optimizers
import Problems
import Schedules
import Specs

/// A method: one optimizer × schedule × transform chain, as positions in the sweep file's lists
/// (so listings follow the file's order). What the report compares across problems.
public struct Method: Hashable, Sendable, Comparable {
    public var optimizer: Int
    public var schedule: Int
    public var transform: Int

    public init(optimizer: Int, schedule: Int, transform: Int) {
        self.optimizer = optimizer
        self.schedule = schedule
        self.transform = transform
    }

    public static func < (a: Method, b: Method) -> Bool {
        (a.optimizer, a.schedule, a.transform) < (b.optimizer, b.schedule, b.transform)
    }
}

/// One problem × method: a row of the summary, as positions in the sweep file's lists. Its
/// identity in files and across sweeps is `SweepPlan.key(_:)` (a `CombinationKey`, the specs
/// as written): positions order and index, the key names.
public struct Combination: Hashable, Sendable, Comparable {
    public var problem: Int
    public var method: Method

    public init(problem: Int, method: Method) {
        self.problem = problem
        self.method = method
    }

    public var optimizer: Int { method.optimizer }
    public var schedule: Int { method.schedule }
    public var transform: Int { method.transform }

    public static func < (a: Combination, b: Combination) -> Bool {
        (a.problem, a.method) < (b.problem, b.method)
    }
}

/// One run to do: a combination, a phase, a base rate and a seed.
public struct PlannedRun: Sendable {
    public var combination: Combination
    public var phase: Phase
    public var lr: Double
    public var seed: UInt64
    public var id: String
}

/// The expansion of a sweep file into combinations and runs, with stable ids.
public struct SweepPlan: Sendable {
    public let config: SweepConfig
    /// The combinations this shard owns, in file order.
    public let combinations: [Combination]
    public let shard: Shard
    /// Methods replaced for this plan only (tests of the regression gate); `.none` otherwise.
    public let overrides: MethodOverrides

    public struct Shard: Sendable, Equatable, CustomStringConvertible {
        public var index: Int  // 1-based
        public var count: Int
        public static let whole = Shard(index: 1, count: 1)
        public var description: String { "\(index)/\(count)" }

        /// Parses `k/N` with 1 ≤ k ≤ N.
        public init?(parsing text: String) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
            index = k
            count = n
        }

        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }
    }

    public init(config: SweepConfig, shard: Shard = .whole, overrides: MethodOverrides = .none) {
        self.config = config
        self.shard = shard
        self.overrides = overrides
        var all: [Combination] = []
        for p in config.problems.indices {
            for o in config.optimizers.indices {
                for s in config.schedules.indices where config.plans(problem: p, optimizer: o, schedule: s) {
                    for t in config.transforms.indices {
                        all.append(Combination(problem: p, method: Method(optimizer: o, schedule: s, transform: t)))
                    }
                }
            }
        }
        // Round-robin over the file order: shards get nearly equal numbers of combinations, and
        // every run of a combination (its tuning and its evaluation) stays in one shard.
        combinations = all.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }

    // MARK: Names and resolved specs

    public func problemName(_ c: Combination) -> String { config.problems[c.problem].name }
    public func optimizerName(_ c: Combination) -> String { config.optimizers[c.optimizer].description }
    public func scheduleName(_ c: Combination) -> String { config.schedules[c.schedule].description }
    public func transformName(_ c: Combination) -> String { SweepConfig.chainName(config.transforms[c.transform]) }

    public func optimizer(_ c: Combination) throws -> any Optimizer {
        try overrides.optimizer(BudgetExpression.resolve(config.optimizers[c.optimizer], budget: config.problems[c.problem].budget))
    }

    public func schedule(_ c: Combination) throws -> any Schedule {
        try overrides.schedule(BudgetExpression.resolve(config.schedules[c.schedule], budget: config.problems[c.problem].budget))
    }

    public func transforms(_ c: Combination) throws -> TransformChain {
        try TransformRegistry.chain(config.transforms[c.transform])
    }

    // MARK: Runs

    /// The one-shot runs: the optimizer's default rate on every evaluation seed, for the
    /// combinations of the schedules `one_shot` names (all when it is `true`).
    public func oneShotRuns() throws -> [PlannedRun] {
        guard config.oneShot else { return [] }
        var runs: [PlannedRun] = []
        for c in combinations where config.oneShotSchedules?.contains(c.schedule) ?? true {
            let lr = try optimizer(c).defaultLearningRate
            for seed in config.evaluationSeeds { runs.append(try plan(c, .oneShot, lr: lr, seed: seed)) }
        }
        return runs
    }

    /// The tuning runs the rate searches ask for next, given the records so far: the grid first,
    /// then extensions and refinements, round by round; empty when every search is done.
    public func pendingTuningRuns(records: [RunRecord]) throws -> [PlannedRun] {
        let pending = Tuning.pending(plan: self, records: records)
        var runs: [PlannedRun] = []
        for c in combinations {
            for lr in pending[c] ?? [] {
                for seed in config.tuningSeeds { runs.append(try plan(c, .tuning, lr: lr, seed: seed)) }
            }
        }
        return runs
    }

    /// Every run of the finished plan given the records: the tuning runs at every rate each
    /// search tried, the one-shot runs, and the evaluation runs at each chosen rate.
    public func plannedRuns(records: [RunRecord]) throws -> [PlannedRun] {
        let choices = Tuning.choose(plan: self, records: records)
        var runs: [PlannedRun] = []
        for c in combinations {
            for lr in choices[c]?.rates ?? [] {
                for seed in config.tuningSeeds { runs.append(try plan(c, .tuning, lr: lr, seed: seed)) }
            }
        }
        return runs + (try oneShotRuns()) + (try secondPhase(chosen: choices.mapValues(\.lr)))
    }

    /// The evaluation runs at each combination's chosen rate.
    public func secondPhase(chosen: [Combination: Double]) throws -> [PlannedRun] {
        var runs: [PlannedRun] = []
        for c in combinations {
            guard let lr = chosen[c] else { continue }
            for seed in config.evaluationSeeds { runs.append(try plan(c, .evaluation, lr: lr, seed: seed)) }
        }
        return runs
    }

    /// A run's id: a hash of everything that determines its result, and the record format.
    public func plan(_ c: Combination, _ phase: Phase, lr: Double, seed: UInt64) throws -> PlannedRun {
        let p = config.problems[c.problem]
        let key = [
            "format=\(RunRecord.formatVersion)",
            "phase=\(phase.rawValue)",
            "problem=\(p.spec.description)",
            "budget=\(p.budget)",
            "interval=\(p.evaluationInterval)",
            "targets=\(p.targets.map(\.description).joined(separator: ","))",
            "primary=\(p.primary ?? "")",
            "optimizer=\(try optimizer(c).spec.description)",
            "schedule=\(try schedule(c).spec.description)",
            "transforms=\(try transforms(c).description)",
            "lr=\(lr.bitPattern)",
            "seed=\(seed)",
            "stop=\(config.stopRule.divergenceFactor),\(config.stopAtTarget),\(config.stopRule.patience.map(String.init) ?? "-")",
        ].joined(separator: "\n")
        return PlannedRun(combination: c, phase: phase, lr: lr, seed: seed, id: Self.hash(key))
    }

    /// 128 bits of two FNV-1a hashes, as hex: stable across processes and machines.
    static func hash(_ text: String) -> String {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325
        var b: UInt64 = 0x8422_2325_CBF2_9CE4
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x100_0000_01B3
            b = (b << 13) | (b >> 51)
        }
        func hex(_ x: UInt64) -> String {
            let s = String(x, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return hex(a) + hex(b)
    }
}

extension SweepPlan {
    /// The identity of a planned combination.
    public func key(_ c: Combination) -> CombinationKey {
        CombinationKey(problem: problemName(c), optimizer: optimizerName(c), schedule: scheduleName(c), transforms: transformName(c))
    }
}
