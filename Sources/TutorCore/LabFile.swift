import Foundation

extension LessonLoader {
    /// The lab of a lesson folder (`lab.yaml`) with its problems; nil when it has none.
    public func lab(folder: String) -> (lab: Lab?, diagnostics: [Diagnostic])? {
        let path = directory.appendingPathComponent(folder).appendingPathComponent("lab.yaml").path
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Lab.parse(String(decoding: data, as: UTF8.self), file: "\(folder)/lab.yaml")
    }
}
