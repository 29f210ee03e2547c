import Foundation
import Testing

@testable import Engine

@Suite("Building images from recipes")
struct ImageBuildTests {
    static let recipes = ImageRecipeTests.recipes

    static func buildAll(_ store: ImageStore) throws -> [String: StoredImage] {
        var built: [String: StoredImage] = [:]
        for name in ["software-c-5.0", "software-c-6.0", "app-a", "app-b"] {
            built[name] = try store.build(recipe: recipes.appendingPathComponent(name + ".yaml").path)
        }
        return built
    }

    @Test(
        "the versions recipes stack: busybox, then software C, then the app; two builds give the same ids",
        .enabled(if: ImageBaseTests.hasStaticBusybox, "needs Debian's busybox-static (/bin/busybox)"))
    func stacks() throws {
        let scratch = try ScratchDirectory()
        let built = try Self.buildAll(scratch.store)
        let base = try scratch.store.resolve("busybox")
        let c5 = try #require(built["software-c-5.0"])
        let c6 = try #require(built["software-c-6.0"])
        let a = try #require(built["app-a"])
        let b = try #require(built["app-b"])
        #expect(c5.layers.count == 2 && a.layers.count == 3 && b.layers.count == 3)
        #expect(a.layers[0] == base.layers[0] && b.layers[0] == base.layers[0], "one base layer, shared")
        #expect(Array(a.layers.prefix(2)) == c5.layers && Array(b.layers.prefix(2)) == c6.layers)
        #expect(c5.layers[1].diffID != c6.layers[1].diffID)
        #expect(a.lowerDirectories == a.layers.reversed().map(\.directory))
        #expect(try Witness.text(c5.layers[1].directory + "/opt/c/VERSION") == "5.0.3\n")
        #expect(FileManager.default.fileExists(atPath: a.layers[2].directory + "/app/run"))
        #expect(!FileManager.default.fileExists(atPath: a.layers[2].directory + "/opt"), "the app layer holds only its own files")
        #expect(a.config.cmd == ["/app/run"] && a.config.env.contains("C_HOME=/opt/c") && a.config.env.contains { $0.hasPrefix("PATH=") })
        #expect(
            try scratch.store.list().map(\.reference) == [
                "app-a:latest", "app-b:latest", "busybox:latest", "software-c:5.0", "software-c:6.0",
            ])

        let again = try Self.buildAll(ImageStore(root: scratch.url.appendingPathComponent("again")))
        #expect(again.mapValues(\.id) == built.mapValues(\.id), "same recipes, same base: same image ids")
    }

    @Test(
        "app A runs with C 5 and app B with C 6, each in its image's own overlay root",
        .enabled(if: ImageBaseTests.hasStaticBusybox && Witness.isInstalled("unshare"), "needs busybox-static and unshare"))
    func appsRun() throws {
        let scratch = try ScratchDirectory()
        let built = try Self.buildAll(scratch.store)
        // By its path: an ordinary user's PATH often lacks /usr/sbin.
        let chroot = try #require(
            ["/usr/sbin/chroot", "/usr/bin/chroot", "/sbin/chroot"].first { FileManager.default.isExecutableFile(atPath: $0) })
        for (app, expected) in [("app-a", "app A running with C 5.0.3"), ("app-b", "app B running with C 6.0.1")] {
            let image = try #require(built[app])
            let root = scratch.sub("root-\(app)")
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
            let options = (Witness.isRoot ? "" : "userxattr,") + "lowerdir=" + image.lowerDirectories.joined(separator: ":")
            let environment = image.config.env.joined(separator: " ")
            let script =
                "mount -t overlay overlay -o \(options) \(root) && \(chroot) \(root) /usr/bin/env -i \(environment) \(image.config.cmd?.joined(separator: " ") ?? "")"
            let (status, output) = try Witness.run("unshare", (Witness.isRoot ? ["-m"] : ["-Urm"]) + ["sh", "-c", script])
            #expect(status == 0 && output == expected + "\n", "\(app): \(output)")
        }
    }

    @Test(
        "onlyIfMissing builds what is missing and leaves what is there",
        .enabled(if: ImageBaseTests.hasStaticBusybox, "needs Debian's busybox-static (/bin/busybox)"))
    func onlyIfMissing() throws {
        let scratch = try ScratchDirectory()
        let c5 = Self.recipes.appendingPathComponent("software-c-5.0.yaml").path
        let built = try #require(try scratch.store.build(recipe: c5, onlyIfMissing: true))
        #expect(built.reference == "software-c:5.0")
        let before = try ImageFixtures.snapshot(scratch.sub("store"))
        #expect(try scratch.store.build(recipe: c5, onlyIfMissing: true) == nil)
        #expect(try ImageFixtures.snapshot(scratch.sub("store")) == before)
        #expect(try scratch.store.build(recipe: c5, onlyIfMissing: false) == built, "a rebuild gives the same image")
    }

    @Test("a recipe from an image that is not there says what to type")
    func missingFrom() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("r.yaml", Array("name: x\nfrom: nothing:1\nfiles: []\n".utf8))
        let error = try #require(throws: ImageError.self) { try scratch.store.build(recipe: scratch.sub("r.yaml")) }
        #expect(error.kind == .notFound && error.description.contains("ctutor images"))
        let missing = try #require(throws: ImageError.self) { try scratch.store.build(recipe: scratch.sub("none.yaml")) }
        #expect(missing.kind == .notFound)
    }
}
