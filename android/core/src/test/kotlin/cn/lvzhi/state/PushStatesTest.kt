package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.LvzhiException
import cn.lvzhi.core.NotificationSettings
import cn.lvzhi.core.PushKind
import cn.lvzhi.core.PushVendor
import cn.lvzhi.core.pushKindLabel
import cn.lvzhi.core.pushKinds
import cn.lvzhi.core.pushVendorForManufacturer
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/** The push token and the push settings through the bindings, to the server and another phone. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushStatesTest {
    private val server = TestServer()

    @BeforeAll
    fun start() = server.start()

    @AfterAll
    fun stop() = server.stop()

    @Test
    fun `the vendor of an Android phone by its manufacturer`() {
        assertEquals(PushVendor.HMS, pushVendorForManufacturer("HUAWEI"))
        assertEquals(PushVendor.HONOR, pushVendorForManufacturer("HONOR"))
        assertEquals(PushVendor.XIAOMI, pushVendorForManufacturer("Redmi"))
        assertEquals(PushVendor.OPPO, pushVendorForManufacturer("OnePlus"))
        assertEquals(PushVendor.VIVO, pushVendorForManufacturer("vivo"))
        assertNull(pushVendorForManufacturer("Google"))
        assertEquals(PushKind.entries.toList(), pushKinds())
        assertTrue(pushKinds().all { pushKindLabel(it).isNotBlank() })
    }

    @Test
    fun `a token waits for the login, then reaches the server with the next sync`() {
        val app = server.app("wangfang")
        val tokens = PushTokens(app)
        assertFalse(tokens.received(PushVendor.XIAOMI, "mi-reg-id-0001"), "no one logged in yet")
        runBlocking { app.login("wangfang", TestServer.PASSWORD, "测试设备") }
        assertTrue(tokens.register(), "registered after the login")
        assertTrue(app.unsentCount() > 0u, "queued for the next sync")
        runBlocking { app.syncNow() }
        assertEquals(0u, app.unsentCount())
        // The same token again changes nothing; a refreshed one is queued.
        assertTrue(tokens.register())
        assertEquals(0u, app.unsentCount())
        assertTrue(tokens.received(PushVendor.XIAOMI, "mi-reg-id-0002"))
        assertTrue(app.unsentCount() > 0u)
        runBlocking { app.syncNow() }
        assertEquals(0u, app.unsentCount())
        // An APNs token is hex; anything else is refused in Chinese.
        val e = assertFailsWith<LvzhiException> { app.registerPushToken(PushVendor.APNS, "not hex!") }
        assertTrue(e.message.orEmpty().isNotBlank())
    }

    @Test
    fun `settings changed on one phone are read back equal, here and on the person's other phone`() {
        val phone = server.loggedIn("zhangming")
        val state = NotificationSettingsState(phone)
        val defaults = NotificationSettings(true, emptyList(), (22 * 60).toUShort(), (7 * 60).toUShort())
        assertEquals(defaults, state.settings.value)
        assertEquals("免打扰 22:00–07:00", NotificationSettingsState.quietLabel(state.quietWindow))

        assertTrue(state.setKind(PushKind.PROPOSAL_RATING, false))
        assertTrue(state.setKind(PushKind.NOTICE, false))
        assertTrue(state.setQuietHours(false))
        val changed = defaults.copy(off = listOf(PushKind.NOTICE, PushKind.PROPOSAL_RATING), quietFromMinute = 0u, quietUntilMinute = 0u)
        assertEquals(changed, state.settings.value)
        assertEquals(changed, phone.notificationSettings())
        // Off, the switch still names the window it turns back on.
        assertEquals("免打扰 22:00–07:00", NotificationSettingsState.quietLabel(state.quietWindow))
        runBlocking { phone.syncNow() }

        // The same person's second phone.
        val other = LvzhiApp.openEncrypted(File(server.dir, "zhangming-2.db").path, server.url, TestServer.TEST_KEY, emptyList())
        runBlocking {
            other.login("zhangming", TestServer.PASSWORD, "第二部手机")
            other.syncNow()
        }
        server.eventually("the other phone has the settings") {
            runBlocking { other.syncNow() }
            other.notificationSettings() == changed
        }
        // Back on there, and here after a sync.
        val there = NotificationSettingsState(other)
        assertTrue(there.setQuietHours(true))
        assertTrue(there.setKind(PushKind.NOTICE, true))
        assertTrue(there.setEnabled(false))
        val back = changed.copy(enabled = false, off = listOf(PushKind.PROPOSAL_RATING), quietFromMinute = (22 * 60).toUShort(), quietUntilMinute = (7 * 60).toUShort())
        assertEquals(back, other.notificationSettings())
        runBlocking { other.syncNow() }
        server.eventually("this phone has them back") {
            runBlocking { phone.syncNow() }
            phone.notificationSettings() == back
        }
        state.refresh()
        assertEquals(back, state.settings.value)
        other.close()
    }
}
