#if os(Linux)
import TutorCore

/// The end of every run, whatever happened before: reap, then check from outside.
extension NetworkNamespaceRun {
    /// Releases everything, whatever happened: programs, then B, then A; then checks
    /// that no process is left in either namespace and the host is as it was.
    func release(hostBefore: HostNetwork?) {
        for (label, program) in programs {
            let exit = program.finish(until: .now + .seconds(2)).exit
            report.cleanup.append(
                CleanupItem(
                    Localized(
                        ko: "프로세스 \(exit.pid) (\(label.ko); /proc/\(exit.pid) \(exit.gone ? "사라짐" : "남아 있음"))",
                        en: "process \(exit.pid) (\(label.en); /proc/\(exit.pid) \(exit.gone ? "gone" : "still there"))"),
                    released: exit.gone))
        }
        for (side, process) in holders.reversed() {
            let exit = process.finish()
            report.steps.append(
                Localized(
                    ko: "\(side.rawValue) — 동기화 소켓을 닫음: 붙잡고 있던 프로세스가 _exit(0)할 차례. \(exit.step.ko)",
                    en: "\(side.rawValue) — close the sync socket, the holder's cue to _exit(0); \(exit.step.en)"))
            report.cleanup.append(exit.cleanup)
            report.recordHostChanges(exit.hostChanges)
        }
        checkNamespacesGone()
        if let hostBefore { checkHost(before: hostBefore) }
    }

    private func checkNamespacesGone() {
        guard !namespaces.isEmpty else { return }
        let sides = Side.allCases.compactMap { side in namespaces[side].map { (side, $0) } }
        let left = sides.flatMap { side, namespace in ProcFS.processes(in: namespace, kind: .net) }
        let names = sides.map { "\($0.0.rawValue) (\($0.1))" }
        let veth = vethMade ? Localized(ko: "와 그 안의 veth 쌍", en: " and the veth pair in them") : Localized("")
        report.cleanup.append(
            CleanupItem(
                Localized(
                    ko: "네트워크 네임스페이스 \(names.joined(separator: "·"))\(veth.ko) (남은 프로세스 \(left.count)개)",
                    en: "network namespaces \(names.joined(separator: " and "))\(veth.en) (\(left.count) processes left in them)"),
                released: left.isEmpty))
        if left.isEmpty {
            report.steps.append(
                Localized(
                    ko: "/proc/*/ns/net 중 \(names.joined(separator: "나 "))를 가리키는 것이 없음: 마지막 프로세스와 함께 "
                        + "네임스페이스가 사라졌고, veth 쌍도 함께 사라짐",
                    en: "no /proc/*/ns/net points at \(names.joined(separator: " or ")): the namespaces died with their last "
                        + "process, and the veth pair with them"))
        }
    }

    private func checkHost(before: HostNetwork) {
        guard let after = try? HostNetwork.capture() else { return }
        let change = before.change(
            to: after, demoInterfaces: [NetworkNamespaceDemo.vethA, NetworkNamespaceDemo.vethB], demoAddresses: demoAddresses)
        if !change.byDemo.isEmpty {
            report.recordHostChanges(change.byDemo)
        } else if change.others.isEmpty {
            report.steps.append(
                Localized(
                    ko: "호스트: /proc/net/dev의 인터페이스와 IPv4 주소가 실행 전과 같음",
                    en: "host: the interfaces in /proc/net/dev and the IPv4 addresses are the same as before the run"))
        } else {
            report.steps.append(
                Localized(
                    ko: "호스트: 실행 중에 다른 무엇인가가 호스트 네트워크를 바꿈(\(change.others.joined(separator: "; "))). 이 데모의 것은 없음",
                    en:
                        "host: something else changed the host's network during the run (\(change.others.joined(separator: "; "))); nothing of this demo's"
                ))
        }
    }
}
#endif
