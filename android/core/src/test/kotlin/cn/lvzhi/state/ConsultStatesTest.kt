package cn.lvzhi.state

import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.Audience
import cn.lvzhi.core.ConsensusStatus
import cn.lvzhi.core.FormValue
import cn.lvzhi.core.InputKind
import cn.lvzhi.core.ReportState
import cn.lvzhi.core.TopicDraft
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/** 社情民意, 网络议政 and 协商在基层 through the generated bindings, on a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsultStatesTest {
    private val server = TestServer()

    @BeforeAll
    fun start() = server.start()

    @AfterAll
    fun stop() = server.stop()

    private fun eventually(what: String, check: () -> Boolean) = server.eventually(what, check)

    @Test
    fun `a report drafted offline is submitted, edited by staff and sent up, and the prefecture counts it`() {
        val zhang = server.loggedIn("zhangming")
        val staff = server.loggedIn("chenjing")
        server.stop() // 张明 writes with no network
        val editor = ReportEditorState(zhang)
        editor.title.value = "关于宾川县农村寄递物流末端网点不足的情况反映"
        assertFalse(editor.submit(), "an empty report is refused")
        assertEquals("社情民意信息不能为空：请填写基本情况", editor.error.value)
        editor.situation.value = "部分行政村快递只能送到乡镇，村民往返取件需一小时以上。"
        editor.analysis.value = "末端网点运营成本高，单量不足。"
        editor.suggestion.value = "建议整合邮政、供销和客运资源，建设村级共配站点。"
        editor.situation.value += "情况".repeat(800)
        assertNotNull(editor.lengthWarning())
        editor.situation.value = "部分行政村快递只能送到乡镇，村民往返取件需一小时以上。"
        assertTrue(editor.submit(), editor.error.value ?: "")
        val id = editor.id!!
        val mine = ReportListState(zhang)
        assertEquals(ReportState.SUBMITTED, mine.reports.value.single { it.id == id }.state)
        server.start()
        server.sync("zhangming", "chenjing")

        val detail = ReportDetailState(staff, id)
        assertEquals(listOf("accept", "return", "reject"), detail.detail.value!!.staffSteps)
        assertFalse(detail.take(ActionKind.REPORT_RETURN, listOf(FormValue("reason", " "))))
        assertEquals("请填写「退回理由」", detail.error.value)
        assertTrue(detail.take(ActionKind.REPORT_ACCEPT))
        val edited = detail.detail.value!!.report.content.copy(title = "关于农村寄递物流末端网点不足的情况反映")
        assertTrue(detail.edit("2027年第4期", edited))
        val sendUp = detail.detail.value!!.actions.single { it.action == ActionKind.REPORT_SEND_UP }
        val options = (sendUp.inputs.first().kind as InputKind.Choice).options
        assertEquals("大理白族自治州政协", options.first().label)
        assertTrue(detail.take(sendUp.action, listOf(FormValue("destinations", options.first().value))), detail.error.value ?: "")
        server.sync("chenjing", "zhangming")
        eventually("张明 sees the edition and what changed") {
            ReportDetailState(zhang, id).detail.value!!.editions.singleOrNull()?.changes?.map { it.field } == listOf("标题")
        }
        val stats = ReportStatsState(server.loggedIn("heyun"))
        assertTrue(runBlocking { stats.load() }, stats.error.value ?: "")
        val county = stats.rows.value.single { it.orgId == "yn-12-03" }
        assertEquals(listOf(1u, 1u, 1u, 1u), listOf(county.submitted, county.accepted, county.edited, county.sentUp))
        mine.close()
    }

    @Test
    fun `posts, a second, a hidden post and a summary, then a township consultation followed up`() {
        val staff = server.loggedIn("chenjing")
        val now = System.currentTimeMillis()
        val topicId = staff.openTopic(
            null,
            TopicDraft("如何提升宾川县乡村学校午餐质量", "全县农村学校营养改善计划覆盖三万余名学生。", Audience.Members(false), now, now + 86_400_000L),
        )
        server.sync("chenjing")
        val zhang = server.loggedIn("zhangming")
        val li = server.loggedIn("lihua")
        val topics = TopicListState(zhang)
        eventually("the topic reaches 张明") { topics.topics.value.any { it.id == topicId } }
        val z = TopicDetailState(zhang, topicId)
        assertTrue(z.post("建议由乡镇中心校统一配送食材，降低成本。"), z.error.value ?: "")
        val postId = z.detail.value!!.posts.single().id
        server.sync("zhangming", "lihua")
        val l = TopicDetailState(li, topicId)
        assertTrue(l.take(ActionKind.POST_SECOND, on = postId))
        assertFalse(l.take(ActionKind.POST_SECOND, on = postId))
        assertEquals("您已附议该意见", l.error.value)
        assertTrue(l.post("同意，并建议家长代表参与食材验收。", replyTo = postId))
        server.sync("lihua", "chenjing")
        val s = TopicDetailState(staff, topicId)
        val reply = s.detail.value!!.posts.single { it.replyTo == postId }.id
        assertTrue(s.take(ActionKind.POST_HIDE, listOf(FormValue("reason", "重复内容")), on = reply))
        assertTrue(s.take(ActionKind.TOPIC_CLOSE))
        // A hidden post is not among those a summary may quote.
        assertFalse(s.take(ActionKind.TOPIC_SUMMARISE, listOf(FormValue("text", "综述"), FormValue("quoted", reply))))
        val summary = listOf(FormValue("text", "委员建议统一配送食材。"), FormValue("quoted", postId))
        assertTrue(s.take(ActionKind.TOPIC_SUMMARISE, summary), s.error.value ?: "")
        server.sync("chenjing", "zhangming")
        eventually("张明 sees his post used") {
            TopicDetailState(zhang, topicId).detail.value!!.posts.single { it.id == postId }.used
        }

        val c = ConsultationState(staff)
        assertEquals(null, c.record("金牛镇", "农贸市场规范经营", 42u, emptyList()))
        assertEquals("请填写协商共识", c.error.value)
        val cid = assertNotNull(c.record("金牛镇", "农贸市场规范经营", 42u, listOf("划定临时摊位区" to "金牛镇人民政府")))
        assertFalse(c.followUp(cid, "1", ConsensusStatus.NOT_DONE, ""))
        assertTrue(c.followUp(cid, "1", ConsensusStatus.DONE, "已启用"))
        assertEquals(1u, c.items.value.single().pointsDone)
        topics.close()
    }
}
