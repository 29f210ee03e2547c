/// Reads one inline scalar — quoted or plain — from a line of a recipe.
struct ScalarScanner {
    let characters: [Character]
    let line: Int
    let file: String
    var index = 0

    init(characters: [Character], line: Int, file: String) {
        self.characters = characters
        self.line = line
        self.file = file
    }

    var peek: Character? { index < characters.count ? characters[index] : nil }

    func fail(_ message: String) -> ImageError {
        ImageError(.invalidRecipe, "\(file):\(line + 1)", message)
    }

    mutating func skipSpaces() {
        while peek == " " { index += 1 }
    }

    /// Only spaces or a comment may follow.
    mutating func expectEnd() throws {
        skipSpaces()
        guard peek == nil || peek == "#" else { throw fail("unexpected '\(String(characters[index...]))' after the value") }
    }

    mutating func scalar(stoppingAt stops: Set<Character>) throws -> String {
        skipSpaces()
        switch peek {
        case "\"": return try doubleQuoted()
        case "'": return try singleQuoted()
        case let first? where "&*!%@`|>{[".contains(first):
            throw fail("a value starting with '\(first)' is not supported here; put it in quotes")
        default:
            var text = ""
            while let character = peek, !stops.contains(character) {
                if character == "#" && (text.isEmpty || text.last == " ") { break }
                text.append(character)
                index += 1
            }
            while text.last == " " { text.removeLast() }
            return text
        }
    }

    private mutating func singleQuoted() throws -> String {
        index += 1
        var text = ""
        while let character = peek {
            index += 1
            if character == "'" {
                guard peek == "'" else { return text }
                index += 1
            }
            text.append(character)
        }
        throw fail("a '…' value must close on the same line")
    }

    private mutating func doubleQuoted() throws -> String {
        index += 1
        var text = ""
        while let character = peek {
            index += 1
            if character == "\"" { return text }
            guard character == "\\" else {
                text.append(character)
                continue
            }
            guard let escape = peek else { break }
            index += 1
            switch escape {
            case "n": text.append("\n")
            case "t": text.append("\t")
            case "r": text.append("\r")
            case "0": text.append("\0")
            case "\"", "\\", "/", " ": text.append(escape)
            case "x", "u", "U":
                let width = escape == "x" ? 2 : escape == "u" ? 4 : 8
                let digits = String(characters[index..<min(index + width, characters.count)])
                guard digits.count == width, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                    throw fail("a malformed \\\(escape) escape")
                }
                text.unicodeScalars.append(scalar)
                index += width
            default: throw fail("unknown escape \\\(escape) in a \"…\" value")
            }
        }
        throw fail("a \"…\" value must close on the same line")
    }
}
