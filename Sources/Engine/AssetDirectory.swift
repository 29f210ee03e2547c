import Foundation

/// Folders installed beside ctutor (`Lessons`, `Assets`), found the same way for
/// each: beside the executable's real path (`/proc/self/exe`, so a symlink on `$PATH`
/// leads to the real installation) or up to six levels above it (a build directory
/// inside the repository), or in `share/ctutor/` there; then the working directory
/// and `/usr/share/ctutor`.
public enum InstallDirectory {
    /// The first existing directory `name` that holds `marker` (a file or directory
    /// inside it that identifies it), or any such directory when `marker` is nil.
    public static func find(_ name: String, containing marker: String? = nil) -> URL? {
        var candidates: [URL] = []
        var directory = URL(fileURLWithPath: OwnBinary.path ?? CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent(name))
            candidates.append(directory.appendingPathComponent("share/ctutor/" + name))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name))
        candidates.append(URL(fileURLWithPath: "/usr/share/ctutor/" + name))
        return candidates.first { candidate in
            var isDirectory: ObjCBool = false
            let path = marker.map { candidate.appendingPathComponent($0).path } ?? candidate.path
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && (marker != nil || isDirectory.boolValue)
        }
    }
}

/// The `Assets` directory of this installation (image recipes): `$CTUTOR_ASSETS`, or
/// the one ``InstallDirectory`` finds with a `recipes` folder in it.
public enum AssetDirectory {
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let path = environment["CTUTOR_ASSETS"], path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return InstallDirectory.find("Assets", containing: "recipes")
    }
}
