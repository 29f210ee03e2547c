/// `config.json` read and written as plain JSON (``JSONValue``), the same fields with the
/// same meaning as the `Codable` conformance: required fields are the non-optional
/// ones, an optional field that is absent is `nil`, one that is `nil` is not written.
/// The runtime reads a bundle this way in every `create`, in a fresh process.
extension OCISpec: PlainJSONRecord {
    public init(json: JSONValue) throws(JSONShapeError) {
        let top = try JSONFields(json)
        self.init(
            ociVersion: try top.string("ociVersion"), process: try Process(top.object("process")), root: try Root(top.object("root")),
            hostname: try top.optionalString("hostname"), mounts: try top.objects("mounts").map { (fields) throws(JSONShapeError) in try Mount(fields) },
            linux: try Linux(top.object("linux")), domainname: try top.optionalString("domainname"),
            annotations: try top.optionalStringMap("annotations"))
    }

    public var json: JSONValue {
        .fields([
            "ociVersion": .string(ociVersion), "process": process.json, "root": root.json, "hostname": hostname.map { .string($0) },
            "mounts": .array(mounts.map(\.json)), "linux": linux.json, "domainname": domainname.map { .string($0) },
            "annotations": annotations.map { .stringMap($0) },
        ])
    }
}

extension OCISpec.Process {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(
            terminal: try fields.optionalBool("terminal"), user: try OCISpec.User(fields.object("user")), args: try fields.strings("args"),
            env: try fields.optionalStrings("env"), cwd: try fields.string("cwd"),
            capabilities: try fields.optionalObject("capabilities").map { (fields) throws(JSONShapeError) in try OCISpec.Capabilities(fields) },
            rlimits: try fields.optionalObjects("rlimits")?.map { (fields) throws(JSONShapeError) in try OCISpec.Rlimit(fields) },
            noNewPrivileges: try fields.optionalBool("noNewPrivileges"))
    }

    var json: JSONValue {
        .fields([
            "terminal": terminal.map { .bool($0) }, "user": user.json, "args": .strings(args), "env": env.map { .strings($0) },
            "cwd": .string(cwd), "capabilities": capabilities?.json, "rlimits": rlimits.map { .array($0.map(\.json)) },
            "noNewPrivileges": noNewPrivileges.map { .bool($0) },
        ])
    }
}

extension OCISpec.User {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(uid: try fields.uint32("uid"), gid: try fields.uint32("gid"), additionalGids: try fields.optionalUInt32s("additionalGids"))
    }

    var json: JSONValue {
        .fields([
            "uid": .integer(UInt64(uid)), "gid": .integer(UInt64(gid)),
            "additionalGids": additionalGids.map { .array($0.map { .integer(UInt64($0)) }) },
        ])
    }
}

extension OCISpec.Capabilities {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(
            bounding: try fields.optionalStrings("bounding"), effective: try fields.optionalStrings("effective"),
            permitted: try fields.optionalStrings("permitted"), inheritable: try fields.optionalStrings("inheritable"),
            ambient: try fields.optionalStrings("ambient"))
    }

    var json: JSONValue {
        .fields([
            "bounding": bounding.map { .strings($0) }, "effective": effective.map { .strings($0) }, "permitted": permitted.map { .strings($0) },
            "inheritable": inheritable.map { .strings($0) }, "ambient": ambient.map { .strings($0) },
        ])
    }
}

extension OCISpec.Rlimit {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(type: try fields.string("type"), hard: try fields.uint64("hard"), soft: try fields.uint64("soft"))
    }

    var json: JSONValue { .fields(["type": .string(type), "hard": .integer(hard), "soft": .integer(soft)]) }
}

extension OCISpec.Root {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(path: try fields.string("path"), readonly: try fields.optionalBool("readonly"))
    }

    var json: JSONValue { .fields(["path": .string(path), "readonly": readonly.map { .bool($0) }]) }
}

extension OCISpec.Mount {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(
            destination: try fields.string("destination"), type: try fields.optionalString("type"), source: try fields.optionalString("source"),
            options: try fields.optionalStrings("options"))
    }

    var json: JSONValue {
        .fields([
            "destination": .string(destination), "type": type.map { .string($0) }, "source": source.map { .string($0) },
            "options": options.map { .strings($0) },
        ])
    }
}

