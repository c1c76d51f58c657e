import ArgumentParser
import Run
import Sweep
import Specs

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every problem, optimizer, schedule and gradient transform, with parameters and defaults.")

    @Argument(help: "Only this kind: problems, optimizers, schedules or transforms.")
    var kind: String?

    func validate() throws {
        if let kind, !["problems", "optimizers", "schedules", "transforms"].contains(kind) {
            throw ValidationError("kind must be one of problems, optimizers, schedules, transforms; got '\(kind)'")
        }
    }

    func run() throws {
        var out = Output()
        out.line("Spec syntax: name(key=value, ...); lists with ';' (betas=0.9;0.999); nested specs allowed.")
        for (title, entries) in Methods.catalogs {
            if let kind, !title.lowercased().hasPrefix(kind.dropLast()) { continue }
            out.line("")
            out.line("\(title):")
            for entry in entries {
                out.line("  \(entry.signature)")
                out.line("      \(entry.summary)")
                for p in entry.parameters {
                    out.line("      \(p.name) = \(p.defaultValue): \(p.summary)")
                }
                if !entry.reference.isEmpty { out.line("      reference: \(entry.reference)") }
            }
        }
        out.flush()
    }
}
