import Run
import Foundation

/// The lines of a text file, read as bytes: split on LF (0x0A), a CR (0x0D) before it stripped,
/// so that LF and CRLF files read alike. (`String.split(separator: "\n")` cannot do this: Swift
/// treats "\r\n" as one Character, which never equals "\n", so a CRLF file reads as one line.)
public struct ByteLines {
    public struct Line {
        /// 1-based.
        public var number: Int
        /// The line's bytes without its line end.
        public var bytes: ArraySlice<UInt8>
        /// Offset of the first byte, and just past the line end (the file's length for the tail).
        public var start: Int
        public var end: Int
        /// Ended by LF; false only for a last line without a line end.
        public var terminated: Bool

        public var isEmpty: Bool { bytes.isEmpty }

        /// The offset (within the line) of the first byte that is not valid UTF-8, nil when valid.
        public var firstInvalidUTF8: Int? {
            var it = bytes.makeIterator()
            var decoder = UTF8()
            var offset = 0
            while true {
                switch decoder.decode(&it) {
                case .scalarValue(let s): offset += UTF8.width(s)
                case .emptyInput: return nil
                case .error: return offset
                }
            }
        }

        /// The line as text (check `firstInvalidUTF8` first: invalid bytes become U+FFFD).
        public var text: String { String(decoding: bytes, as: UTF8.self) }

        /// The line as text, or an error naming `path`, the line and the byte that is not UTF-8.
        public func utf8(path: String) throws -> String {
            if let bad = firstInvalidUTF8 {
                throw SweepError("\(path):\(number): not valid UTF-8 (byte \(bad + 1) of the line, 0x\(String(bytes[bytes.startIndex + bad], radix: 16)))")
            }
            return text
        }
    }

    public let lines: [Line]
    /// Offset just past the last LF: where the complete lines end.
    public let completeLength: Int

    public init(_ data: Data) {
        let bytes = [UInt8](data)
        var lines: [Line] = []
        var start = 0
        var number = 1
        for i in bytes.indices where bytes[i] == 0x0A {
            var stop = i
            if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
            lines.append(Line(number: number, bytes: bytes[start..<stop], start: start, end: i + 1, terminated: true))
            start = i + 1
            number += 1
        }
        completeLength = start
        if start < bytes.count {
            var stop = bytes.count
            if bytes[stop - 1] == 0x0D { stop -= 1 }
            lines.append(Line(number: number, bytes: bytes[start..<stop], start: start, end: bytes.count, terminated: false))
        }
        self.lines = lines
    }
}