extension OCISpec.Linux {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(
            namespaces: try fields.objects("namespaces").map { (fields) throws(JSONShapeError) in try OCISpec.Namespace(fields) },
            uidMappings: try fields.optionalObjects("uidMappings")?.map { (fields) throws(JSONShapeError) in try OCISpec.IDMapping(fields) },
            gidMappings: try fields.optionalObjects("gidMappings")?.map { (fields) throws(JSONShapeError) in try OCISpec.IDMapping(fields) },
            devices: try fields.optionalObjects("devices")?.map { (fields) throws(JSONShapeError) in try OCISpec.Device(fields) },
            resources: try fields.optionalObject("resources").map { (fields) throws(JSONShapeError) in try OCISpec.Resources(fields) },
            cgroupsPath: try fields.optionalString("cgroupsPath"), maskedPaths: try fields.optionalStrings("maskedPaths"),
            readonlyPaths: try fields.optionalStrings("readonlyPaths"))
    }

    var json: JSONValue {
        .fields([
            "namespaces": .array(namespaces.map(\.json)), "uidMappings": uidMappings.map { .array($0.map(\.json)) },
            "gidMappings": gidMappings.map { .array($0.map(\.json)) }, "devices": devices.map { .array($0.map(\.json)) },
            "resources": resources?.json, "cgroupsPath": cgroupsPath.map { .string($0) }, "maskedPaths": maskedPaths.map { .strings($0) },
            "readonlyPaths": readonlyPaths.map { .strings($0) },
        ])
    }
}

extension OCISpec.Namespace {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(type: try fields.string("type"), path: try fields.optionalString("path"))
    }

    var json: JSONValue { .fields(["type": .string(type), "path": path.map { .string($0) }]) }
}

extension OCISpec.IDMapping {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(containerID: try fields.uint32("containerID"), hostID: try fields.uint32("hostID"), size: try fields.uint32("size"))
    }

    var json: JSONValue {
        .fields(["containerID": .integer(UInt64(containerID)), "hostID": .integer(UInt64(hostID)), "size": .integer(UInt64(size))])
    }
}

extension OCISpec.Device {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(path: try fields.string("path"), type: try fields.string("type"), major: try fields.int64("major"), minor: try fields.int64("minor"))
    }

    var json: JSONValue { .fields(["path": .string(path), "type": .string(type), "major": .integer(major), "minor": .integer(minor)]) }
}

extension OCISpec.Resources {
    init(_ fields: JSONFields) throws(JSONShapeError) {
        self.init(
            memory: try fields.optionalObject("memory").map { (fields) throws(JSONShapeError) in
                Memory(limit: try fields.optionalInt64("limit"), swap: try fields.optionalInt64("swap"))
            },
            pids: try fields.optionalObject("pids").map { (fields) throws(JSONShapeError) in Pids(limit: try fields.int64("limit")) },
            cpu: try fields.optionalObject("cpu").map { (fields) throws(JSONShapeError) in
                CPU(quota: try fields.optionalInt64("quota"), period: try fields.optionalUInt64("period"))
            },
            devices: try fields.optionalObjects("devices")?.map { (fields) throws(JSONShapeError) in
                DeviceRule(
                    allow: try fields.bool("allow"), type: try fields.optionalString("type"), major: try fields.optionalInt64("major"),
                    minor: try fields.optionalInt64("minor"), access: try fields.optionalString("access"))
            })
    }

    var json: JSONValue {
        .fields([
            "memory": memory.map { .fields(["limit": $0.limit.map { .integer($0) }, "swap": $0.swap.map { .integer($0) }]) },
            "pids": pids.map { .fields(["limit": .integer($0.limit)]) },
            "cpu": cpu.map { .fields(["quota": $0.quota.map { .integer($0) }, "period": $0.period.map { .integer($0) }]) },
            "devices": devices.map { rules in
                .array(
                    rules.map { rule in
                        .fields([
                            "allow": .bool(rule.allow), "type": rule.type.map { .string($0) }, "major": rule.major.map { .integer($0) },
                            "minor": rule.minor.map { .integer($0) }, "access": rule.access.map { .string($0) },
                        ])
                    })
            },
        ])
    }
}
