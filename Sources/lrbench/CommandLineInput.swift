import Foundation
import Specs

/// Reads the raw command line before ArgumentParser does, for what it gets wrong.
enum CommandLineInput {
    /// `--lr -1` becomes `--lr=-1`, so that a negative number after an option is its value (and
    /// gets the option's range message) instead of "Missing value". A number beyond a double's
    /// range (`--lr 1e400`) is refused here with "out of range" rather than read as infinity.
    static func normalized(_ arguments: [String]) throws -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { out += arguments[i...]; break }
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                try checkRange(String(a[..<eq]), String(a[a.index(after: eq)...]))
                out.append(a)
            } else if a.hasPrefix("--"), a.count > 2, i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--") {
                let value = arguments[i + 1]
                try checkRange(a, value)
                if isNegativeNumber(value) {
                    out.append(a + "=" + value)
                    i += 1
                } else {
                    out.append(a)
                }
            } else {
                out.append(a)
            }
            i += 1
        }
        return out
    }

    static func isNegativeNumber(_ s: String) -> Bool {
        s.count > 1 && s.hasPrefix("-") && looksNumeric(String(s.dropFirst()))
    }

    /// Digits with an optional point and exponent (not `inf` or `nan`, which are words).
    static func looksNumeric(_ s: String) -> Bool {
        s.range(of: #"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil
    }

    static func checkRange(_ option: String, _ value: String) throws {
        if looksNumeric(value), let x = Double(value), !x.isFinite {
            throw SpecUsageError("\(option): the number '\(value)' is out of range (a double holds magnitudes up to 1.7976931348623157e308)")
        }
    }

    /// Throws one line unless `path` can be a results folder: an existing writable folder, or
    /// one that can be created (its nearest existing ancestor is a writable folder, not a file).
    static func checkOutputFolder(_ path: String, option: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        var url = URL(fileURLWithPath: path).standardizedFileURL
        if fm.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw SpecUsageError("\(option): '\(path)' is a file, not a folder") }
            guard fm.isWritableFile(atPath: url.path) else { throw SpecUsageError("\(option): the folder '\(path)' is not writable") }
            return
        }
        while !fm.fileExists(atPath: url.path, isDirectory: &isDirectory), url.path != "/" {
            url.deleteLastPathComponent()
        }
        guard isDirectory.boolValue else {
            throw SpecUsageError("\(option): cannot create the folder '\(path)': '\(url.path)' is a file, not a folder")
        }
        guard fm.isWritableFile(atPath: url.path) else {
            throw SpecUsageError("\(option): cannot create the folder '\(path)': '\(url.path)' is not writable")
        }
    }
}

extension CommandLineInput {
    /// `--workers` at most: more threads than this only add contention.
    static let maxWorkers = 1024
}

