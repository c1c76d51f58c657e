// The power study behind README "Statistics: how uncertain is an answer": how well the paired
// tests of `Statistics` separate methods with n = 10 seeds, and whether they keep their error
// rates. Simulated log-steps on seed i of candidate k are
//
//     x_{k,i} = μ_k + u_i + ε_{k,i},   u_i ~ N(0, 1) (the seed's own difficulty, common to all),
//                                      ε_{k,i} ~ N(0, ½),
//
// so a paired difference x_B − x_A has standard deviation 1 and δ = μ_B − μ_A is in units of
// it. Steps are exp(x) (the tests run on the log scale).
//
//     swift run -c release StatisticsPower [reps] [sections, e.g. 1,2,3]
//
// Deterministic: every replicate is seeded.

import SeededRandom
import Statistics
import Foundation

let reps = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2000 : 2000
let sections = CommandLine.arguments.count > 2 ? Set(CommandLine.arguments[2].split(separator: ",").map(String.init)) : ["1", "2", "3"]
let n = 10
let alpha = 0.05

func simulate(_ mus: [Double], seeds n: Int, stream: inout RandomStream) -> [[Double]] {
    let u = (0..<n).map { _ in stream.gaussian() }
    return mus.map { mu in (0..<n).map { i in (mu + u[i] + stream.gaussian(mean: 0, sd: 0.5.squareRoot())).exp } }
}

extension Double {
    var exp: Double { Foundation.exp(self) }
}

func fmt(_ x: Double) -> String {
    let r = (x * 1000).rounded() / 1000
    return "\(r)"
}

enum Test: CaseIterable {
    case wilcoxon, bootstrap2000, bootstrap10000
    var name: String {
        switch self {
        case .wilcoxon: return "Wilcoxon (exact)"
        case .bootstrap2000: return "paired bootstrap R=2000"
        case .bootstrap10000: return "paired bootstrap R=10000"
        }
    }
    var kind: PairedTestKind { self == .wilcoxon ? .wilcoxon : .pairedBootstrap }
    var resamples: Int { self == .bootstrap10000 ? 10000 : 2000 }
    func p(_ a: [Double], _ b: [Double], seed: UInt64) -> Double {
        switch self {
        case .wilcoxon: return try! Wilcoxon.test(a: a, b: b).pValue
        default: return try! PairedBootstrap.slowerTest(a: a, b: b, resamples: resamples, seed: seed).pValue
        }
    }
}

/// `r` replicates of K candidates on `seeds` seeds, candidate 0 better than the rest by δ; each
/// replicate's values go through `transform`, then `find` forms the group. Returns the table's
/// cells: FWER (δ = 0) or the share keeping candidate 0, the mean share of the others excluded,
/// the mean group size.
func groupTrials(
    k: Int, seeds: Int, replicates r: Int, delta: Double, seed: UInt64, label: String,
    transform: ([[Double]]) -> [[Double]] = { $0 }, find: ([[Double]], UInt64) -> TopGroup
) -> String {
    var stream = RandomStream(seed: seed, label: label)
    var kept = 0, excluded = 0, size = 0, anyExcluded = 0
    for rep in 0..<r {
        let x = transform(simulate([0] + Array(repeating: delta, count: k - 1), seeds: seeds, stream: &stream))
        let members = find(x, UInt64(rep)).members
        if members.contains(0) { kept += 1 }
        excluded += (k - 1) - members.filter { $0 != 0 }.count
        size += members.count
        if members.count < k { anyExcluded += 1 }
    }
    let first = delta == 0 ? "FWER \(fmt(Double(anyExcluded) / Double(r)))" : fmt(Double(kept) / Double(r))
    return "\(first) | \(fmt(Double(excluded) / Double(r * (k - 1)))) | \(fmt(Double(size) / Double(r)))"
}

