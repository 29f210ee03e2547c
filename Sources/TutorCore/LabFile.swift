import Foundation

extension LessonLoader {
    /// The lab of a lesson folder (`lab.yaml`, read like every lesson file: CRLF and a
    /// BOM accepted, a folder or device in its place an error) with its problems; nil
    /// when it has none.
    public func lab(folder: String) -> (lab: Lab?, diagnostics: [Diagnostic])? {
        let path = directory.appendingPathComponent(folder).appendingPathComponent("lab.yaml").path
        let file = "\(folder)/lab.yaml"
        switch SourceFile.read(path) {
        case .success(let source):
            return Lab.parse(source, file: file)
        case .failure(.missing):
            return nil
        case .failure(let problem):
            return (nil, [Diagnostic(file: file, line: 1, message: problem.message("lab.yaml"))])
        }
    }
}
