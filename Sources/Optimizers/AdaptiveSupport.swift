import Foundation

// Helpers shared by the learning-rate-free methods (D-Adaptation, Prodigy, Mechanic).

/// Σ aᵢbᵢ in index order, as `torch.dot` adds for small vectors.
@inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s = 0.0
    for i in 0..<n { s += a[i] * b[i] }
    return s
}

/// The Adam bias correction D-Adaptation Adam and Prodigy fold into their step dlr at update k
/// (0-based), as dadapt_adam.py and prodigy.py write it: √(1 − β2^(k+1))/(1 − β1^(k+1)) with
/// use_bias_correction, else 1.
@inline(__always)
func adaptedBiasCorrection(beta1: Double, beta2: Double, k: Int, enabled: Bool) -> Double {
    enabled ? pow(1 - pow(beta2, Double(k + 1)), 0.5) / (1 - pow(beta1, Double(k + 1))) : 1
}

/// D-Adaptation's lower bound d on the distance to the solution (Defazio & Mishchenko 2023,
/// arXiv:2301.07733), as dadapt_sgd.py and dadapt_adam.py carry it: d starts at d0, and each
/// counted update sets d ← max(d, min(d̂, d·growth_rate)) and keeps its numerator for the next.
struct DAdaptationEstimate {
    var d: Double
    /// The numerator of d̂, carried across updates (the references' `numerator_weighted`).
    var numeratorWeighted = 0.0

    init(d0: Double) {
        d = d0
    }

    @inline(__always)
    mutating func accept(dHat: Double, numerator: Double, growthRate: Double) {
        d = Swift.max(d, Swift.min(dHat, d * growthRate))
        numeratorWeighted = numerator
    }
}


/// The step of Prodigy and D-Adapt Adam, lanes at a time (`forEachLane`): denom = √v + eps; the
/// decoupled decay x ← x + decay·x when `decoupled` (decay = −weight_decay·dlr: their
/// `p.add_(p, alpha=-decay*dlr)`); then
/// x ← x + step·(m/denom), or, without m (β1 = 0), x ← x + step·(g/denom) with g's L2 term.
struct AdaptiveStepLanes: LaneBody {
    let x: UnsafeMutablePointer<Double>
    let m: UnsafeMutablePointer<Double>?
    let v: UnsafeMutablePointer<Double>
    let g: UnsafePointer<Double>
    let l2, eps: Double
    let decoupled: Bool
    let decay, step: Double

    typealias Scalar = Double

    @inline(__always) func callAsFunction<V: Lane>(_: V.Type, _ i: Int) where V.Scalar == Double {
        let denom = v.lane(i, as: V.self).squareRoot() + V(repeating: eps)
        var xi: V = x.lane(i)
        if decoupled { xi = xi + V(repeating: decay) * xi }
        if let m {
            xi = xi + V(repeating: step) * (m.lane(i) / denom)
        } else {
            xi = xi + V(repeating: step) * (l2Decayed(g.lane(i), xi, l2) / denom)
        }
        x.setLane(i, xi)
    }
}
