// The budget-expression language of sweep files (`T_max=budget`, `steps=budget/10`).

import Run
import Foundation
import Specs

/// Lengths written relative to a problem's budget: `T_max=budget`, `total_iters=budget/10`,
/// `steps=0.05*budget`, `milestones=budget/2;3*budget/4`. A word with `budget` is evaluated
/// (+, −, ×, / on numbers and `budget`, left to right with the usual precedence) and rounded to
/// the nearest whole number.
public enum BudgetExpression {
    public static func resolve(_ spec: Spec, budget: Int) throws -> Spec {
        var out = spec
        for i in out.arguments.indices {
            out.arguments[i].value = try resolve(out.arguments[i].value, budget: budget, context: spec.name + "." + out.arguments[i].key)
        }
        return out
    }

    static func resolve(_ value: SpecValue, budget: Int, context: String) throws -> SpecValue {
        switch value {
        case .number: return value
        case .spec(let s): return .spec(try resolve(s, budget: budget))
        case .list(let items): return .list(try items.map { try resolve($0, budget: budget, context: context) })
        case .word(let w):
            guard w.contains("budget") else { return value }
            let x = try evaluate(w, budget: Double(budget), context: context)
            let rounded = x.rounded()
            return .number(rounded, text: abs(rounded) < 1e15 ? String(Int(rounded)) : "\(rounded)")
        }
    }

    /// Evaluates `a op b op c …` with numbers and `budget`; * and / bind tighter than + and −.
    public static func evaluate(_ text: String, budget: Double, context: String) throws -> Double {
        var tokens: [String] = []
        var current = ""
        for c in text {
            if "+-*/".contains(c), !current.isEmpty, !(c == "-" || c == "+") || !(current.last == "e" && Double(String(current.dropLast())) != nil) {
                tokens.append(current)
                tokens.append(String(c))
                current = ""
            } else {
                current.append(c)
            }
        }
        tokens.append(current)
        func operand(_ t: String) throws -> Double {
            if t == "budget" { return budget }
            if let v = Double(t), v.isFinite { return v }
            throw SpecUsageError("\(context): cannot read '\(text)': '\(t)' is neither a number nor budget (write e.g. budget/10 or 0.9*budget)")
        }
        guard tokens.count % 2 == 1 else { throw SpecUsageError("\(context): cannot read '\(text)'") }
        // Fold * and / first, then + and −.
        var terms: [Double] = [try operand(tokens[0])]
        var signs: [Double] = [1]
        var i = 1
        while i < tokens.count {
            let op = tokens[i], rhs = try operand(tokens[i + 1])
            switch op {
            case "*": terms[terms.count - 1] *= rhs
            case "/":
                guard rhs != 0 else { throw SpecUsageError("\(context): division by zero in '\(text)'") }
                terms[terms.count - 1] /= rhs
            case "+": terms.append(rhs); signs.append(1)
            default: terms.append(rhs); signs.append(-1)
            }
            i += 2
        }
        return zip(terms, signs).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
