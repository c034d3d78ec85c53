package cn.lvzhi.ui

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.performScrollTo
import cn.lvzhi.core.PushKind
import cn.lvzhi.core.pushKindLabel
import cn.lvzhi.state.NotificationSettingsState
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * 我的 → 设置 → 推送通知 as rendered Compose screens with the real core and server: the master
 * switch, a switch per kind and the quiet hours, each saved in the core at once; and the state
 * holder behind them.
 */
@OptIn(ExperimentalTestApi::class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationSettingsTest {
    private val h = Harness()

    @BeforeAll
    fun start() = h.start()

    @AfterAll
    fun stop() = h.stop()

    private fun SkikoComposeUiTest.openSettings(login: String) {
        val app = h.loggedIn(login)
        setContent { LvzhiAppRoot(app, "测试设备") }
        tap("${S.MINE}标签")
        tap(S.SETTINGS)
        waitFor(S.PUSH_ALL)
    }

    private fun SkikoComposeUiTest.stateOf(description: String): String? {
        waitFor(description)
        return onNodeWithContentDescription(description).fetchSemanticsNode().config.getOrNull(SemanticsProperties.StateDescription)
    }

    @Test
    fun `the state holder saves each switch and turns the quiet hours off and back on`() {
        val app = h.loggedIn("wangfang")
        val state = NotificationSettingsState(app)
        val s = state.settings.value!!
        assertTrue(s.enabled)
        assertTrue(NotificationSettingsState.hasQuietHours(s))
        assertEquals(PushKind.entries.size, NotificationSettingsState.KINDS.size)
        assertTrue(state.setKind(PushKind.MEETING_CHANGED, false))
        assertTrue(state.setKind(PushKind.MEETING_CHANGED, false), "twice off is still once in the list")
        assertEquals(listOf(PushKind.MEETING_CHANGED), app.notificationSettings().off)
        assertTrue(state.setQuietHours(false))
        assertFalse(NotificationSettingsState.hasQuietHours(app.notificationSettings()))
        assertEquals("免打扰 22:00–07:00", NotificationSettingsState.quietLabel(state.quietWindow))
        assertTrue(state.setQuietHours(true))
        assertEquals((22 * 60).toUShort() to (7 * 60).toUShort(), app.notificationSettings().let { it.quietFromMinute to it.quietUntilMinute })
        assertTrue(state.setKind(PushKind.MEETING_CHANGED, true))
        assertEquals(s, app.notificationSettings())
        assertEquals(null, state.error.value)
    }

    @Test
    fun `the settings screen's push switches are saved in the core`() = phoneUi {
        openSettings("zhangming")
        val app = h.app("zhangming")
        val mention = "推送" + pushKindLabel(PushKind.MENTION)
        val quiet = "免打扰 22:00–07:00"
        assertEquals("开", stateOf(mention))
        assertEquals("开", stateOf(quiet))
        onNodeWithContentDescription(S.PUSH_ALL).performScrollTo()
        screenshot("63-settings-push")
        tap(mention)
        h.eventually("a mention switched off") { PushKind.MENTION in app.notificationSettings().off }
        assertEquals("关", stateOf(mention))
        tap(quiet)
        h.eventually("no quiet hours") { !NotificationSettingsState.hasQuietHours(app.notificationSettings()) }
        assertEquals("关", stateOf(quiet))
        tap(S.PUSH_ALL)
        h.eventually("push off") { !app.notificationSettings().enabled }
        assertEquals("关", stateOf(S.PUSH_ALL))
        screenshot("64-settings-push-off")
        // All back on: the defaults again.
        tap(S.PUSH_ALL)
        tap(quiet)
        tap(mention)
        h.eventually("the defaults again") {
            app.notificationSettings().let { it.enabled && it.off.isEmpty() && it.quietFromMinute.toInt() == 22 * 60 && it.quietUntilMinute.toInt() == 7 * 60 }
        }
    }

    @Test
    fun `the push section reads at twice the text size`() = phoneUi(fontScale = 2f) {
        openSettings("lihua")
        waitFor("推送" + pushKindLabel(PushKind.STAFF_WORK))
        onNodeWithContentDescription(S.PUSH_ALL).performScrollTo()
        screenshot("65-settings-push-2x")
    }
}
