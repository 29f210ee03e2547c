import TutorCore

#if os(Linux)
import Glibc
#endif

/// Makes one System V message queue on the host and another inside a new IPC
/// namespace, then shows that each side's `/proc/sysvipc/msg` lists only its own:
/// the file shows the IPC namespace of whoever reads it.
public struct IPCNamespaceDemo: Demo {
    public static let namespaces: Set<NamespaceKind> = [.ipc]

    public static let info = DemoInfo(
        id: "ipc",
        title: Localized(ko: "IPC 네임스페이스: 서로 보이지 않는 메시지 큐", en: "IPC namespace: message queues out of each other's sight"),
        summary: Localized(
            ko: "호스트와 새 IPC 네임스페이스 안에서 System V 메시지 큐를 하나씩 만들고, 양쪽의 /proc/sysvipc/msg에 "
                + "각자 만든 큐만 보이는 것을 확인합니다.",
            en: "Makes a System V message queue on the host and one inside a new IPC namespace, and shows that each "
                + "side's /proc/sysvipc/msg lists only its own."))

    public let preference: ModePreference

    public init(preference: ModePreference = .auto) {
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        var hostQueue: Int32 = -1
        // A key the host does not use, so that its absence there means something.
        let hostKeys = Set(((try? ProcFS.readFile("/proc/sysvipc/msg")).map(MessageQueue.parse) ?? []).map(\.key))
        let insideKey =
            (0..<16).lazy.map { _ in Int32(bitPattern: 0x6374_0000 | UInt32.random(in: 1...0xffff)) }
            .first { !hostKeys.contains($0) } ?? 0x6374_0001
        return IsolatedRun(info: Self.info, preference: preference).run(
            spec: { _ in
                var spec = LaunchSpec(namespaces: Self.namespaces)
                spec.messageQueueKey = insideKey
                spec.readLinks = ["/proc/self/ns/ipc"]
                spec.readFiles = ["/proc/sysvipc/msg"]
                return spec
            },
            prepare: { context, report in
                hostQueue = try Self.makeHostQueue(context)
                report.steps.append(
                    Localized(
                        ko: "호스트: msgget(IPC_PRIVATE, IPC_CREAT|0600) → msqid \(hostQueue) (호스트의 IPC 네임스페이스에 생김)",
                        en: "host: msgget(IPC_PRIVATE, IPC_CREAT|0600) → msqid \(hostQueue), in the host's IPC namespace"))
            },
            observe: { process, _, report in
                report.observations = try observe(process, hostQueue: hostQueue, insideKey: insideKey)
                if process.inside.messageQueueID == hostQueue {
                    report.steps.append(
                        Localized(
                            ko: "두 큐의 msqid가 \(hostQueue)(으)로 같음: IPC 네임스페이스마다 번호를 따로 매기므로 충돌하지 않음",
                            en: "both queues are msqid \(hostQueue): each IPC namespace numbers its own, so they do not collide"))
                }
                report.steps.append(DemoEvidence.readStep(process.pid, ["ns/ipc", "/proc/sysvipc/msg"]))
            },
            whileAlive: whileAlive)
    }

    /// A queue in the host's IPC namespace, recorded before anything else can fail
    /// and removed (`msgctl(IPC_RMID)`) when the run ends.
    private static func makeHostQueue(_ context: RunContext) throws -> Int32 {
        let id = try MessageQueue.makePrivate()
        context.record.add(.messageQueue(id: id))
        context.onRelease {
            let gone = MessageQueue.remove(id)
            if gone { context.record.remove(.messageQueue(id: id)) }
            return CleanupItem(
                Localized(
                    ko: "호스트의 메시지 큐 msqid \(id) (msgctl IPC_RMID, \(gone ? "사라짐" : "남아 있음"))",
                    en: "message queue msqid \(id) on the host (msgctl IPC_RMID, \(gone ? "gone" : "still there"))"),
                released: gone)
        }
        return id
    }

    private func observe(_ process: LaunchedProcess, hostQueue: Int32, insideKey: Int32) throws -> [Observation] {
        let host = MessageQueue.parse(try ProcFS.readFile("/proc/sysvipc/msg"))
        let inside = MessageQueue.parse(try DemoEvidence.insideFile("/proc/sysvipc/msg", of: process))
        let madeHere = host.first { $0.id == hostQueue && $0.key == IPC_PRIVATE }
        let madeInside = MessageQueue(key: insideKey, id: process.inside.messageQueueID ?? -1)
        guard let madeHere else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "호스트의 /proc/sysvipc/msg에 방금 만든 msqid \(KoreanParticle.iGa.attached(to: "\(hostQueue)")) 없습니다",
                    en: "the host's /proc/sysvipc/msg lacks msqid \(hostQueue), made a moment ago"))
        }
        guard inside.contains(madeInside) else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "자식이 읽은 /proc/sysvipc/msg에 자식이 만든 큐(\(madeInside.summary))가 없습니다",
                    en: "the child's /proc/sysvipc/msg lacks the queue it made (\(madeInside.summary))"))
        }
        func line(_ queue: MessageQueue, in list: [MessageQueue]) -> String {
            list.contains(queue) ? queue.summary : "-"
        }
        let hostKeys = host.map(\.key)
        return [
            try DemoEvidence.namespace(.ipc, of: process),
            Observation(
                id: "host-queue",
                label: Localized(ko: "호스트에서 만든 큐 (key msqid)", en: "Queue made on the host (key msqid)"),
                host: madeHere.summary, inside: line(madeHere, in: inside)),
            Observation(
                id: "inside-queue",
                label: Localized(ko: "안에서 만든 큐 (key msqid)", en: "Queue made inside (key msqid)"),
                host: hostKeys.contains(insideKey) ? "key \(MessageQueue.hex(insideKey))" : "-", inside: madeInside.summary),
        ]
    }
}
