package cn.lvzhi.ui

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import cn.lvzhi.core.Enrolment
import cn.lvzhi.core.MeetingDraft
import cn.lvzhi.core.MeetingKind
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder

/**
 * 通知, 会议, 待办 and 履职档案 as rendered Compose screens, driven by what TalkBack reads, on the
 * real core and server: staff publish a notice on the screen, a member answers its 回执 and
 * checks in to a meeting with a signed code, staff follow up by name and check a member in by
 * hand, and the member's record shows the meeting.
 */
@OptIn(ExperimentalTestApi::class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class DutyScreensTest {
    private val h = Harness()
    private val notice = "关于报送2027年度委员履职情况的通知"
    private val meetingTitle = "宾川县葡萄产业发展专题协商会"
    private var meetingId = ""
    private var code = ""

    @BeforeAll
    fun start() = h.start()

    @AfterAll
    fun stop() = h.stop()

    private fun SkikoComposeUiTest.show(login: String) = setContent { LvzhiAppRoot(h.loggedIn(login), "测试设备") }

    @Test
    @Order(1)
    fun `staff publish a notice with a 回执 from the screen`() = phoneUi {
        show("chenjing")
        tap("${S.MEETINGS}标签")
        tap(S.NOTICE_BOARD)
        tap(S.PUBLISH)
        tap("发布")
        waitFor("提示：标题不能为空")
        type("通知标题", notice)
        type("通知正文", "请各位委员于本月底前报送年度履职情况。")
        type("回执期限", "7")
        screenshot("20-publish-notice")
        tap("发布")
        waitFor("通知标题：$notice")
        // A meeting for the next tests, with a check-in code fetched while online.
        val staff = h.app("chenjing")
        val start = System.currentTimeMillis() + 60_000L
        meetingId = staff.createMeeting(
            null,
            MeetingDraft(
                MeetingKind.CONSULTATION, meetingTitle, start, start + 3 * 3_600_000L, "县政协二楼会议室", "经济委员会",
                "一、通报产业情况；二、协商发言。", 1u, Enrolment.Invitation(listOf("demo-zhangming", "demo-wangfang")), false,
            ),
        )
        staff.setMeetingDocument(meetingId, null, "宾川县葡萄产业发展情况通报", "2026年全县葡萄种植面积达……")
        runBlocking { staff.syncNow() }
        code = runBlocking { staff.checkInCode(meetingId, System.currentTimeMillis() - 60_000L, start + 3 * 3_600_000L) }
    }

    @Test
    @Order(2)
    fun `a member sees it as a 待办 and answers the 回执`() = phoneUi {
        show("zhangming")
        // The app opens on 首页, the notice among 待办 and the unread.
        waitFor("待办：请回复通知回执，$notice", substring = true)
        waitFor("未读通知：$notice")
        screenshot("21-home-todo-and-notices")
        onNode(hasContentDescription("待办：请回复通知回执，$notice", substring = true)).performClick()
        waitForIdle()
        tap("回执")
        tap("参加")
        tap("确定回执")
        waitFor("我的回执：参加")
        screenshot("22-notice-answered")
    }

    @Test
    @Order(3)
    fun `the member answers the meeting and checks in with the code`() = phoneUi {
        show("zhangming")
        tap("${S.MEETINGS}标签")
        onNode(hasContentDescription("会议：$meetingTitle", substring = true)).performClick()
        waitForIdle()
        waitFor("会议材料：宾川县葡萄产业发展情况通报")
        tap("参加")
        waitFor("我的状态：参加")
        tap("签到")
        type("签到码", code.dropLast(2) + "xx")
        tap("确定签到")
        waitFor("提示：签到码无效")
        screenshot("23-meeting-bad-code")
    }

    @Test
    @Order(4)
    fun `a good code checks in and the record counts the meeting`() = phoneUi {
        show("zhangming")
        tap("${S.MEETINGS}标签")
        onNode(hasContentDescription("会议：$meetingTitle", substring = true)).performClick()
        waitForIdle()
        tap("签到")
        type("签到码", code)
        tap("确定签到")
        waitFor("我的状态：参加，已签到")
        screenshot("24-checked-in")
        tap("${S.MINE}标签")
        tap(S.RECORD)
        waitFor("参加会议活动（每半天）1次，5分")
        screenshot("25-duty-record")
    }

    @Test
    @Order(5)
    fun `staff follow up by name and check a member in by hand`() = phoneUi {
        runBlocking { h.app("zhangming").syncNow() }
        show("chenjing")
        tap("${S.MEETINGS}标签")
        tap(S.NOTICE_BOARD)
        onNode(hasContentDescription("通知：$notice", substring = true)).performClick()
        waitForIdle()
        waitFor("张明：参加")
        waitFor("王芳：未读")
        screenshot("26-notice-follow-up")
        tap(S.MEETING_LIST)
        onNode(hasContentDescription("会议：$meetingTitle", substring = true)).performClick()
        waitForIdle()
        tap("代签到")
        tap("王芳")
        tap("确定代签到")
        waitFor("王芳：待答复　已签到")
        tap("取得签到码")
        waitFor("签到码已生成")
        screenshot("27-meeting-roster")
    }

    @Test
    @Order(6)
    fun `a member reports a duty and writes feedback, staff accept it and the administrator answers`() {
        phoneUi {
            show("zhangming")
            tap("${S.MINE}标签")
            tap(S.SELF_REPORTS)
            tap("提交自主履职")
            waitFor("提示：标题不能为空")
            type("履职事项", "走访金牛镇葡萄种植户")
            type("履职内容", "了解冬季冻害后的补种情况，收集意见5条。")
            tap("提交自主履职")
            waitFor("自主履职：走访金牛镇葡萄种植户，待审核")
            screenshot("28-self-report")
            tap(S.BACK)
            tap(S.FEEDBACK)
            type("意见建议内容", "希望会议材料能提前三天推送。")
            tap("提交意见建议")
            waitFor("答复：待答复")
        }
        h.sync("zhangming")
        h.loggedIn("zhaolei")
        h.sync("chenjing")
        phoneUi {
            show("chenjing")
            tap("${S.MINE}标签")
            tap(S.SELF_REPORTS)
            tap("认定走访金牛镇葡萄种植户")
            waitFor("自主履职：走访金牛镇葡萄种植户，已认定")
        }
        phoneUi {
            show("zhaolei")
            tap("${S.MINE}标签")
            tap(S.FEEDBACK)
            tap("答复意见建议：希望会议材料能提前三天推送。")
            type("答复", "已采纳，今后会议材料提前三天发布。")
            tap("确定答复意见建议")
            waitFor("答复：已采纳，今后会议材料提前三天发布。")
            screenshot("29-feedback-answered")
        }
    }
}
