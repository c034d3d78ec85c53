package cn.lvzhi.ui

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Box
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.hasScrollToIndexAction
import androidx.compose.ui.test.performScrollToIndex
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import cn.lvzhi.core.Audience
import cn.lvzhi.core.Enrolment
import cn.lvzhi.core.GroupKind
import cn.lvzhi.core.MeetingDraft
import cn.lvzhi.core.MeetingKind
import cn.lvzhi.core.NewsDraft
import cn.lvzhi.core.NoticeContent
import cn.lvzhi.core.NoticeKind
import cn.lvzhi.core.ScheduledReminder
import cn.lvzhi.core.qrCode
import cn.lvzhi.state.ReminderScheduler
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder

/**
 * 首页, 扫码签到, reminders, older chat history and logging out, as rendered Compose screens on
 * the desktop JVM with the real core and a real server; and every tab at 1×, 1.3× and 2× text,
 * photographed and walked for labels, touch targets and clipped text.
 */
@OptIn(ExperimentalTestApi::class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class HomeScreensTest {
    private val h = Harness()
    private val notice = "关于报送2027年度履职情况的通知"
    private val meetingTitle = "宾川县葡萄产业高质量发展专题协商会"
    private val groupName = "经济界别学习交流群"
    private var meetingId = ""
    private var code = ""
    private val scheduled = CopyOnWriteArrayList<List<ScheduledReminder>>()
    private val scheduler = ReminderScheduler { scheduled += it }

    @BeforeAll
    fun start() {
        h.start()
        val staff = h.loggedIn("chenjing")
        val now = System.currentTimeMillis()
        staff.publishNotice(
            null,
            NoticeContent(notice, "请各位委员于本月底前报送年度履职情况。", NoticeKind.WORK, Audience.Members(false), true, now + 5 * 86_400_000L),
        )
        val start = now + 2 * 86_400_000L
        meetingId = staff.createMeeting(
            null,
            MeetingDraft(
                MeetingKind.CONSULTATION, meetingTitle, start, start + 3 * 3_600_000L, "县政协二楼会议室", "经济委员会",
                "一、通报产业情况；二、协商发言。", 1u, Enrolment.Invitation(listOf("demo-zhangming", "demo-wangfang")), false,
            ),
        )
        staff.publishNews(null, NewsDraft("宾川县政协召开十二届三次常委会议", "", "会议审议通过了年度协商计划。", null, true))
        // More history than a phone's timeline holds (100): the oldest are fetched on request.
        val group = staff.createGroup(groupName, GroupKind.SECTOR, listOf("demo-zhangming"))
        for (i in 1..120) staff.sendMessage(group, "第${i}条：学习《政协章程》第${i}页体会", null, emptyList())
        runBlocking { staff.syncNow() }
        code = runBlocking { staff.checkInCode(meetingId, now - 60_000L, start + 3 * 3_600_000L) }
    }

    @AfterAll
    fun stop() = h.stop()

    private fun SkikoComposeUiTest.show(login: String, camera: QrCamera? = null) {
        // Logged in (and synced) before the screen opens: some tests then stop the server.
        val app = if (h.app(login).me() == null) h.loggedIn(login) else h.app(login)
        setContent {
            CompositionLocalProvider(LocalQrCamera provides camera, LocalReminderScheduler provides scheduler) {
                LvzhiAppRoot(app, "测试设备")
            }
        }
    }

    @Test
    @Order(1)
    fun `the app opens on what needs the member now`() = phoneUi {
        show("zhangming")
        waitFor("待办：请回复通知回执，$notice", substring = true)
        waitFor("待办：请答复是否参加，$meetingTitle", substring = true)
        waitFor("未读通知：$notice")
        waitFor("近期会议：$meetingTitle", substring = true)
        waitFor("要闻：宾川县政协召开十二届三次常委会议")
        for (shortcut in listOf(S.WRITE_PROPOSAL, S.WRITE_REPORT, S.SCAN_CHECK_IN)) waitFor(shortcut)
        screenshot("60-home")
        // The system's notifications were handed the core's schedule. (Which of them fall in
        // the quiet hours depends on the hour the test runs; the core's tests fix the day.)
        val app = h.app("zhangming")
        h.eventually("the schedule reached the scheduler") { scheduled.lastOrNull() == app.reminderSchedule() }
        assertTrue(scheduled.last().any { it.key.startsWith("通知回执") && it.id.isNotEmpty() })
        // A 待办 opens its item.
        onNode(hasContentDescription("待办：请答复是否参加，$meetingTitle", substring = true)).performClick()
        waitFor("会议名称：$meetingTitle")
    }

    @Test
    @Order(2)
    fun `a tapped reminder opens its item`() = phoneUi {
        // What MainActivity does with the item a notification carries.
        val reminder = h.app("zhangming").reminderSchedule().first { it.entity == "meeting" || it.entity == "notice" }
        val nav = Navigation().apply { open(reminder.entity, reminder.id) }
        setContent { LvzhiAppRoot(h.app("zhangming"), "测试设备", nav) }
        waitFor(if (reminder.entity == "meeting") "会议名称：$meetingTitle" else "通知标题：$notice")
    }

    @Test
    @Order(2)
    fun `reminders of a kind switched off are taken off the system's schedule`() = phoneUi {
        show("zhangming")
        tap("${S.MINE}标签")
        tap(S.SETTINGS)
        waitFor("提醒会议活动")
        screenshot("61-settings")
        tap("提醒会议活动")
        h.eventually("meetings left the schedule") { scheduled.last().none { it.key.startsWith("会议活动") } }
        assertTrue(scheduled.last().any { it.key.startsWith("通知回执") })
        tap("提醒会议活动")
        h.eventually("the whole schedule back") { scheduled.last() == h.app("zhangming").reminderSchedule() }
    }

    @Test
    @Order(3)
    fun `a scanned QR code checks the member in, offline`() = phoneUi {
        // The frames a camera would deliver: an empty one, then the staff's code as the core
        // draws it, in grey light with sensor noise.
        val camera = FrameCamera(listOf(blankFrame(), frameOf(code)))
        h.loggedIn("wangfang")
        h.stop()
        try {
            show("wangfang", camera)
            tap(S.SCAN_CHECK_IN)
            waitFor(S.checkedIn(meetingTitle))
            screenshot("62-checked-in-by-scan")
        } finally {
            h.start()
        }
        assertTrue(h.app("wangfang").meeting(meetingId).item.checkedIn)
    }

    @Test
    @Order(4)
    fun `pasting stays as a fallback and a wrong code is refused in Chinese`() = phoneUi {
        show("zhangming")
        tap(S.SCAN_CHECK_IN)
        waitFor(S.CHECK_IN_NO_CAMERA)
        type(S.CHECK_IN_CODE, "LZQD1.abc.def")
        tap("粘贴签到码后签到")
        waitFor("提示：签到码无效")
        screenshot("63-check-in-paste")
    }

    @Test
    @Order(5)
    fun `older messages are fetched a page at a time`() = phoneUi {
        show("zhangming")
        tap("${S.GROUPS}标签")
        waitFor("群：$groupName", substring = true)
        onNode(hasContentDescription("群：$groupName", substring = true)).performClick()
        // It opens at the newest; the phone holds the newest hundred (21–120), the twenty
        // before come on request, above.
        waitFor("陈静：第120条：学习《政协章程》第120页体会")
        onNode(hasScrollToIndexAction()).performScrollToIndex(0)
        waitFor("陈静：第21条：学习《政协章程》第21页体会")
        tap(S.LOAD_OLDER)
        waitFor("陈静：第1条：学习《政协章程》第1页体会")
        waitFor(S.NO_OLDER)
        screenshot("64-chat-older")
    }

    @Test
    @Order(6)
    fun `every tab at 1x, 1_3x and 2x text, labelled and nothing cut off`() {
        for (scale in listOf(1f, 1.3f, 2f)) phoneUi(fontScale = scale) {
            show("zhangming")
            val suffix = if (scale == 1f) "" else "-${scale}x"
            waitFor("待办：请回复通知回执，$notice", substring = true)
            screenshot("65-home$suffix")
            for ((tab, name) in listOf(S.PROPOSALS to "proposals", S.MEETINGS to "duty", S.STUDY to "study", S.GROUPS to "groups", S.MINE to "mine")) {
                tap("${tab}标签")
                screenshot("66-tab-$name$suffix")
            }
            tap(S.SETTINGS)
            screenshot("67-settings$suffix")
            // The details a member opens from the home page.
            tap("${S.HOME}标签")
            onNode(hasContentDescription("待办：请回复通知回执，$notice", substring = true)).performClick()
            waitFor("通知标题：$notice")
            screenshot("69-notice$suffix")
            tap("${S.HOME}标签")
            onNode(hasContentDescription("近期会议：$meetingTitle", substring = true)).performScrollTo().performClick()
            waitFor("会议名称：$meetingTitle")
            screenshot("69-meeting$suffix")
            tap("${S.GROUPS}标签")
            onNode(hasContentDescription("群：$groupName", substring = true)).performClick()
            waitFor("陈静：第120条：学习《政协章程》第120页体会")
            screenshot("69-chat$suffix")
        }
    }

    @Test
    @Order(6)
    fun `the other screens at 2x text, labelled and nothing cut off`() = phoneUi(fontScale = 2f) {
        show("zhangming")
        waitFor("待办：请回复通知回执，$notice", substring = true)
        // 履职's pages, and the editors a member opens from the home page.
        for ((page, name) in listOf(S.NOTICE_BOARD to "notices", S.REPORTS to "reports", S.TOPICS to "topics", S.GRASSROOTS to "grassroots")) {
            openDuty(page)
            screenshot("70-duty-$name-2.0x")
        }
        tap("${S.HOME}标签")
        tap(S.WRITE_REPORT)
        screenshot("70-report-editor-2.0x")
        tap("${S.HOME}标签")
        tap(S.SCAN_CHECK_IN)
        screenshot("70-check-in-2.0x")
        tap(S.BACK)
        // 学习's pages.
        tap("${S.STUDY}标签")
        for ((page, name) in listOf(S.READING to "reading", S.NEWS to "news")) {
            tap(page)
            screenshot("70-study-$name-2.0x")
        }
        // 我的's screens.
        for ((item, name) in listOf(S.RECORD to "record", S.SELF_REPORTS to "self-reports", S.FEEDBACK to "feedback", S.SEARCH to "search", S.OUTBOX to "outbox", S.STORAGE to "storage")) {
            tap("${S.MINE}标签")
            tap(item)
            screenshot("70-mine-$name-2.0x")
            tap(S.BACK)
        }
        tap("${S.PROPOSALS}标签")
        tap(S.NEW_PROPOSAL)
        screenshot("70-proposal-editor-2.0x")
    }

    @Test
    @Order(7)
    fun `logging out with unsent work says what would be lost and asks first`() = phoneUi {
        h.loggedIn("lihua")
        show("lihua")
        h.stop()
        try {
            tap("${S.MINE}标签")
            tap(S.FEEDBACK)
            type("意见建议内容", "建议在乡镇设立委员联络站。")
            tap("提交意见建议")
            tap(S.BACK)
            tap(S.SETTINGS)
            tap(S.LOGOUT)
            waitFor(S.logoutLoses(1))
            screenshot("68-logout-unsent")
            tap("暂不退出")
            tap(S.LOGOUT)
            tap("仍然退出")
            waitFor("登录履职")
        } finally {
            h.start()
        }
        assertEquals(null, h.app("lihua").me())
    }
}

/** A camera that delivers the given frames, one every 50 ms, on its own thread. */
class FrameCamera(private val frames: List<LumaFrame>) : QrCamera {
    @Composable
    override fun Preview(modifier: Modifier) {
        Box(modifier.background(Color.DarkGray).semantics { contentDescription = "相机取景" })
    }

    override fun start(onFrame: (LumaFrame) -> Unit): AutoCloseable {
        val thread = Thread {
            try {
                for (f in frames) {
                    Thread.sleep(50)
                    onFrame(f)
                }
            } catch (_: InterruptedException) {
            }
        }.apply { isDaemon = true; start() }
        return AutoCloseable { thread.interrupt() }
    }
}

private const val W = 640
private const val H = 480

fun blankFrame() = LumaFrame(ByteArray(W * H) { 128.toByte() }, W, H)

/** A 640×480 frame holding [text]'s QR code as the core draws it, 3 px a module, with noise. */
fun frameOf(text: String): LumaFrame {
    val m = qrCode(text)
    val n = m.size.toInt()
    val cell = 3
    val side = (n + 8) * cell
    val (x0, y0) = (W - side) / 2 to (H - side) / 2
    val random = Random(7)
    val luma = ByteArray(W * H) { (120 + random.nextInt(20)).toByte() }
    for (y in 0 until side) for (x in 0 until side) {
        val (mx, my) = x / cell - 4 to y / cell - 4
        val dark = mx in 0 until n && my in 0 until n && m.dark[my * n + mx]
        luma[(y0 + y) * W + x0 + x] = ((if (dark) 35 else 215) + random.nextInt(10)).toByte()
    }
    return LumaFrame(luma, W, H)
}
