package cn.lvzhi.ui

import androidx.compose.runtime.remember
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import cn.lvzhi.core.GroupKind
import cn.lvzhi.core.MessageState
import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.FormValue
import cn.lvzhi.core.ProposalState
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
 * The real Compose screens, on the desktop JVM, bound to the real core (generated bindings, the
 * Rust library through JNA) against a real lvzhi-server: a member's proposal from an offline
 * draft to a rated reply, across five accounts, and a chat. Nodes are found by the content
 * descriptions a screen reader reads, so the tests also prove those labels exist.
 */
@OptIn(ExperimentalTestApi::class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class ScreensTest {
    private val h = Harness()
    private val title = "关于加强宾川县农村饮水安全保障的提案"
    private var proposalId = ""

    @BeforeAll
    fun start() = h.start()

    @AfterAll
    fun stop() = h.stop()

    // These tests follow proposals: the app opens on 首页, they start on the proposals' tab.
    private fun SkikoComposeUiTest.show(login: String) =
        setContent { LvzhiAppRoot(h.app(login), "测试设备", remember { Navigation().apply { tab = Tab.Proposals } }) }

    private fun SkikoComposeUiTest.openRow() {
        waitFor("提案：$title", substring = true)
        onNode(hasContentDescription("提案：$title", substring = true)).performClick()
        waitForIdle()
    }

    @Test
    @Order(1)
    fun `login refuses a wrong password in Chinese, then opens the proposals`() = phoneUi {
        show("wangfang")
        waitFor("登录履职")
        screenshot("01-login")
        type(S.ACCOUNT, "wangfang")
        type(S.PASSWORD, "not-the-password")
        tap("登录履职")
        waitFor("提示：账号或密码错误")
        onNodeWithContentDescription(S.PASSWORD).performTextInput("")
        h.app("wangfang").let { runBlocking { it.login("wangfang", cn.lvzhi.state.TestServer.PASSWORD, "测试设备") } }
        show("wangfang")
        waitFor(S.NEW_PROPOSAL)
        waitFor("同步状态：", substring = true)
    }

    @Test
    @Order(2)
    fun `a member drafts offline and the outbox shows it until the network returns`() = phoneUi {
        h.loggedIn("zhangming")
        h.stop()
        try {
            offlineDraft()
        } finally {
            h.start()
        }
        h.sync("zhangming")
        waitFor(S.OUTBOX_EMPTY)
    }

    private fun SkikoComposeUiTest.offlineDraft() {
        show("zhangming")
        tap(S.NEW_PROPOSAL)
        type(S.TITLE, title)
        type(S.CATEGORY, "社会建设")
        type(S.CAUSE, "宾川县部分山区村组饮水工程老化，旱季供水不稳定，群众反映强烈。")
        type(S.SUGGESTIONS, "一是实施管网改造；二是建设备用水源；三是落实管护责任。")
        screenshot("02-editor")
        tap("保存并返回")
        // Saved, the draft opens.
        waitFor("状态：草稿")
        proposalId = h.app("zhangming").proposals().first { it.title == title }.id
        tap("${S.MINE}标签")
        tap(S.OUTBOX)
        waitFor("待发送项：起草提案：$title", substring = true)
        runCatching { runBlocking { h.app("zhangming").syncNow() } }
        waitFor("同步状态：离线", substring = true)
        screenshot("03-outbox-offline")
    }

    @Test
    @Order(3)
    fun `he invites a co-proposer found by her sector, and she accepts on her own account`() {
        phoneUi {
            show("zhangming")
            openRow()
            tap("邀请联名")
            type(S.PEOPLE_HINT, "农业和农村")
            tap("选择李华")
            tap("确定邀请联名")
            waitFor("联名：李华，待答复")
            tap("发起联名")
            waitFor("状态：联名中")
            screenshot("04-detail-cosigning")
        }
        h.sync("zhangming")
        h.loggedIn("lihua")
        phoneUi {
            show("lihua")
            openRow()
            tap("同意联名")
            waitFor("联名：李华，已同意")
        }
        h.sync("lihua", "zhangming")
    }

    @Test
    @Order(4)
    fun `he submits the proposal`() = phoneUi {
        show("zhangming")
        openRow()
        waitFor("联名：李华，已同意")
        tap("提交提案")
        waitFor("状态：已提交")
        h.sync("zhangming")
        assertEquals(ProposalState.SUBMITTED, h.loggedIn("chenjing").proposal(proposalId).state)
    }

    @Test
    @Order(5)
    fun `staff register it and assign it to two units in parallel`() = phoneUi {
        show("chenjing")
        openRow()
        tap("立案")
        waitFor("状态：已立案")
        tap("交办")
        tap("分办")
        tap("选择宾川县农业农村局")
        tap("选择宾川县水务局")
        screenshot("05-staff-assign")
        tap("确定交办")
        waitFor("状态：办理中")
        h.sync("chenjing")
        val d = h.app("chenjing").proposal(proposalId)
        assertEquals(listOf("宾川县农业农村局", "宾川县水务局"), d.assignments.map { it.unitName })
    }

    @Test
    @Order(6)
    fun `a unit replies with its category`() {
        h.loggedIn("liujun")
        phoneUi {
            show("liujun")
            openRow()
            tap("答复提案")
            tap("A类（已解决或采纳）")
            type("答复内容", "已将宾川县农村饮水工程纳入年度计划，年内完成改造。")
            tap("确定答复提案")
            waitFor("宾川县农业农村局答复：", substring = true)
        }
        h.sync("liujun")
        val water = h.loggedIn("sunli")
        water.takeAction(proposalId, ActionKind.PROPOSAL_REPLY, listOf(FormValue("category", "b"), FormValue("text", "拟于明年完成备用水源建设。")))
        h.sync("sunli", "chenjing")
        h.app("chenjing").takeAction(proposalId, ActionKind.PROPOSAL_APPROVE_REPLIES, emptyList())
        h.sync("chenjing", "zhangming", "lihua")
    }

    @Test
    @Order(7)
    fun `the member reads both replies and rates them`() = phoneUi {
        show("zhangming")
        openRow()
        waitFor("状态：待测评")
        waitFor("宾川县农业农村局答复：已将宾川县农村饮水工程纳入年度计划，年内完成改造。")
        waitFor("宾川县水务局答复：拟于明年完成备用水源建设。")
        screenshot("06-detail-replies")
        tap("测评")
        tap("满意")
        type("测评意见（可不填）", "答复具体，感谢。")
        tap("确定测评")
        waitFor("测评：张明：满意　答复具体，感谢。")
        h.sync("zhangming")
        h.app("lihua").takeAction(proposalId, ActionKind.PROPOSAL_EVALUATE, listOf(FormValue("rating", "basically_satisfied")))
        h.sync("lihua", "zhangming")
        waitFor("状态：已办结")
        screenshot("07-detail-closed")
    }

    @Test
    @Order(8)
    fun `two members chat with a reply, an at-mention and a recall`() {
        val staff = h.app("chenjing")
        val group = staff.createGroup("农业和农村界学习交流群", GroupKind.SECTOR, listOf("demo-zhangming", "demo-lihua"))
        staff.sendMessage(group, "请大家学习《乡村振兴促进法》第三章。", null, emptyList())
        h.sync("chenjing", "zhangming", "lihua")
        phoneUi {
            show("zhangming")
            tap("${S.GROUPS}标签")
            waitFor("群：农业和农村界学习交流群，1条未读")
            screenshot("08-groups")
            onNode(hasContentDescription("群：农业和农村界学习交流群", substring = true)).performClick()
            waitFor("陈静：请大家学习《乡村振兴促进法》第三章。")
            type("消息输入框", "收到，今晚学习。")
            tap("发送消息")
            waitFor("张明：收到，今晚学习。")
        }
        h.sync("zhangming", "lihua")
        phoneUi {
            show("lihua")
            tap("${S.GROUPS}标签")
            onNode(hasContentDescription("群：农业和农村界学习交流群", substring = true)).performClick()
            tap("回复张明：收到，今晚学习。")
            tap(S.MENTION)
            tap("提醒张明")
            type("消息输入框", "一起学习第三章")
            tap("发送消息")
            waitFor("李华：", substring = true)
            type("消息输入框", "这条发错了")
            tap("发送消息")
            h.sync("lihua")
            waitFor("撤回：这条发错了")
            tap("撤回：这条发错了")
            waitFor("李华：李华撤回了一条消息")
            screenshot("09-chat")
        }
        h.sync("lihua", "zhangming")
        val timeline = h.app("zhangming").timeline(group, 50u)
        val reply = timeline.first { it.text.contains("一起学习第三章") }
        assertEquals(timeline.first { it.text == "收到，今晚学习。" }.id, reply.replyTo)
        assertEquals(listOf("demo-zhangming"), reply.mentions)
        assertTrue(timeline.any { it.recalled && it.senderName == "李华" })
        assertTrue(timeline.all { it.state is MessageState.Sent })
        assertEquals(1u, h.app("zhangming").groups().first { it.group.id == group }.unreadMentions)
    }

    @Test
    @Order(9)
    fun `search finds the proposal and a message by two characters`() = phoneUi {
        show("zhangming")
        tap("${S.MINE}标签")
        tap(S.SEARCH)
        type(S.SEARCH_HINT, "饮水")
        waitFor("提案：$title，已办结")
        screenshot("10-search")
        type(S.SEARCH_HINT, "")
        onNodeWithContentDescription(S.SEARCH_HINT).performTextInput("振兴")
    }

    @Test
    @Order(10)
    fun `staff work at a PC with the list and the proposal side by side`() = phoneUi(size = Size(2560f, 1720f)) {
        show("chenjing")
        openRow()
        waitFor("状态：已办结")
        // Both panes at once: the list row is still there beside the open proposal.
        onNode(hasContentDescription("提案：$title", substring = true)).assertIsDisplayed()
        screenshot("11-staff-desk-wide")
    }

    @Test
    @Order(11)
    fun `the main screens at 1_3x font scale`() {
        phoneUi(fontScale = 1.3f) {
            show("zhangming")
            waitFor("提案：$title", substring = true)
            screenshot("12-list-font-1.3x")
            openRow()
            waitFor("状态：已办结")
            screenshot("13-detail-font-1.3x")
        }
        phoneUi(fontScale = 1.3f) {
            show("lihua")
            tap("${S.GROUPS}标签")
            onNode(hasContentDescription("群：农业和农村界学习交流群", substring = true)).performClick()
            waitFor("陈静：请大家学习《乡村振兴促进法》第三章。")
            screenshot("14-chat-font-1.3x")
        }
        phoneUi {
            show("zhangming")
            screenshot("15-proposal-list")
        }
    }
}
