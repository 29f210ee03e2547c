import TutorCore

/// The demos the engine can run, for `ctutor demo list`, the lessons and `lint`.
public enum DemoCatalog {
    public static let all: [DemoInfo] = [UTSNamespaceDemo.info]

    /// Runs the demo `id` with its defaults; `nil` for an id not in ``all``.
    /// - Parameter whileAlive: see ``UTSNamespaceDemo/run(whileAlive:)``.
    public static func run(
        _ id: String, preference: ModePreference = .auto, whileAlive: ((NamespaceChild) throws -> Void)? = nil
    ) -> DemoReport? {
        switch id {
        case UTSNamespaceDemo.info.id:
            UTSNamespaceDemo(preference: preference).run(whileAlive: whileAlive)
        default:
            nil
        }
    }
}
