package cn.lvzhi.ui

import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.performClick
import cn.lvzhi.core.Audience
import cn.lvzhi.core.GroupKind
import cn.lvzhi.core.MaterialDraft
import cn.lvzhi.core.NoticeContent
import cn.lvzhi.core.NoticeKind
import cn.lvzhi.core.TopicDraft
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
 * Member actions the screens did not offer before: a notice's files, editing one's own
 * 网络议政 post, sharing a study note into a group, a 社情民意 written jointly in a 界别's name,
 * and a township consultation with several points — each through the rendered Compose screens
 * with the real core and server.
 */
@OptIn(ExperimentalTestApi::class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class MemberActionsTest {
    private val h = Harness()
    private val notice = "关于印发《委员履职手册》的通知"
    private val topicTitle = "如何做好农村寄宿制学校营养改善"
    private val material = "《中国人民政治协商会议章程》学习辅导"
    private val groupName = "农业和农村界学习交流群"
    private var groupId = ""

    @BeforeAll
    fun start() {
        h.start()
        val staff = h.loggedIn("chenjing")
        val now = System.currentTimeMillis()
        val handbook = staff.attachFile("委员履职手册.pdf", "application/pdf", "%PDF-1.4 委员履职手册（2027年版）".toByteArray(), false)
        staff.publishNotice(
            null,
            NoticeContent(notice, "现将《委员履职手册》印发给你们，请认真学习。", NoticeKind.WORK, Audience.Members(false), false, null, listOf(handbook)),
        )
        staff.openTopic(null, TopicDraft(topicTitle, "请委员建言。", Audience.Members(false), now, now + 86_400_000L))
        staff.publishMaterial(null, MaterialDraft(material, "政协章程总纲明确了人民政协的性质和任务。", null, 1u, emptyList(), null, Audience.Members(false)))
        groupId = staff.createGroup(groupName, GroupKind.SECTOR, listOf("demo-zhangming", "demo-lihua"))
        runBlocking { staff.syncNow() }
        // The upload goes with the sync loop's uploads: wait until the file is on the server.
        h.eventually("the handbook is uploaded") { runBlocking { staff.syncNow() }; staff.transfers().isEmpty() }
    }

    @AfterAll
    fun stop() = h.stop()

    private fun SkikoComposeUiTest.show(login: String) = setContent {
        CompositionLocalProvider(LocalImageDecoder provides { null }) { LvzhiAppRoot(h.loggedIn(login), "测试设备") }
    }

    @Test
    @Order(1)
    fun `a notice's file is listed and downloaded`() = phoneUi {
        show("zhangming")
        tap("未读通知：$notice")
        waitFor("通知标题：$notice")
        waitFor("${S.ATTACHMENTS}：委员履职手册.pdf", substring = true)
        onNode(hasContentDescription("${S.ATTACHMENTS}：委员履职手册.pdf", substring = true)).performClick()
        waitFor("${S.ATTACHMENTS}：委员履职手册.pdf，", substring = true)
        h.eventually("the file is on the phone") {
            h.app("zhangming").notices().isNotEmpty() &&
                h.app("zhangming").openNotice(h.app("zhangming").notices().first { it.title == notice }.id).attachments
                    .all { a -> h.app("zhangming").fileBytes(a.hash) != null }
        }
        screenshot("70-notice-attachment")
    }

    @Test
    @Order(2)
    fun `a member edits their own post`() = phoneUi {
        show("zhangming")
        openDuty(S.TOPICS)
        waitFor("议题：$topicTitle", substring = true)
        onNode(hasContentDescription("议题：$topicTitle", substring = true)).performClick()
        type("发表意见", "建议统一配送食材。")
        tap("提交意见")
        waitFor("意见：张明，建议统一配送食材。")
        tap("修改我的意见：建议统一配送食材。")
        type("修改意见", "由乡镇中心校")
        tap("保存修改")
        // The field held the post's text; the words typed went in at the cursor.
        waitFor("由乡镇中心校", substring = true)
        val post = h.app("zhangming").topics().first { it.title == topicTitle }.let { h.app("zhangming").topic(it.id).posts.single() }
        assertTrue(post.text.contains("由乡镇中心校") && post.text.contains("建议统一配送食材"), post.text)
        screenshot("71-post-edited")
    }

    @Test
    @Order(3)
    fun `a study note is shared into a group`() = phoneUi {
        val zhang = h.loggedIn("zhangming")
        val m = zhang.materials().first { it.material.title == material }.material
        zhang.writeStudyNote(m.id, null, "政协是社会主义协商民主的重要渠道和专门协商机构。")
        show("zhangming")
        tap("${S.STUDY}标签")
        waitFor("资料：$material", substring = true)
        onNode(hasContentDescription("资料：$material", substring = true)).performClick()
        tap("分享笔记：政协是社会主义协商民")
        tap("分享到$groupName")
        h.eventually("the note is in the group") { zhang.timeline(groupId, 20u).any { it.text.contains("政协是社会主义协商民主") } }
        screenshot("72-note-shared")
    }

    @Test
    @Order(4)
    fun `a report is written jointly in a sector's name`() = phoneUi {
        show("zhangming")
        openDuty(S.REPORTS)
        tap(S.NEW_REPORT)
        type(S.TITLE, "关于加强山区葡萄冻害防范的建议")
        type(S.SITUATION, "今冬宾川县山区葡萄遭遇冻害，部分农户损失较重。")
        type(S.SUGGESTION, "建议推广防冻棚膜，设立灾后补种资金。")
        tap("添加联名委员")
        type(S.PEOPLE_HINT, "李华")
        tap("选择李华")
        waitFor("联名：李华")
        val sector = h.app("zhangming").people().first { it.id == "demo-zhangming" }.groups.first()
        tap("以${sector}名义")
        screenshot("73-report-joint")
        tap(S.SAVE_DRAFT)
        val report = h.app("zhangming").reports(null).first { it.title == "关于加强山区葡萄冻害防范的建议" }
        val r = h.app("zhangming").report(report.id).report
        assertEquals(listOf("demo-zhangming", "demo-lihua"), r.authorIds)
        assertEquals(sector, r.authorGroup)
    }

    @Test
    @Order(5)
    fun `a township consultation records several points`() = phoneUi {
        show("zhangming")
        openDuty(S.GRASSROOTS)
        tap(S.RECORD_CONSULTATION)
        type("乡镇（街道）或社区", "金牛镇")
        type("协商议题", "葡萄冷库建设选址")
        type("参与群众人数", "36")
        type("协商共识", "冷库建在镇物流园区")
        type("责任单位", "金牛镇人民政府")
        tap("再添一条共识")
        type("协商共识2", "合作社统一管理冷库")
        type("责任单位2", "县农业农村局")
        tap("保存记录")
        waitFor("基层协商：金牛镇：葡萄冷库建设选址　群众36人　共识2项（已落实0项）")
        screenshot("74-consultation-two-points")
        assertTrue(h.app("zhangming").consultations().any { it.points == 2u })
    }
}
