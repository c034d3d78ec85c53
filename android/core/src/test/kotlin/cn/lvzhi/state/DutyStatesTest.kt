package cn.lvzhi.state

import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.Audience
import cn.lvzhi.core.Enrolment
import cn.lvzhi.core.FormValue
import cn.lvzhi.core.MeetingDraft
import cn.lvzhi.core.MeetingKind
import cn.lvzhi.core.NoticeContent
import cn.lvzhi.core.NoticeKind
import cn.lvzhi.core.ReminderKind
import java.time.ZoneId
import java.time.ZonedDateTime
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/** Notices, meetings, 待办 and the duty record through the generated bindings, on a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DutyStatesTest {
    private val server = TestServer()

    @BeforeAll
    fun start() = server.start()

    @AfterAll
    fun stop() = server.stop()

    private fun eventually(what: String, check: () -> Boolean) = server.eventually(what, check)

    private val now get() = System.currentTimeMillis()

    @Test
    fun `a notice is answered offline on the phone and staff see who has not answered`() {
        val staff = server.loggedIn("chenjing")
        val title = "关于召开县政协十三届常委会第八次会议的通知"
        val id = staff.publishNotice(
            null,
            NoticeContent(title, "请于下周一上午9时到县政协三楼会议室参会。", NoticeKind.MEETING, Audience.Members(false), true, now + 3 * 86_400_000L),
        )
        server.sync("chenjing")
        val zhang = server.loggedIn("zhangming")
        val list = NoticeListState(zhang)
        eventually("the notice reaches 张明") { list.notices.value.any { it.id == id } }
        assertEquals(listOf(title), list.unanswered().map { it.title })
        server.stop() // no network from here
        val detail = NoticeDetailState(zhang, id)
        assertTrue(detail.detail.value!!.item.read, "opening marks it read")
        assertEquals(false, detail.take(ActionKind.NOTICE_ANSWER, listOf(FormValue("answer", "other"), FormValue("note", "  "))))
        assertEquals("选择「其他」时请填写说明", detail.error.value)
        assertTrue(detail.take(ActionKind.NOTICE_ANSWER, listOf(FormValue("answer", "attend"))))
        assertEquals("参加", detail.detail.value!!.item.answerLabel)
        eventually("the list follows") { list.unanswered().isEmpty() }
        server.start()
        server.sync("zhangming", "chenjing")
        val follow = assertNotNull(NoticeDetailState(staff, id).followUp())
        assertEquals(listOf("张明" to true, "李华" to false, "王芳" to false), follow.lines.map { it.name to (it.answer != null) })
        list.close()
    }

    @Test
    fun `a meeting is answered, checked in offline with a signed code, and counts in the record`() {
        val staff = server.loggedIn("chenjing")
        val start = now + 60_000L
        val id = staff.createMeeting(
            null,
            MeetingDraft(
                MeetingKind.CONSULTATION, "宾川县葡萄产业高质量发展专题协商会", start, start + 3 * 3_600_000L,
                "县政协二楼会议室", "经济委员会", "一、通报产业情况；二、协商发言。", 1u,
                Enrolment.Invitation(listOf("demo-lihua")), false,
            ),
        )
        server.sync("chenjing")
        val code = runBlocking { staff.checkInCode(id, now - 60_000L, start + 3 * 3_600_000L) }
        val li = server.loggedIn("lihua")
        val reminders = ReminderListState(li)
        eventually("the invitation is a 待办") { reminders.reminders.value.any { it.kind == ReminderKind.MEETING && it.id == id } }
        val meeting = MeetingDetailState(li, id)
        assertEquals("待答复", meeting.detail.value!!.item.myReplyLabel)
        assertEquals(
            listOf(ActionKind.MEETING_ATTEND, ActionKind.MEETING_ASK_LEAVE, ActionKind.MEETING_CHECK_IN),
            meeting.detail.value!!.actions.map { it.action },
        )
        assertTrue(meeting.take(ActionKind.MEETING_ATTEND))
        server.stop()
        assertEquals(false, meeting.take(ActionKind.MEETING_CHECK_IN, listOf(FormValue("code", code.dropLast(2) + "xx"))))
        assertEquals("签到码无效", meeting.error.value)
        assertTrue(meeting.take(ActionKind.MEETING_CHECK_IN, listOf(FormValue("code", code))), meeting.error.value ?: "")
        assertTrue(meeting.detail.value!!.item.checkedIn)
        server.start()
        server.sync("lihua", "chenjing")
        val roster = MeetingDetailState(staff, id).detail.value!!.roster
        assertEquals(listOf("李华" to true), roster.map { it.name to it.checkedIn })
        val year = ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).year
        val record = DutyRecordState(li, year).record.value!!
        assertTrue(record.lines.any { it.fact.key == "attend_other" && it.fact.source.id == id }, "${record.lines}")
        val report = DutyRecordState(li, year).annualReport()!!
        assertTrue("年度履职报告" in report && "专题协商会" in report)
        reminders.close()
    }
}
