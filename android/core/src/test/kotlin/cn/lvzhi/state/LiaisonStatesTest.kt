package cn.lvzhi.state

import cn.lvzhi.core.ContactWay
import cn.lvzhi.core.CorrectionState
import cn.lvzhi.core.FileFields
import cn.lvzhi.core.Gender
import cn.lvzhi.core.RaisedFrom
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/** 委员档案, 联络联系 and 委员工作室 through the state holders, with the real core and server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiaisonStatesTest {
    private val h = TestServer()

    @BeforeAll
    fun start() = h.start()

    @AfterAll
    fun stop() = h.stop()

    @Test
    fun `a member logs a contact offline and makes a linked report draft of it`() {
        val app = h.loggedIn("lihua")
        val state = ContactsState(app)
        assertTrue(state.add("杨老三", "金牛镇肉牛养殖户", "13987005678"))
        assertTrue(state.add("李春花", "宾川县果蔬协会", ""))
        assertFalse(state.add("", "", ""), "a name is needed")
        assertEquals("请填写姓名", state.error.value)
        val ids = state.current().map { it.id }
        assertTrue(state.log(ids, ContactWay.VISIT, "肉牛养殖贷款难，希望扩大贴息范围"))
        val line = state.log.value.single()
        assertEquals(listOf("李春花", "杨老三"), line.names.sorted())
        val report = assertNotNull(state.reportFrom(line.log.id))
        assertEquals(listOf(report), state.log.value.single().drafts.map { it.id })
        assertEquals(RaisedFrom.ContactLog(line.log.id), app.report(report).report.source)
        val s = assertNotNull(state.summary.value)
        assertEquals(2u, s.peopleReached)
        assertTrue(ContactsState.summaryLabel(s).endsWith("已联系 2 人 / 年度要求 5 人"), ContactsState.summaryLabel(s))
        h.sync("lihua")
        assertEquals(0u, app.syncStatus().pending)
    }

    @Test
    fun `staff keep a file, the member asks a correction and the directory shows no phone`() {
        val staff = h.loggedIn("chenjing")
        val zhang = h.loggedIn("zhangming")
        val wang = h.loggedIn("wangfang")
        val mine = MyFileState(zhang)
        assertNull(mine.file.value?.file)
        val fields = FileFields(Gender.MALE, "白族", "九三学社", "宾川县农业技术推广中心主任", "第十三届", "13987001234")
        staff.keepMemberFile("demo-zhangming", fields)
        h.sync("chenjing", "zhangming", "wangfang")
        mine.refresh()
        assertEquals(1u, mine.file.value?.file?.version)
        assertFalse(mine.requestCorrection(fields, ""), "nothing changed")
        assertEquals("没有需要更正的内容", mine.error.value)
        assertTrue(mine.requestCorrection(fields.copy(employerTitle = "宾川县农业农村局副局长"), "2026年12月调任"))
        assertEquals(CorrectionState.PENDING, mine.file.value?.corrections?.single()?.state)
        h.sync("wangfang")
        val directory = DirectoryState(wang)
        directory.search("提案委员会")
        val found = directory.lines.value.single()
        assertEquals("张明" to "宾川县农业技术推广中心主任", found.name to found.employerTitle)
        assertFalse(found.toString().contains("13987001234"))
    }

    @Test
    fun `the member on duty sees the studio and an empty message list`() {
        val staff = h.loggedIn("chenjing")
        staff.saveStudio(
            null,
            cn.lvzhi.core.StudioDraft(
                "金牛镇委员工作室", "宾川县金牛镇文化站二楼", "每周三 9:00–12:00", listOf("demo-zhangming"),
                listOf(cn.lvzhi.core.DutyDay(cn.lvzhi.core.chinaToday(), listOf("demo-zhangming"))), true,
            ),
        )
        h.sync("chenjing", "zhangming")
        val state = StudioDutyState(h.app("zhangming"))
        val mine = state.mine().single()
        assertTrue(mine.onDutyToday)
        assertEquals(listOf("张明"), mine.memberNames)
        assertTrue(state.messages.value.isEmpty())
        assertFalse(state.answer("no-such-message", "收到"))
        assertNotNull(state.error.value)
    }
}

/** 相似提案 while drafting, through the state holder, with the real core and server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimilarProposalsStateTest {
    private val h = TestServer()

    @BeforeAll
    fun start() = h.start()

    @AfterAll
    fun stop() = h.stop()

    @Test
    fun `a draft on the same problem finds the member's earlier proposal and not itself`() {
        val app = h.loggedIn("zhangming")
        val earlier = app.createDraft(
            cn.lvzhi.core.ProposalContent(
                "关于破解肉牛养殖户贷款难题的提案",
                "宾川县肉牛养殖户普遍反映贷款难、贷款贵，担保门槛高，贴息政策覆盖面窄，制约了养殖规模扩大。",
                "建议扩大肉牛养殖贷款贴息范围，推广活体抵押贷款，设立政策性担保基金。",
                "经济建设",
                emptyList(),
            ),
        )
        app.takeAction(earlier.id, cn.lvzhi.core.ActionKind.PROPOSAL_SUBMIT, emptyList())
        app.createDraft(
            cn.lvzhi.core.ProposalContent("关于加强洱海流域农业面源污染治理的提案", "洱海流域化肥农药使用量大。", "建议推广绿色种植。", "生态环境", emptyList()),
        )
        val state = SimilarProposalsState(app)
        state.update("", "", "", null)
        assertTrue(state.items.value.isEmpty())
        val draft = app.createDraft(
            cn.lvzhi.core.ProposalContent("关于支持养牛户融资的提案", "养牛户贷款担保难，利息负担重，活体牛不能抵押。", "", "", emptyList()),
        )
        state.update("关于支持养牛户融资的提案", "养牛户贷款担保难，利息负担重，活体牛不能抵押。", "", draft.id)
        val found = state.items.value
        assertEquals("关于破解肉牛养殖户贷款难题的提案", found.firstOrNull()?.title, "$found")
        assertTrue(found.none { it.id == draft.id }, "not the draft itself, nor other drafts")
    }
}
