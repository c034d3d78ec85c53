package cn.lvzhi.state

import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.GroupKind
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.MessageState
import cn.lvzhi.core.ProposalState
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder

/**
 * The Kotlin shell against a real server: the generated bindings and the state holders, with
 * the Rust library loaded through JNA. The server binary comes from LVZHI_SERVER_BIN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class AppScenarioTest {
    private val server = TestServer()
    private val password = TestServer.PASSWORD
    private var proposalId = ""

    private fun startServer() = server.start()

    private fun stopServer() = server.stop()

    private fun app(name: String) = server.app(name)

    /** Waits (no timing assertions: only a generous cap) until [check] holds. */
    private fun eventually(what: String, check: () -> Boolean) = server.eventually(what, check)

    @BeforeAll
    fun start() = startServer()

    @AfterAll
    fun stop() = stopServer()

    @Test
    @Order(1)
    fun `member drafts offline, edits, submits, and the outbox flushes when the server returns`() = runBlocking {
        val zhang = app("zhangming")
        val login = LoginState(zhang)
        login.login("zhangming", "wrong-password", "测试手机")
        assertEquals(LoginUi.Failed("账号或密码错误"), login.ui.value)
        login.login("zhangming", password, "测试手机")
        val me = (login.ui.value as LoginUi.LoggedIn).me
        assertEquals("张明", me.name)
        assertEquals("委员", me.roles.single().roleLabel)

        val banner = SyncBannerState(zhang)
        zhang.startSync(1u)
        stopServer()
        eventually("the banner turns offline") { banner.banner.value.offline }

        val editor = ProposalEditorState(zhang, this, autosaveDelayMs = 50)
        editor.edit { it.copy(title = "关于发展肉牛养殖的提案", category = "经济建设") }
        editor.flush()
        val id = assertNotNull(editor.ui.value.proposalId)
        editor.edit { it.copy(cause = "宾川县肉牛养殖规模小、品种改良慢。", suggestions = "一是设立良种补贴；二是建设标准化养殖小区。") }
        eventually("autosave writes revision 2") { editor.ui.value.savedRevision == 2u && !editor.ui.value.dirty }

        val detail = ProposalDetailState(zhang, id)
        eventually("the detail arrives") { detail.detail.value != null }
        assertContains(detail.actions().map { it.action }, ActionKind.PROPOSAL_SUBMIT)
        assertFalse(ActionKind.PROPOSAL_REGISTER in detail.actions().map { it.action }, "members do not review")
        assertFalse(detail.take(ActionKind.PROPOSAL_REGISTER))
        assertEquals("委员不能立案", detail.error.value)
        assertTrue(detail.take(ActionKind.PROPOSAL_SUBMIT))
        assertEquals(ProposalState.SUBMITTED, detail.detail.value?.state)
        eventually("the banner counts the waiting work") { banner.banner.value.pending > 0 }
        assertTrue(banner.banner.value.text.startsWith("离线"), banner.banner.value.text)

        startServer()
        eventually("the outbox flushes by itself") { banner.banner.value.pending == 0 && !banner.banner.value.offline }
        zhang.stopSync()
        proposalId = id
        detail.close()
        banner.close()
    }

    @Test
    @Order(2)
    fun `staff review the proposal on a second account`() = runBlocking {
        val chen = app("chenjing")
        LoginState(chen).login("chenjing", password, "办公室电脑")
        val list = ProposalListState(chen)
        eventually("the submitted proposal is in the staff list") {
            list.items.value.any { it.id == proposalId && it.state == ProposalState.SUBMITTED }
        }
        val detail = ProposalDetailState(chen, proposalId)
        eventually("the detail arrives") { detail.detail.value != null }
        assertContains(detail.actions().map { it.action }, ActionKind.PROPOSAL_REGISTER)
        assertTrue(detail.take(ActionKind.PROPOSAL_REGISTER), detail.error.value)
        assertEquals("已立案", detail.detail.value?.stateLabel)
        eventually("the list follows") { list.items.value.first { it.id == proposalId }.state == ProposalState.REGISTERED }
        val history = detail.detail.value!!.history.map { it.label }
        assertEquals(listOf("起草提案", "提交提案", "立案"), history)
        chen.syncNow()
        list.close()
        detail.close()
    }

    @Test
    @Order(3)
    fun `two members chat in a study group`() = runBlocking {
        val chen = app("chenjing")
        val group = chen.createGroup("农业和农村界学习交流群", GroupKind.SECTOR, listOf("demo-zhangming", "demo-lihua"))
        chen.syncNow()
        val zhang = app("zhangming")
        zhang.syncNow()
        val li = app("lihua")
        LoginState(li).login("lihua", password, "李华的手机")

        val zhangChat = ChatTimelineState(zhang, group)
        val liChat = ChatTimelineState(li, group)
        assertTrue(zhangChat.send("大家好，今天学习乡村振兴促进法。"))
        eventually("shown at once as sending") { zhangChat.items.value.lastOrNull()?.state == MessageState.Sending }
        zhang.syncNow()
        eventually("then sent") { zhangChat.items.value.last().state == MessageState.Sent }
        li.syncNow()
        eventually("李华 receives it") { liChat.items.value.map { it.text } == listOf("大家好，今天学习乡村振兴促进法。") }
        assertEquals("张明", liChat.items.value.single().senderName)
        assertEquals(1u, li.groups().single().unread)
        assertTrue(liChat.markAllRead())
        assertEquals(0u, li.groups().single().unread)
        assertFalse(liChat.send("   "))
        assertEquals("消息不能为空", liChat.error.value)
        zhangChat.close()
        liChat.close()
    }
}
