import GradientTransforms
import LinearAlgebra
import Optimizers
import Problems
import Schedules

/// K ≥ 1 runs of one problem instance advancing in lockstep (README, "Batched runs"): the one run
/// loop. A lone run (`RunWorkspace`) is a group of one on the problem's lone objective; a sweep's
/// group (`SweepRunner.execute(group:)`) shares one `BatchObjective`, whose one
/// `sampleLossAndGradient` per step serves every member still running and one `evaluate` per
/// evaluation step every member due. Each member keeps its own optimizer state, schedule
/// controller, transform state, stop rules and observer; a member that stops (target, divergence,
/// plateau, budget) leaves the group, its slot nil from then on.
///
/// Member k's observer calls and outcome equal, bit for bit apart from timings, those of the same
/// run alone: the step order is written once (`run(observers:abandon:)`), and the batch
/// objective's contract makes each member's losses, gradients and metrics those of a lone objective.
///
/// Timings: alone, a run's update seconds are its wall-clock minus its evaluations (the clock is
/// read at evaluations and the end only, so the loop adds no clock reads per step). In a group, a
/// member's update seconds are its own work (schedule, transforms, optimizer, observer, timed
/// around it) plus an equal share of each shared gradient call among the members in that call;
/// its evaluation seconds are an equal share of each shared `evaluate` call among the members
/// evaluated. The shares of one call add up to the call's time, so the group's seconds add up to
/// its wall-clock (one thread).
///
/// Wall-clock-driven schedules and line searches (`LossOracleState`) only run alone
/// (`RunSetup.isBatchable`): a line search's trial losses need the lone objective's last sample.
/// The loop allocates nothing: members, progress, pointer arrays and buffers are set up in `init`.
///
/// Precision (README, "float32 end to end"): a member whose problem is float32 and whose optimizer
/// has a float32 state (`RunSetup.isFloat32`) runs with x, its gradient and its optimizer state in
/// Float; every other member in Double. A group's float64 and float32 members are two loops
/// (`BatchLoop<Double>`, `BatchLoop<Float>`), each on its own batch objective, run one after the
/// other: a member's precision is its own, whatever it is grouped with, so the invariant holds.
public final class BatchRun {
    public let setups: [RunSetup]
    /// The float64 and the float32 members' loops (at least one is set), and where setup k is:
    /// its loop and its slot there.
    let double: BatchLoop<Double>?
    let single: BatchLoop<Float>?
    let placement: [(float32: Bool, slot: Int)]

    /// A group sharing a batch objective per precision. `setups`: at least one, all on the same
    /// problem instance (`===`) and all batchable. `objective`: the batch objective for the group's
    /// float64 members (default: `problem.makeBatchObjective(capacity:)`), with a slot for each.
    public convenience init(_ setups: [RunSetup], objective: (any BatchObjective)? = nil) {
        precondition(!setups.isEmpty, "a batch has at least one run")
        precondition(setups.allSatisfy(\.isBatchable), "wall-clock-driven schedules and line searches run alone (RunSetup.isBatchable)")
        let problem = setups[0].problem
        let float32 = setups.map(\.isFloat32)
        let doubles = setups.indices.filter { !float32[$0] }.map { setups[$0] }
        let singles = setups.indices.filter { float32[$0] }.map { setups[$0] }
        func batch(_ count: Int, _ given: (any BatchObjective)?) -> any BatchObjective {
            let b = given ?? problem.makeBatchObjective(capacity: count)
            precondition(b.capacity >= count, "the batch objective has \(b.capacity) slots for \(count) runs")
            return b
        }
        self.init(setups, float32: float32,
                  double: doubles.isEmpty ? nil : BatchLoop(doubles, lone: nil, batch: batch(doubles.count, objective)),
                  single: singles.isEmpty ? nil : BatchLoop(singles, lone: nil, batch: batch(singles.count, nil)))
    }

