import Foundation
import TutorCore

/// Checkers about network namespaces, read from outside through a process in each:
/// `/proc/<pid>/net/dev` lists its interfaces and their counters, and
/// `/proc/<pid>/net/fib_trie` its addresses (a `/32 host LOCAL` route per address).
enum LabNetworkChecks {
    /// One process per network namespace to look in: new ones, or the base.
    private static func viewers(inNew: Bool, _ snapshot: LabChecker.Snapshot) -> [(NamespaceID?, LabProcess)] {
        if inNew { return snapshot.newNamespaces(.net).map { ($0.0, $0.1) } }
        return snapshot.baseProcess.map { [(snapshot.base[.net], $0)] } ?? []
    }

    static func link(name: String, inNew: Bool, minReceivedPackets: Int?, _ snapshot: LabChecker.Snapshot) -> LabCheckResult {
        let places = viewers(inNew: inNew, snapshot)
        if inNew && places.isEmpty { return noNewNamespace }
        var seen: [String] = []
        for (id, process) in places {
            guard let text = try? ProcFS.readFile("/proc/\(process.pid)/net/dev") else { continue }
            let interfaces = interfaceCounters(text)
            seen += interfaces.keys.sorted()
            guard let received = interfaces[name] else { continue }
            let namespace = id.map { "\($0)" } ?? "net"
            if let minReceivedPackets, received < minReceivedPackets {
                return LabCheckResult(
                    passed: false,
                    saw: .saw(
                        "\(namespace)의 \(name)는 패킷을 \(received)개 받았습니다 (\(minReceivedPackets)개 이상이어야 함).",
                        "\(name) in \(namespace) has received \(received) packet(s); the step wants \(minReceivedPackets) or more."))
            }
            return LabCheckResult(
                passed: true,
                saw: .saw(
                    "네트워크 네임스페이스 \(namespace)에 \(name)가 있고, 받은 패킷은 \(received)개입니다.",
                    "Network namespace \(namespace) has \(name), which has received \(received) packet(s)."))
        }
        let list = seen.isEmpty ? "-" : Array(Set(seen)).sorted().joined(separator: ", ")
        let place = inNew ? Localized(ko: "새 네트워크 네임스페이스", en: "the new network namespace") : Localized(ko: "샌드박스의 네트워크 네임스페이스", en: "the sandbox's network namespace")
        return LabCheckResult(
            passed: false,
            saw: .saw("\(place.ko)에 \(name)가 없습니다 (있는 것: \(list)).", "No \(name) in \(place.en) (there: \(list))."))
    }

    static func address(ip: String, inNew: Bool, _ snapshot: LabChecker.Snapshot) -> LabCheckResult {
        let places = viewers(inNew: inNew, snapshot)
        if inNew && places.isEmpty { return noNewNamespace }
        var seen: Set<String> = []
        for (id, process) in places {
            guard let text = try? ProcFS.readFile("/proc/\(process.pid)/net/fib_trie") else { continue }
            let addresses = localAddresses(text)
            seen.formUnion(addresses)
            if addresses.contains(ip) {
                let namespace = id.map { "\($0)" } ?? "net"
                return LabCheckResult(
                    passed: true,
                    saw: .saw("네트워크 네임스페이스 \(namespace)에 주소 \(ip)가 있습니다.", "Network namespace \(namespace) has the address \(ip)."))
            }
        }
        let list = seen.isEmpty ? "-" : seen.sorted().joined(separator: ", ")
        return LabCheckResult(
            passed: false,
            saw: .saw(
                "주소 \(ip)가 보이지 않습니다 (있는 주소: \(list)). 인터페이스가 up이어야 주소가 쓰입니다.",
                "The address \(ip) is not there (addresses seen: \(list)); an address is in use only on an interface that is up."))
    }

    static func neighbor(ip: String, inNew: Bool, _ snapshot: LabChecker.Snapshot) -> LabCheckResult {
        let places = viewers(inNew: inNew, snapshot)
        if inNew && places.isEmpty { return noNewNamespace }
        var seen: Set<String> = []
        for (id, process) in places {
            guard let text = try? ProcFS.readFile("/proc/\(process.pid)/net/arp") else { continue }
            let learned = completeNeighbors(text)
            seen.formUnion(learned.keys)
            if let mac = learned[ip] {
                let namespace = id.map { "\($0)" } ?? "net"
                return LabCheckResult(
                    passed: true,
                    saw: .saw(
                        "네트워크 네임스페이스 \(namespace)가 \(ip)의 MAC 주소 \(mac)를 ARP로 알아냈습니다.",
                        "Network namespace \(namespace) has learned \(ip)'s MAC address \(mac) through ARP."))
            }
        }
        let list = seen.isEmpty ? "-" : seen.sorted().joined(separator: ", ")
        return LabCheckResult(
            passed: false,
            saw: .saw(
                "\(ip)와 주고받은 IPv4 패킷의 흔적(ARP 항목)이 없습니다 (아는 이웃: \(list)).",
                "No sign of IPv4 traffic with \(ip) (no ARP entry; neighbours known: \(list))."))
    }

    private static let noNewNamespace = LabCheckResult(
        passed: false,
        saw: .saw("새 네트워크 네임스페이스에 있는 프로세스가 없습니다 (unshare -n).", "No process is in a new network namespace yet (unshare -n)."))

    /// Interface name → packets received, from `/proc/net/dev`.
    static func interfaceCounters(_ text: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for line in text.split(separator: "\n").dropFirst(2) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let fields = line[line.index(after: colon)...].split(separator: " ")
            result[name] = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
        }
        return result
    }

    /// IP → MAC of the complete entries (flag 0x2) in `/proc/net/arp`.
    static func completeNeighbors(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count >= 4, let flags = Int(fields[2].dropFirst(2), radix: 16), flags & 0x2 != 0 else { continue }
            result[String(fields[0])] = String(fields[3])
        }
        return result
    }

    /// The addresses with a `/32 host LOCAL` entry in `/proc/net/fib_trie`.
    static func localAddresses(_ text: String) -> Set<String> {
        var result: Set<String> = []
        var previous = ""
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "/32 host LOCAL", previous.hasPrefix("|-- ") { result.insert(String(previous.dropFirst(4))) }
            previous = trimmed
        }
        return result
    }
}
