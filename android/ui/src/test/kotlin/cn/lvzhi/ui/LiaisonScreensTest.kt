package cn.lvzhi.ui

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.onAllNodesWithText
import cn.lvzhi.core.DutyDay
import cn.lvzhi.core.FileFields
import cn.lvzhi.core.Gender
import cn.lvzhi.core.RaisedFrom
import cn.lvzhi.core.StudioDraft
import cn.lvzhi.core.chinaToday
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.security.MessageDigest
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * 我的 → 我的档案, 联络联系, 工作室值班 and 委员名录 as rendered Compose screens with the real core
 * and server; a resident's message reaches the studio through its public page (plain HTTP, the
 * page's proof of work done here as its script does it).
 */
@OptIn(ExperimentalTestApi::class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiaisonScreensTest {
    private val h = Harness()

    @BeforeAll
    fun start() = h.start()

    @AfterAll
    fun stop() = h.stop()

    private fun SkikoComposeUiTest.openMine(login: String, page: String) {
        val app = h.loggedIn(login)
        setContent { LvzhiAppRoot(app, "测试设备") }
        tap("${S.MINE}标签")
        tap(page)
    }

    @Test
    fun `a member keeps a register, logs a visit and makes a report draft of it`() = phoneUi {
        openMine("lihua", S.CONTACTS)
        val app = h.app("lihua")
        type("联系人姓名", "杨老三")
        type("联系人界别或单位", "金牛镇肉牛养殖户")
        type("联系人电话", "13987005678")
        tap("加入联系名册")
        h.eventually("in the register") { app.contacts().size == 1 }
        tap("联系对象杨老三")
        type("反映的问题和建议", "肉牛养殖贷款难，希望扩大贴息范围")
        tap("记录联系")
        h.eventually("logged") { app.contactLog().size == 1 }
        waitFor("已联系 1 人", substring = true)
        screenshot("70-contacts")
        val log = app.contactLog().single()
        tap("形成社情民意：${log.log.date}杨老三")
        h.eventually("a linked draft") { app.contactLog().single().drafts.size == 1 }
        val report = app.contactLog().single().drafts.single().id
        assertEquals(RaisedFrom.ContactLog(log.log.id), app.report(report).report.source)
    }

    @Test
    fun `the duty record shows the people reached against the yearly expectation`() = phoneUi {
        val app = h.loggedIn("wangfang")
        val contact = app.saveContact(null, cn.lvzhi.core.ContactDraft("赵大姐", "宾川县果蔬协会", "", ""))
        app.logContact(null, cn.lvzhi.core.ContactLogDraft(listOf(contact), chinaToday(), cn.lvzhi.core.ContactWay.PHONE, "村道年久失修"))
        openMine("wangfang", S.RECORD)
        waitFor("联系界别群众（人）1，年度要求5")
        screenshot("77-record-contacts")
    }

    @Test
    fun `the contacts screen reads at twice the text size`() = phoneUi(fontScale = 2f) {
        openMine("wangfang", S.CONTACTS)
        waitFor("加入联系名册")
        screenshot("71-contacts-2x")
    }

    @Test
    fun `a member reads their file and asks a correction`() = phoneUi {
        val staff = h.loggedIn("chenjing")
        staff.keepMemberFile("demo-zhangming", FileFields(Gender.MALE, "白族", "九三学社", "宾川县农业技术推广中心主任", "第十三届", "13987001234"))
        h.sync("chenjing")
        openMine("zhangming", S.MY_FILE)
        val app = h.app("zhangming")
        waitFor("工作单位及职务：宾川县农业技术推广中心主任")
        screenshot("72-my-file")
        tap(S.ASK_CORRECTION)
        type("更正说明", "2026年12月调任")
        type("工作单位及职务", "（已调任农业农村局）")
        tap("提交更正申请")
        h.eventually("a correction pending") { app.myFile().pending }
        waitFor("更正申请待审核")
        screenshot("73-my-file-correction")
    }

    @Test
    fun `the member on duty answers a resident's message from the studio's public page`() = phoneUi {
        val staff = h.loggedIn("chenjing")
        val studio = staff.saveStudio(
            null,
            StudioDraft(
                "金牛镇委员工作室", "宾川县金牛镇文化站二楼", "每周三 9:00–12:00", listOf("demo-zhangming", "demo-lihua"),
                listOf(DutyDay(chinaToday(), listOf("demo-zhangming"))), true,
            ),
        )
        h.sync("chenjing")
        leaveMessage(studio, "金牛镇至大营镇的村道有三处塌方，雨季通行危险，希望尽快修复。", "13888001122")
        h.loggedIn("zhangming")
        openMine("zhangming", S.STUDIO)
        val app = h.app("zhangming")
        waitFor("今天是您在金牛镇委员工作室值班")
        assertTrue(onAllNodesWithText("13888001122", substring = true).fetchSemanticsNodes().isNotEmpty(), "the resident's phone, for the studio's members")
        screenshot("74-studio-duty")
        type("答复留言：金牛镇至大营镇的村道有三", "已联系镇政府，本周内清理塌方。")
        tap("发送答复：金牛镇至大营镇的村道有三")
        h.eventually("answered") { app.studioMessages().single().message.answer != null }
        waitFor("已答复：已联系镇政府，本周内清理塌方。")
        screenshot("75-studio-answered")
        runBlocking { app.syncNow() }
    }

    @Test
    fun `the directory shows names, groups and titles and never a phone`() = phoneUi {
        openMine("wangfang", S.DIRECTORY)
        waitFor("委员张明")
        type("搜索委员名录", "农业")
        waitFor("委员李华")
        screenshot("76-directory")
        assertTrue(onAllNodesWithText("13987001234", substring = true).fetchSemanticsNodes().isEmpty())
    }

    @Test
    fun `the editor shows the member's earlier proposal on the same problem`() = phoneUi {
        val app = h.loggedIn("wangfang")
        val earlier = app.createDraft(
            cn.lvzhi.core.ProposalContent(
                "关于破解肉牛养殖户贷款难题的提案",
                "宾川县肉牛养殖户普遍反映贷款难、贷款贵，担保门槛高，贴息政策覆盖面窄。",
                "建议扩大肉牛养殖贷款贴息范围，推广活体抵押贷款。",
                "经济建设",
                emptyList(),
            ),
        )
        app.takeAction(earlier.id, cn.lvzhi.core.ActionKind.PROPOSAL_SUBMIT, emptyList())
        setContent { LvzhiAppRoot(app, "测试设备") }
        tap("${S.PROPOSALS}标签")
        tap(S.NEW_PROPOSAL)
        type(S.TITLE, "关于支持养牛户融资的提案")
        type(S.CAUSE, "养牛户贷款担保难，利息负担重，活体牛不能抵押。")
        waitFor("相似提案：关于破解肉牛养殖户贷款难题的提案")
        screenshot("78-similar-proposals")
    }

    /** What a resident's browser does: the page's challenge, the proof of work, the form. */
    private fun leaveMessage(studio: String, text: String, phone: String) {
        val http = HttpClient.newHttpClient()
        val url = "${h.url}/studio/$studio"
        val page = http.send(HttpRequest.newBuilder(URI(url)).build(), HttpResponse.BodyHandlers.ofString()).body()
        val challenge = Regex("name=\"challenge\" value=\"([^\"]+)\"").find(page)!!.groupValues[1]
        val bits = Regex("data-bits=\"(\\d+)\"").find(page)!!.groupValues[1].toInt()
        val sha = MessageDigest.getInstance("SHA-256")
        val nonce = generateSequence(0L) { it + 1 }.first { n ->
            val d = sha.digest("$challenge:$studio:$n".toByteArray())
            var zeros = 0
            for (b in d) {
                val v = b.toInt() and 0xff
                if (v == 0) { zeros += 8; continue }
                zeros += Integer.numberOfLeadingZeros(v) - 24
                break
            }
            zeros >= bits
        }
        val form = mapOf("text" to text, "phone" to phone, "challenge" to challenge, "nonce" to nonce.toString())
            .entries.joinToString("&") { (k, v) -> "$k=" + URLEncoder.encode(v, Charsets.UTF_8) }
        val r = http.send(
            HttpRequest.newBuilder(URI(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
            HttpResponse.BodyHandlers.ofString(),
        )
        assertEquals(200, r.statusCode(), r.body())
    }
}