    /// One run alone, on its problem's lone objective (`Problem.makeObjective()`): any run, also a
    /// wall-clock-driven one or a line search.
    public convenience init(alone setup: RunSetup) {
        let lone = setup.problem.makeObjective()
        if setup.isFloat32 {
            self.init([setup], float32: [true], double: nil, single: BatchLoop([setup], lone: lone, batch: nil))
        } else {
            self.init([setup], float32: [false], double: BatchLoop([setup], lone: lone, batch: nil), single: nil)
        }
    }

    init(_ setups: [RunSetup], float32: [Bool], double: BatchLoop<Double>?, single: BatchLoop<Float>?) {
        self.setups = setups
        self.double = double
        self.single = single
        var next = (0, 0)
        placement = float32.map { f in
            defer { if f { next.1 += 1 } else { next.0 += 1 } }
            return (f, f ? next.1 : next.0)
        }
    }

    /// The lone objective of a run alone.
    var lone: (any Objective)? { double?.lone ?? single?.lone }

    /// Runs every member to its end, telling `observers[k]` what happens to member k (one observer
    /// per setup, in order): the float64 members' loop, then the float32 members'. Returns each
    /// member's outcome; nil for members still running when `abandon()` (asked every 64 steps)
    /// said to stop, whose observers are then incomplete.
    public func execute<O: RunObserver>(observers: inout [O], abandon: () -> Bool = { false }) -> [RunOutcome?] {
        precondition(observers.count == setups.count, "one observer per run")
        // The observers as existentials (the loops' observer type, `BatchLoop.run`), the float64
        // members' first, then the float32 members', each in slot order; the originals released
        // before the run, so that no observer's buffers are copied on its first write.
        let doubles = placement.indices.filter { !placement[$0].float32 }
        let order = doubles + placement.indices.filter { placement[$0].float32 }
        var arranged: [any RunObserver] = order.map { observers[$0] }
        observers.removeAll()
        arranged.withUnsafeMutableBufferPointer { run(arranged: $0, abandon: abandon) }
        var back = [Int](repeating: 0, count: order.count)
        for (position, k) in order.enumerated() { back[k] = position }
        observers = back.map { arranged[$0] as! O }
        return setups.indices.map(outcome)
    }

    /// Runs both loops: `all` holds the float64 members' observers in slot order, then the
    /// float32 members'. Each loop is called with its scalar and shape spelled out, so that every
    /// call is to a specialised loop (a generic helper here would run the loop unspecialised).
    func run(arranged all: UnsafeMutableBufferPointer<any RunObserver>, abandon: () -> Bool) {
        let doubles = double?.owned.count ?? 0
        let first = UnsafeMutableBufferPointer(rebasing: all[0..<doubles])
        let rest = UnsafeMutableBufferPointer(rebasing: all[doubles...])
        if let double {
            if double.lone != nil { double.run(observers: first, abandon: abandon, shape: Alone.self) } else { double.run(observers: first, abandon: abandon, shape: Grouped.self) }
        }
        if let single {
            if single.lone != nil { single.run(observers: rest, abandon: abandon, shape: Alone.self) } else { single.run(observers: rest, abandon: abandon, shape: Grouped.self) }
        }
    }

    /// Setup k's outcome after `run`: nil while it was still running when the run was abandoned.
    func outcome(_ k: Int) -> RunOutcome? {
        let p = placement[k]
        return p.float32 ? single!.progress[p.slot].outcome : double!.progress[p.slot].outcome
    }

    /// Member 0's stepLossIsTrainingLoss and reuse, for `RunWorkspace`.
    var first: (stepLossIsTrainingLoss: Bool, reuse: Bool) {
        if let double { return (double.owned[0].stepLossIsTrainingLoss, double.owned[0].reuse) }
        return (single!.owned[0].stepLossIsTrainingLoss, single!.owned[0].reuse)
    }

    /// Member 0's reported point, widened to Double, for `RunWorkspace`.
    var firstReportedPoint: [Double] {
        if let double { return Array(double.owned[0].state.reportedPoint) }
        return single!.owned[0].state.reportedPoint.map(Double.init)
    }
}
