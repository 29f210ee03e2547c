import ArgumentParser
import Engine
import Foundation
import TutorCore

/// `ctutor run [OPTIONS] [IMAGE] [-- CMD ARGS...]`. Its options are parsed by hand
/// (``RunArguments``), here and on the fast path alike, so a container starts without
/// ArgumentParser's reflection (a few milliseconds) and the two can never disagree.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command in a new container, as PID 1.",
        discussion: RunArguments.help
    )

    @Argument(parsing: .allUnrecognized, help: "Options, IMAGE, then -- and the command.")
    var arguments: [String] = []

    func run() throws {
        throw ExitCode(RunArguments.execute(arguments))
    }
}

enum RunArguments {
    static let help = """
        Runs CMD (default: the image's command) as PID 1 of a new container: new pid, uts, ipc,
        mount, network and cgroup namespaces (and a user namespace when you are not root), the
        image's layers under an overlay of its own, pivot_root into it, Docker's hardening.

          --rm                 remove the container when it exits
          --name NAME          a name for ctutor ps/stop/rm/logs (default: a random one)
          --hostname NAME      its hostname (default: the first 12 hex digits of its id)
          --memory SIZE        memory limit, e.g. 64M, 1g (cgroup memory)
          --pids N             at most N processes (cgroup pids)
          --cpus N             CPU time, e.g. 0.5 = half of one CPU (cgroup cpu)
          --net none|bridge    none: only lo (default); bridge: a veth into the ctutor0 bridge
          --volume HOST:CTR[:ro], -v    a host directory seen inside (absolute paths)
          --env K=V, -e        an environment variable (repeatable)
          --workdir DIR, -w    the working directory inside
          --rootfs DIR         use DIR as the root as it is (runc's way) instead of an image
          --rootless           a user namespace even as root (what learners without root get)
          -i                   keep standard input open;  -t  a pseudo-terminal;  -it  both

        Examples:
          ctutor run --rm busybox -- sh -c 'echo $$'       prints 1
          ctutor run --rm -it busybox                       an interactive shell
          ctutor run --rm --memory 32M --pids 20 busybox -- sh

        Exit status: the command's (128+N when killed by signal N: 137 for SIGKILL, e.g. by the
        memory limit); 125 when the container could not be made, 126 when the command cannot be
        run, 127 when it is not found.
        """

    /// Parses and runs; the exit status.
    static func execute(_ arguments: [String]) -> Int32 {
        switch parse(arguments) {
        case .failure(let error):
            FileHandle.standardError.write(Data("ctutor run: \(error.description)\nSee `ctutor run --help`.\n".utf8))
            return 125
        case .success(let parsed):
            return run(parsed.request, interactive: parsed.interactive)
        }
    }

    static func parse(_ arguments: [String]) -> Result<(request: ContainerRequest, interactive: Bool), ContainerError> {
        var request = ContainerRequest()
        var interactive = false
        var rest = arguments[...]
        var image: String?
        func value(_ option: String) -> String? {
            rest.popFirst()
        }
        while let argument = rest.popFirst() {
            if argument == "--" {
                request.command = Array(rest)
                break
            }
            var option = argument
            var attached: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                option = String(argument[..<equals])
                attached = String(argument[argument.index(after: equals)...])
            }
            func take() -> Result<String, ContainerError> {
                if let attached { return .success(attached) }
                guard let next = rest.popFirst() else { return .failure(.invalid("\(option) needs a value")) }
                return .success(next)
            }
            do {
                switch option {
                case "--rm": request.autoRemove = true
                case "--rootless": request.rootless = true
                case "-i", "--interactive": interactive = true
                case "-t", "--tty": request.terminal = true
                case "-it", "-ti":
                    interactive = true
                    request.terminal = true
                case "--name": request.name = try take().get()
                case "--hostname": request.hostname = try take().get()
                case "--memory", "-m":
                    let text = try take().get()
                    request.memoryBytes = try ResourceLimits.parseMemory(text).mapError { _ in
                        ContainerError.invalid("--memory \(text): a size like 64M, 512k or 1g")
                    }.get()
                case "--pids":
                    let text = try take().get()
                    guard let pids = Int64(text), pids > 0 else { throw ContainerError.invalid("--pids \(text): a whole number above 0") }
                    request.pidsMax = pids
                case "--cpus":
                    let text = try take().get()
                    guard let cpus = Double(text), cpus > 0, cpus <= 1024 else {
                        throw ContainerError.invalid("--cpus \(text): a number of CPUs above 0, like 0.5 or 2")
                    }
                    request.cpus = cpus
                case "--net", "--network":
                    let text = try take().get()
                    guard let network = ContainerRequest.Network(rawValue: text) else {
                        throw ContainerError.invalid("--net \(text): none or bridge")
                    }
                    request.network = network
                case "--volume", "-v": request.volumes.append(try ContainerRequest.Volume.parse(try take().get()).get())
                case "--env", "-e":
                    let text = try take().get()
                    guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                        throw ContainerError.invalid("--env \(text): write NAME=value")
                    }
                    request.environment.append(text)
                case "--workdir", "-w":
                    let text = try take().get()
                    guard text.hasPrefix("/") else { throw ContainerError.invalid("--workdir \(text): an absolute path inside the container") }
                    request.workingDirectory = text
                case "--rootfs":
                    let text = try take().get()
                    guard text.hasPrefix("/") else { throw ContainerError.invalid("--rootfs \(text): an absolute path") }
                    request.rootfsDirectory = text
                    request.image = nil
                default:
                    guard !argument.hasPrefix("-") else {
                        throw ContainerError.invalid("unknown option \(argument)")
                    }
                    guard image == nil else {
                        throw ContainerError.invalid("\(argument): the command goes after --, e.g. ctutor run busybox -- \(argument)")
                    }
                    image = argument
                }
            } catch let error as ContainerError {
                return .failure(error)
            } catch {
                return .failure(.invalid("\(error)"))
            }
        }
        if let image {
            guard request.rootfsDirectory == nil else { return .failure(.invalid("give an IMAGE or --rootfs, not both")) }
            request.image = image
        }
        return .success((request, interactive))
    }

    static func run(_ request: ContainerRequest, interactive: Bool) -> Int32 {
        let console = ContainerConsole(interactive: interactive)
        let container: Container
        let exit: ContainerExit
        do {
            (container, exit) = try console.run(request) { request, stdio in
                try Container.start(request, stdio: stdio)
            }
        } catch ContainerError.cannotRun(let message, let notFound) {
            FileHandle.standardError.write(Data("ctutor run: \(message)\n".utf8))
            return notFound ? 127 : 126
        } catch {
            FileHandle.standardError.write(Data("ctutor run: \(error)\n".utf8))
            return 125
        }
        if exit.oomKilled {
            console.notice("the container was killed by the kernel's OOM killer: it used its whole memory limit")
        }
        let items = container.release()
        for item in items where !item.released {
            console.notice("could not release \(item.resource.en); `ctutor doctor --cleanup` will")
        }
        return exit.code
    }
}
