import Foundation
import XCTest
@testable import LvzhiKit

/// A real lvzhi-server (the demo data) per test, started and stopped as a process (stopping it
/// is how a phone goes offline), and real device databases. The server binary comes from
/// LVZHI_SERVER_BIN; without it a test fails, never skips.
class ServerTestCase: XCTestCase {
    let password = "lvzhi-demo-2027"
    var dir: URL!
    var server: Process?
    var address = "127.0.0.1:0"

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lvzhi-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try startServer()
    }

    override func tearDown() {
        stopServer()
        // The devices' databases close before their folder goes (each test left 7 MB behind).
        apps = [:]
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    /// Runs async core calls from this synchronous test (XCTest's async support differs across
    /// platforms; a semaphore does not).
    func run<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<T, Error>!
        Task.detached {
            do { result = .success(try await body()) } catch { result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try result.get()
    }

    func startServer() throws {
        // Run through scripts/test-swift, which sets it; without a server the test fails, never skips.
        guard let bin = ProcessInfo.processInfo.environment["LVZHI_SERVER_BIN"] else {
            throw NSError(domain: "LVZHI_SERVER_BIN is not set: run scripts/test-swift", code: 1)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["--db", dir.appendingPathComponent("server.db").path, "--listen", address, "--demo", "--login-burst", "1000"]
        // The server's output goes to a file we poll: no pipe to block on.
        let log = dir.appendingPathComponent("server-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: log)
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<600 {
            let printed = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = printed.split(separator: "\n").first(where: { $0.contains("listening on http://") }) {
                address = String(line.components(separatedBy: "http://")[1])
                server = p
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw NSError(domain: "the server did not start", code: 1)
    }

    func stopServer() {
        server?.terminate() // SIGTERM: graceful
        server?.waitUntilExit()
        server = nil
    }

    var apps: [String: LvzhiApp] = [:]

    /// The device of `name`, opened once per test.
    func app(_ name: String) throws -> LvzhiApp {
        if let open = apps[name] { return open }
        // The tests' key provider is a constant; the app's comes from the Keychain.
        let opened = try LvzhiApp.openEncrypted(
            dbPath: dir.appendingPathComponent("\(name).db").path, serverUrl: "http://\(address)",
            key: Data(repeating: 0x5a, count: 32), pins: []
        )
        apps[name] = opened
        return opened
    }

    /// Waits (no timing assertions: only a generous cap) until `check` holds.
    func eventually(_ what: String, _ check: () -> Bool) {
        for _ in 0..<400 where !check() {
            Thread.sleep(forTimeInterval: 0.05)
        }
        // Said on stdout first: a failing assertion's message has crashed XCTest on Linux.
        if !check() { print("eventually failed: \(what)") }
        XCTAssertTrue(check(), what)
    }

    /// The device of `login`, logged in and synced.
    func loggedIn(_ login: String) throws -> LvzhiApp {
        let device = try app(login)
        let password = self.password
        if device.me() == nil {
            _ = try run { try await device.login(login: login, password: password, deviceName: "测试iPhone") }
        }
        try run { try await device.syncNow() }
        return device
    }

    func sync(_ devices: LvzhiApp...) throws {
        for d in devices { try run { try await d.syncNow() } }
    }
}
