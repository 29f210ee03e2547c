import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// The seed's scenario, for real: app A needs software C 5.0, app B needs C 6.0. On
/// one host they would clash; as two images (built here from `Assets/recipes`) they
/// run side by side, each seeing its own C, and the host seeing neither.
public struct VersionsDemo: Demo {
    public static let info = DemoInfo(
        id: "versions",
        title: Localized(ko: "버전 충돌 없이: C 5.0이 필요한 앱 A, 6.0이 필요한 앱 B", en: "No clash: app A needs C 5.0, app B needs C 6.0"),
        summary: Localized(
            ko: "소프트웨어 C 5.0과 6.0을 두 이미지로 만들고(Assets/recipes), 그 위에 앱 A와 B를 얹어 한 호스트에서 동시에 실행합니다. "
                + "각 앱은 자기 버전의 C만 보고, 호스트에는 C가 아예 없습니다.",
            en: "Builds software C 5.0 and 6.0 as two images (Assets/recipes), app A and app B on top, and runs both at once on this "
                + "one host. Each app sees only its own C; the host has no C at all."))

    public static let namespaces: Set<NamespaceKind> = ContainerDemo.namespaces

    /// The recipes, in build order: each image's base comes before it.
    static let recipes = ["software-c-5.0", "software-c-6.0", "app-a", "app-b"]

    public let preference: ModePreference

    public init(preference: ModePreference) {
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        ContainerDemoRun(info: Self.info, preference: preference).run(
            observe: { context, report in
                let images = ImageStore.forCurrentUser()
                let built = try Self.ensureImages(images)
                if !built.isEmpty {
                    report.steps.append(
                        Localized(
                            ko: "레시피로 이미지 빌드: \(built.joined(separator: ", "))", en: "built images from recipes: \(built.joined(separator: ", "))"))
                }
                let script = "/app/run; echo version=$(c-version); echo lib=$(ls /opt/c/lib); echo ready; read x; exit 0"
                var started: [(name: String, container: Container, printed: String)] = []
                for (name, image) in [("A", "app-a"), ("B", "app-b")] {
                    var request = ContainerRequest()
                    request.image = image
                    request.hostname = "app-\(name.lowercased())"
                    request.command = ["sh", "-c", script]
                    let container = try context.start(request)
                    report.steps.append(
                        Localized(
                            ko: "앱 \(name): 이미지 \(image)로 컨테이너 시작, 호스트 PID \(container.pid)",
                            en: "app \(name): a container of image \(image), host PID \(container.pid)"))
                    started.append((name, container, ""))
                }
                for index in started.indices {
                    started[index].printed = try context.output(of: started[index].container, until: "ready")
                }
                report.observations = try observe(started.map { ($0.name, $0.container, $0.printed) })
            }, whileAlive: whileAlive)
    }

    /// Builds the images that are missing; the names built.
    static func ensureImages(_ images: ImageStore) throws -> [String] {
        guard let recipes = AssetDirectory.find()?.appendingPathComponent("recipes") else { throw MissingRecipes() }
        var built: [String] = []
        for name in Self.recipes {
            let path = recipes.appendingPathComponent(name + ".yaml").path
            if let image = try images.build(recipe: path, onlyIfMissing: true) { built.append("\(image.name):\(image.tag)") }
        }
        return built
    }

    private func observe(_ apps: [(name: String, container: Container, printed: String)]) throws -> [Observation] {
        let hostVersion = FileManager.default.fileExists(atPath: "/opt/c/VERSION") ? "?" : "—"
        let hostCommand = ["/usr/local/bin", "/usr/bin", "/bin"].contains { FileManager.default.fileExists(atPath: $0 + "/c-version") }
        func side(_ app: (name: String, container: Container, printed: String), _ key: String) -> ObservationSide {
            ObservationSide(
                role: "app-\(app.name.lowercased())", label: Localized(ko: "앱 \(app.name)", en: "App \(app.name)"),
                value: app.printed.value(of: key) ?? "?")
        }
        guard apps.allSatisfy({ $0.container.hasExited() == false }) else {
            throw EvidenceMismatch(detail: Localized(ko: "두 앱이 동시에 실행되고 있지 않습니다", en: "the two apps are not running at the same time"))
        }
        var observations = [
            Observation(
                id: "c-version", label: Localized(ko: "c-version이 말하는 C의 버전", en: "C's version, as c-version says"),
                sides: [.host(hostCommand ? "?" : "—")] + apps.map { side($0, "version") }),
            Observation(
                id: "c-library", label: Localized(ko: "/opt/c/lib 안의 라이브러리", en: "The library in /opt/c/lib"),
                sides: [.host(hostVersion)] + apps.map { side($0, "lib") }),
            Observation(
                id: "running", label: Localized(ko: "동시에 실행 중인 init의 호스트 PID", en: "Host PIDs of the inits, running at once"),
                sides: [.host("\(getpid()) (ctutor)")] + apps.map {
                    ObservationSide(role: "app-\($0.name.lowercased())", label: Localized(ko: "앱 \($0.name)", en: "App \($0.name)"), value: "\($0.container.pid)")
                }),
        ]
        let bases = apps.map { $0.container.lowerDirectories.last ?? "?" }
        observations.append(
            Observation(
                id: "base-layer", label: Localized(ko: "맨 아래 레이어(busybox, 공유)", en: "The bottom layer (busybox, shared)"), expect: .match,
                sides: apps.enumerated().map { index, app in
                    ObservationSide(
                        role: "app-\(app.name.lowercased())", label: Localized(ko: "앱 \(app.name)", en: "App \(app.name)"),
                        value: (bases[index] as NSString).lastPathComponent.prefix(19) + "…")
                }))
        return observations
    }
}

/// The image recipes are not where ctutor looks for them.
struct MissingRecipes: LocalizedFailure {
    var detail: Localized {
        Localized(
            ko: "이미지 레시피(Assets/recipes)를 ctutor 옆에서 찾지 못했습니다. CTUTOR_ASSETS에 Assets 폴더의 경로를 넣으세요",
            en: "no image recipes (Assets/recipes) beside ctutor; set CTUTOR_ASSETS to the Assets folder")
    }
}
