import Foundation
import XCTest
@testable import LvzhiKit

/// APNs' token to the core, and the push settings: saved, and read back equal on the person's
/// other phone after a sync.
final class PushTests: ServerTestCase {
    func testTheDeviceTokenIsLowercaseHexAndWaitsForTheLogin() throws {
        XCTAssertEqual(PushRegistration.hex(Data([0x00, 0x0f, 0xa0, 0xff, 0x7b])), "000fa0ff7b")
        let token = Data((0..<32).map { UInt8($0 * 7 & 0xff) })
        XCTAssertEqual(PushRegistration.hex(token).count, 64)

        let wang = try app("wangfang")
        let push = PushRegistration(app: wang)
        XCTAssertFalse(push.received(deviceToken: token), "no one logged in yet")
        let password = self.password
        _ = try run { try await wang.login(login: "wangfang", password: password, deviceName: "测试iPhone") }
        XCTAssertTrue(push.register(), "registered after the login")
        XCTAssertGreaterThan(try wang.unsentCount(), 0, "queued for the next sync")
        try sync(wang)
        XCTAssertEqual(try wang.unsentCount(), 0)
        // The same token again changes nothing; a new one is queued.
        XCTAssertTrue(push.register())
        XCTAssertEqual(try wang.unsentCount(), 0)
        XCTAssertTrue(push.received(deviceToken: Data(repeating: 0xab, count: 32)))
        XCTAssertGreaterThan(try wang.unsentCount(), 0)
        try sync(wang)
        XCTAssertEqual(try wang.unsentCount(), 0)
    }

    func testSettingsAreSavedAndReachThePersonsOtherPhone() throws {
        let phone = try loggedIn("zhangming")
        let model = NotificationSettingsModel(app: phone)
        let defaults = NotificationSettings(enabled: true, off: [], quietFromMinute: 22 * 60, quietUntilMinute: 7 * 60)
        XCTAssertEqual(model.settings.value, defaults)
        XCTAssertEqual(NotificationSettingsModel.kinds.count, pushKinds().count)
        XCTAssertEqual(NotificationSettingsModel.quietLabel(model.quietWindow), "免打扰 22:00–07:00")

        XCTAssertTrue(model.set(.proposalRating, false))
        XCTAssertTrue(model.set(.notice, false))
        XCTAssertTrue(model.set(.notice, false))
        XCTAssertTrue(model.setQuietHours(false))
        var changed = defaults
        changed.off = [.notice, .proposalRating]
        changed.quietFromMinute = 0
        changed.quietUntilMinute = 0
        XCTAssertEqual(model.settings.value, changed)
        XCTAssertEqual(try phone.notificationSettings(), changed)
        XCTAssertEqual(NotificationSettingsModel.quietLabel(model.quietWindow), "免打扰 22:00–07:00")
        try sync(phone)

        // The same person's second phone.
        let other = try app("zhangming-2")
        let password = self.password
        _ = try run { try await other.login(login: "zhangming", password: password, deviceName: "第二部iPhone") }
        eventually("the other phone has the settings") {
            (try? sync(other)) != nil && (try? other.notificationSettings()) == changed
        }
        let there = NotificationSettingsModel(app: other)
        XCTAssertTrue(there.setQuietHours(true))
        XCTAssertTrue(there.set(.notice, true))
        XCTAssertTrue(there.setEnabled(false))
        var back = changed
        back.enabled = false
        back.off = [.proposalRating]
        back.quietFromMinute = 22 * 60
        back.quietUntilMinute = 7 * 60
        XCTAssertEqual(try other.notificationSettings(), back)
        try sync(other)
        eventually("this phone has them back") {
            (try? sync(phone)) != nil && (try? phone.notificationSettings()) == back
        }
        model.refresh()
        XCTAssertEqual(model.settings.value, back)
        XCTAssertNil(model.error.value)
    }
}
