import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// An image's layers and a container's own layer, seen from the host: the overlay
/// in the container's mountinfo, its lower directories (the image's layers, read
/// only), a file written inside landing in the upper directory, a deleted file
/// becoming a whiteout there — and the image's layer unchanged.
public struct LayersDemo: Demo {
    public static let info = DemoInfo(
        id: "layers",
        title: Localized(ko: "이미지 레이어와 컨테이너의 쓰기 레이어", en: "Image layers and the container's writable layer"),
        summary: Localized(
            ko: "busybox 컨테이너 안에서 파일을 하나 만들고 하나 지운 뒤, 호스트에서 봅니다: overlay 마운트의 lowerdir(이미지 레이어)와 "
                + "upperdir, 새 파일은 upperdir에, 지운 파일은 화이트아웃(0:0 문자 장치)으로 남고, 이미지 레이어는 그대로입니다.",
            en: "Inside a busybox container, creates one file and deletes another, then looks from the host: the overlay mount's "
                + "lowerdir (the image's layers) and upperdir; the new file is in upperdir, the deleted one is a whiteout "
                + "(a 0:0 character device) there, and the image's layer is unchanged."))

    public static let namespaces: Set<NamespaceKind> = ContainerDemo.namespaces

    public let preference: ModePreference

    public init(preference: ModePreference) {
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        ContainerDemoRun(info: Self.info, preference: preference).run(
            observe: { context, report in
                let image = try ImageStore.forCurrentUser().resolve("busybox")
                let before = FileManager.default.fileExists(atPath: (image.lowerDirectories.last ?? "/") + "/bin/vi")
                var request = ContainerRequest()
                request.command = [
                    "sh", "-c", "echo written-inside > /root/note.txt; rm /bin/vi; echo vi=$(ls /bin/vi 2>&1); echo ready; read x; exit 0",
                ]
                let container = try context.start(request)
                report.steps += container.steps
                let printed = try context.output(of: container, until: "ready")
                report.observations = try observe(container, printed: printed, layerHadVi: before)
                report.steps.append(DemoEvidence.readStep(container.pid, ["mountinfo"]))
            }, whileAlive: whileAlive)
    }

    private func observe(_ container: Container, printed: String, layerHadVi: Bool) throws -> [Observation] {
        let fields = try MountInfoEntry.root(of: container.pid).superOptionValues
        let upper = container.directory.appendingPathComponent("upper").path
        let layer = container.lowerDirectories.last ?? "?"
        var note = stat()
        let noteInUpper = stat(upper + "/root/note.txt", &note) == 0
        var whiteout = stat()
        let isWhiteout = lstat(upper + "/bin/vi", &whiteout) == 0 && (whiteout.st_mode & S_IFMT) == S_IFCHR && whiteout.st_rdev == 0
        let stillInLayer = FileManager.default.fileExists(atPath: layer + "/bin/vi")
        func short(_ path: String) -> String { path.replacingOccurrences(of: container.store.root.deletingLastPathComponent().path, with: "…") }
        return [
            Observation(
                id: "lowerdir", label: Localized(ko: "overlay lowerdir (이미지 레이어, 읽기 전용)", en: "overlay lowerdir (image layers, read-only)"),
                expect: .show, host: container.lowerDirectories.map(short).joined(separator: "\n"),
                inside: (fields["lowerdir"] ?? "?").split(separator: ":").map { short(String($0)) }.joined(separator: "\n")),
            Observation(
                id: "upperdir", label: Localized(ko: "overlay upperdir (컨테이너의 쓰기 레이어)", en: "overlay upperdir (the container's writable layer)"),
                expect: .match, host: short(upper), inside: short(fields["upperdir"] ?? "?")),
            Observation(
                id: "new-file", label: Localized(ko: "안에서 만든 /root/note.txt", en: "/root/note.txt, made inside"),
                host: noteInUpper ? "upperdir/root/note.txt (\(note.st_size) B)" : "—",
                inside: "/root/note.txt"),
            Observation(
                id: "whiteout", label: Localized(ko: "안에서 지운 /bin/vi", en: "/bin/vi, deleted inside"),
                host: isWhiteout ? "upperdir/bin/vi: c 0:0 (whiteout)" : "—",
                inside: printed.value(of: "vi")?.contains("No such file") == true ? "—" : printed.value(of: "vi") ?? "?"),
            Observation(
                id: "layer-unchanged", label: Localized(ko: "이미지 레이어의 /bin/vi", en: "/bin/vi in the image's layer"), expect: .match,
                sides: [
                    ObservationSide(role: "before", label: Localized(ko: "시작 전", en: "Before"), value: layerHadVi ? "bin/vi" : "—"),
                    ObservationSide(role: "after", label: Localized(ko: "지운 뒤", en: "After the rm"), value: stillInLayer ? "bin/vi" : "—"),
                ]),
        ]
    }
}
