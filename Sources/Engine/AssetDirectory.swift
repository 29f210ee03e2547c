import Foundation

/// The `Assets` directory of this installation (image recipes), found as the lessons
/// are: `$CTUTOR_ASSETS`, then beside the executable or up to six levels above it (a
/// build directory inside the repository), then `share/ctutor/Assets`.
public enum AssetDirectory {
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let path = environment["CTUTOR_ASSETS"], path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        var directory = URL(fileURLWithPath: OwnBinary.path ?? CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("Assets"))
            candidates.append(directory.appendingPathComponent("share/ctutor/Assets"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Assets"))
        candidates.append(URL(fileURLWithPath: "/usr/share/ctutor/Assets"))
        return candidates.first { candidate in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: candidate.appendingPathComponent("recipes").path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }
}
