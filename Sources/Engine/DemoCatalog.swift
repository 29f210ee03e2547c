import TutorCore

/// A real demo: it runs on this machine's kernel and reports what it saw.
public protocol Demo: Sendable {
    /// The catalog entry: id, title, summary.
    static var info: DemoInfo { get }

    /// The namespaces the demo makes (without the user namespace a rootless run adds);
    /// empty for a demo that needs none. `ctutor doctor` tries exactly these.
    static var namespaces: Set<NamespaceKind> { get }

    /// A demo with its defaults, in the mode `preference` asks for.
    init(preference: ModePreference)

    /// Runs the demo and releases everything it made before returning.
    ///
    /// - Parameter whileAlive: called once the observations are made, while the
    ///   isolated processes are still alive (for `--hold`, or for a test to look for
    ///   itself). If it throws, the report's `reason` says so and cleanup still happens.
    func run(whileAlive: ((NamespaceChild) throws -> Void)?) -> DemoReport

    /// Why this machine will not run the demo beyond its namespaces (a cgroup limit
    /// without delegation, a bridge without root), or `nil`.
    static func refusal(rootless: Bool) -> ContainerError?
}

extension Demo {
    public static func refusal(rootless: Bool) -> ContainerError? { nil }
}

/// The demos the engine can run, in course order, for `ctutor demo list`, the
/// lessons and `lint`.
public enum DemoCatalog {
    public static let demos: [any Demo.Type] = [
        OSDemo.self,
        ProcessDemo.self,
        ThreadsDemo.self,
        PIDNamespaceDemo.self,
        UTSNamespaceDemo.self,
        IPCNamespaceDemo.self,
        MountNamespaceDemo.self,
        NetworkNamespaceDemo.self,
        UserNamespaceDemo.self,
        CgroupNamespaceDemo.self,
        TimeNamespaceDemo.self,
        NamespacesOverviewDemo.self,
        ContainerDemo.self,
        VersionsDemo.self,
        LayersDemo.self,
        ForkBombDemo.self,
        OOMDemo.self,
        CPUDemo.self,
        ContainerNetDemo.self,
        VirtDemo.self,
        DockerChainDemo.self,
    ]

    public static var all: [DemoInfo] { demos.map { $0.info } }

    /// The demo type with this id.
    public static func demo(_ id: String) -> (any Demo.Type)? {
        demos.first { $0.info.id == id }
    }

    /// Runs the demo `id` with its defaults; `nil` for an id not in ``all``.
    public static func run(
        _ id: String, preference: ModePreference = .auto, whileAlive: ((NamespaceChild) throws -> Void)? = nil
    ) -> DemoReport? {
        demo(id)?.init(preference: preference).run(whileAlive: whileAlive)
    }
}
