package cn.lvzhi.state

import cn.lvzhi.core.GroupKind
import cn.lvzhi.core.OutboxState
import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.ProposalContent
import cn.lvzhi.core.SyncState
import cn.lvzhi.core.SyncStatus
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/** The state holders added for the apps' full surface, each against the real core and server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StateHoldersTest {
    private val server = TestServer()

    @BeforeAll
    fun start() = server.start()

    @AfterAll
    fun stop() = server.stop()

    private fun eventually(what: String, check: () -> Boolean) = server.eventually(what, check)

    private val content = ProposalContent(
        title = "关于推进洱海流域农业面源污染治理的提案",
        cause = "洱海流域农业面源污染仍较突出。",
        suggestions = "一是推广绿色种植；二是建设生态沟渠。",
        category = "生态文明建设",
    )

    @Test
    fun `the people picker finds members by sector and leaves out staff and the excluded`() {
        val zhang = server.loggedIn("zhangming")
        val picker = PeoplePickerState(zhang, exclude = setOf("demo-zhangming"))
        picker.query("农业和农村")
        assertEquals(listOf("李华"), picker.people.value.map { it.name })
        picker.query("")
        val everyone = picker.people.value.map { it.name }
        assertTrue("王芳" in everyone && "陈静" !in everyone && "张明" !in everyone, "$everyone")
    }

    @Test
    fun `search finds a draft by two characters, offline, and says nothing for nothing`() {
        val zhang = server.loggedIn("zhangming")
        zhang.createDraft(content)
        val search = SearchState(zhang)
        search.search("洱海")
        assertEquals(listOf(content.title), search.results.value.proposals.map { it.title })
        search.search("　 ")
        assertEquals(0, search.results.value.proposals.size)
    }

    @Test
    fun `the outbox lists what waits offline and empties when the network returns`() {
        val staff = server.loggedIn("chenjing")
        val group = staff.createGroup("生态文明建设交流群", GroupKind.TOPIC, listOf("demo-wangfang"))
        server.sync("chenjing")
        val wang = server.loggedIn("wangfang")
        val outbox = OutboxListState(wang)
        server.stop()
        try {
            wang.sendMessage(group, "离线写的发言提纲", null, emptyList())
            outbox.refresh()
            assertEquals(listOf("发送消息：离线写的发言提纲"), outbox.items.value.map { it.label })
            assertEquals(OutboxState.Pending, outbox.items.value[0].state)
        } finally {
            server.start()
        }
        server.sync("wangfang")
        eventually("the message went out") { outbox.items.value.isEmpty() }
        outbox.close()
    }

    @Test
    fun `the group list follows new messages with unread and mention counts`() {
        val staff = server.loggedIn("chenjing")
        val group = staff.createGroup("提案办理交流群", GroupKind.TOPIC, listOf("demo-lihua"))
        staff.sendMessage(group, "请李华委员关注办理进度", null, listOf("demo-lihua"))
        server.sync("chenjing")
        val li = server.loggedIn("lihua")
        val groups = GroupListState(li)
        eventually("the group arrives with one unread mention") {
            groups.groups.value.any { it.group.id == group && it.unread == 1u && it.unreadMentions == 1u }
        }
        groups.close()
    }

    @Test
    fun `the detail holder offers exactly the commands the core allows and shows the refusal`() {
        val zhang = server.loggedIn("zhangming")
        val d = zhang.createDraft(
            ProposalContent("关于完善山区农村公路养护机制的提案", "山区农村公路养护资金不足。", "建立养护长效机制。", "经济建设"),
        )
        val detail = ProposalDetailState(zhang, d.id)
        eventually("the detail arrives") { detail.detail.value != null }
        val labels = detail.actions().map { it.label }
        assertTrue("提交提案" in labels && "立案" !in labels, "$labels")
        // Staff actions are refused with the core's Chinese reason.
        assertEquals(false, detail.take(ActionKind.PROPOSAL_REGISTER))
        assertEquals("委员不能立案", detail.error.value)
        detail.close()
    }

    @Test
    fun `the banner reads offline and counts what waits`() {
        val banner = SyncBanner.from(SyncStatus(SyncState.Offline, null, 3u, 0u))
        assertEquals("离线，3项待发送", banner.text)
        assertTrue(banner.offline)
        assertEquals("同步失败：服务器暂时无法处理", SyncBanner.from(SyncStatus(SyncState.Error("服务器暂时无法处理"), null, 0u, 0u)).text)
    }
}
