import TutorCore

extension MachineProbe {
    /// The probe as `ctutor doctor` lists it, in a fixed order.
    public var facts: [MachineFact] {
        [systemFact, kernelFact, userFact, userNamespaceFact, cgroupFact, overlayFact]
    }

    private var systemFact: MachineFact {
        MachineFact(
            id: "os", label: Localized(ko: "운영체제", en: "Operating system"), value: Localized(systemName),
            ok: isLinux, remedy: isLinux ? nil : Self.notLinuxRemedy)
    }

    private var kernelFact: MachineFact {
        MachineFact(
            id: "kernel", label: Localized(ko: "커널 릴리스", en: "Kernel release"), value: Localized(kernelRelease),
            ok: true)
    }

    private var userFact: MachineFact {
        let value =
            effectiveUID == 0
            ? Localized(
                ko: "0 (root): 데모가 real 모드로 실행됩니다",
                en: "0 (root): demos run in real mode")
            : Localized(
                ko: "\(effectiveUID): 데모가 사용자 네임스페이스 안에서 rootless 모드로 실행됩니다",
                en: "\(effectiveUID): demos run in rootless mode, inside a user namespace")
        return MachineFact(
            id: "euid", label: Localized(ko: "유효 사용자 ID", en: "Effective user ID"), value: value, ok: true)
    }

    private var userNamespaceFact: MachineFact {
        let label = Localized(ko: "사용자 네임스페이스", en: "User namespaces")
        switch userNamespaces {
        case .available:
            return MachineFact(id: "userns", label: label, value: Localized(ko: "사용 가능", en: "available"), ok: true)
        case .blocked(let reason, let remedy):
            return MachineFact(id: "userns", label: label, value: reason, ok: false, remedy: remedy)
        }
    }

    private var cgroupFact: MachineFact {
        let value: Localized
        switch cgroups {
        case .v2: value = Localized(ko: "v2 (통합 계층)", en: "v2 (unified hierarchy)")
        case .hybrid: value = Localized(ko: "v1 + v2 (혼합 계층)", en: "v1 + v2 (hybrid hierarchy)")
        case .v1: value = Localized("v1")
        case .none: value = Localized(ko: "/sys/fs/cgroup에 마운트되어 있지 않음", en: "not mounted at /sys/fs/cgroup")
        }
        return MachineFact(
            id: "cgroup", label: Localized("cgroup"), value: value, ok: cgroups != .none,
            remedy: cgroups != .none || !isLinux
                ? nil
                : Localized(
                    ko: "다음 명령으로 cgroup2를 마운트하세요: sudo mount -t cgroup2 none /sys/fs/cgroup",
                    en: "Mount cgroup2: sudo mount -t cgroup2 none /sys/fs/cgroup"))
    }

    private var overlayFact: MachineFact {
        MachineFact(
            id: "overlayfs", label: Localized("overlayfs"),
            value: hasOverlayFS
                ? Localized(ko: "/proc/filesystems에 있음", en: "listed in /proc/filesystems")
                : Localized(ko: "/proc/filesystems에 없음", en: "not listed in /proc/filesystems"),
            ok: hasOverlayFS,
            remedy: hasOverlayFS || !isLinux
                ? nil
                : Localized(
                    ko: "다음 명령으로 모듈을 불러오세요: sudo modprobe overlay",
                    en: "Load the module: sudo modprobe overlay"))
    }
}