// 1. One comparison at Holm's strictest threshold α/(K − 1): the best any single difference can do.
if sections.contains("1") {
    print("## One comparison, n = \(n) seeds: rejection rate of \"B slower\" at α/(K−1)\n")
    print("\(reps) replicates (\(max(reps / 5, 1)) for R = 10000). δ = 0: the false-rejection rate, which must be ≤ the level.\n")
    let ks = [2, 10, 14, 140]
    print("| test | δ (sd of paired difference) | " + ks.map { "K=\($0) (α/(K−1)=\(fmt(alpha / Double($0 - 1) * 1000))e-3)" }.joined(separator: " | ") + " |")
    print("|---|---|" + ks.map { _ in "---|" }.joined())
    for test in Test.allCases {
        for delta in [0.0, 0.1, 0.3, 1, 2] {
            var stream = RandomStream(seed: 2026, label: "power one \(delta)")
            var rejected = [Int](repeating: 0, count: ks.count)
            let r = test == .bootstrap10000 ? max(reps / 5, 1) : reps
            for rep in 0..<r {
                let x = simulate([0, delta], seeds: n, stream: &stream)
                let p = test.p(x[0], x[1], seed: UInt64(rep))
                for (j, k) in ks.enumerated() where p <= alpha / Double(k - 1) { rejected[j] += 1 }
            }
            print("| \(test.name) | \(delta) | " + rejected.map { fmt(Double($0) / Double(r)) }.joined(separator: " | ") + " |")
        }
    }
}

// 2. Whole top groups: K candidates, one better by δ (δ = 0: all identical).
if sections.contains("2") {
    print("\n## Top groups, α = \(alpha) family-wise (Holm)\n")
    print("Candidate 0 is better than the K − 1 others by δ; δ = 0: all identical.")
    print("δ = 0: FWER, the share of replicates excluding anyone although all are identical; otherwise")
    print("best kept: the share of replicates whose group contains candidate 0. Excluded: the mean share")
    print("of the slower K − 1 that the group leaves out (power).\n")
    print("| test | K | n | replicates | δ | FWER / best kept | excluded (power) | mean group size |")
    print("|---|---|---|---|---|---|---|---|")
    // Paired bootstrap at K = 140 is left out: with R = 2000 its p is at least 1/2001 > α/139.
    let groups: [(Test, Int, Int, Int)] = [
        (.wilcoxon, 10, 10, reps / 2), (.wilcoxon, 14, 10, reps / 2), (.wilcoxon, 140, 10, reps / 20),
        (.wilcoxon, 140, 20, reps / 20), (.bootstrap2000, 10, 10, reps / 4), (.bootstrap2000, 14, 10, reps / 4),
    ]
    for (test, k, seeds, r0) in groups {
        let r = max(r0, 1)
        for delta in [0.0, 0.3, 1, 2] {
            let cells = groupTrials(k: k, seeds: seeds, replicates: r, delta: delta, seed: 2027, label: "power group \(k) \(seeds) \(delta)") {
                try! TopGroup.find($0, test: test.kind, resamples: test.resamples, seed: $1)
            }
            print("| \(test.name) | \(k) | \(seeds) | \(r) | \(delta) | \(cells) |")
        }
    }
}

// 3. Steps as the harness measures them: evaluated every 10 steps (ties), a budget of 400 steps
// (+∞ beyond), steps = 10·⌈exp(5 + x/2)/10⌉; Wilcoxon, Holm against Bonferroni, K = 10.
if sections.contains("3") {
    print("\n## Top groups on discrete, censored steps: K = 10, n = \(n), Wilcoxon, \(max(reps / 2, 1)) replicates\n")
    print("Steps 10·⌈exp(5 + x/2)/10⌉ (median ≈ 150, evaluated every 10), +∞ beyond 400 (≈ 5 % of runs).")
    print("δ = 0: FWER (anyone excluded) and a given candidate wrongly excluded; δ > 0: best kept / slower excluded.\n")
    print("| correction | δ | FWER or best kept | excluded | mean group size |")
    print("|---|---|---|---|---|")
    let k = 10, r = max(reps / 2, 1)
    for correction in [FamilyWiseCorrection.holm, .bonferroni] {
        for delta in [0.0, 0.3, 1, 2] {
            let cells = groupTrials(
                k: k, seeds: n, replicates: r, delta: delta, seed: 2028,
                label: "power discrete \(delta)",
                transform: { x in
                    x.map { row in
                        row.map { e -> Double in
                            let s = 10 * (Foundation.exp(5 + Foundation.log(e) / 2) / 10).rounded(.up)
                            return s > 400 ? .infinity : s
                        }
                    }
                },
                find: { try! TopGroup.find($0, correction: correction, seed: $1) })
            print("| \(correction) | \(delta) | \(cells) |")
        }
    }
}
