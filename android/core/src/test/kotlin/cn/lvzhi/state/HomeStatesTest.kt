package cn.lvzhi.state

import cn.lvzhi.core.Audience
import cn.lvzhi.core.Enrolment
import cn.lvzhi.core.MeetingDraft
import cn.lvzhi.core.MeetingKind
import cn.lvzhi.core.NoticeContent
import cn.lvzhi.core.NoticeKind
import cn.lvzhi.core.Reminder
import cn.lvzhi.core.ReminderKind
import cn.lvzhi.core.ReminderSettings
import cn.lvzhi.core.ReplyOption
import cn.lvzhi.core.ScheduledReminder
import cn.lvzhi.core.planReminders
import java.time.ZoneId
import java.time.ZonedDateTime
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/** 首页, the reminder schedule and its switches, and check-in by code, through the bindings. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HomeStatesTest {
    private val server = TestServer()

    @BeforeAll
    fun start() = server.start()

    @AfterAll
    fun stop() = server.stop()

    private val now get() = System.currentTimeMillis()

    /** 2027-03-10 at h:m in China, plus days. */
    private fun at(days: Long, h: Int, m: Int = 0): Long =
        ZonedDateTime.of(2027, 3, 10, h, m, 0, 0, ZoneId.of("Asia/Shanghai")).plusDays(days).toInstant().toEpochMilli()

    @Test
    fun `the schedule of a fixture day keeps the quiet hours and drops what is done`() {
        val todo = listOf(
            Reminder(ReminderKind.NOTICE_REPLY, "请回复通知回执", "关于报送年度履职情况的通知", at(2, 2), "notice", "n1"),
            Reminder(ReminderKind.MEETING, "即将召开，请按时参加", "县政协常委会议", at(1, 7, 30), "meeting", "m1"),
            Reminder(ReminderKind.CO_SIGN, "请确认是否联名", "关于加强农村饮水安全的提案", null, "proposal", "p1"),
        )
        val all = ReminderSettings(true, true, true, true)
        val plan = planReminders(todo, emptyMap(), at(0, 9), all)
        assertEquals(
            listOf("联名邀请:p1" to at(0, 10), "会议活动:m1:hour" to at(1, 7), "通知回执:n1" to at(1, 7)),
            plan.map { it.key to it.atMs },
        )
        // The notice answered (gone from 待办) and co-signing switched off: only the meeting.
        val after = planReminders(todo.drop(1) , emptyMap(), at(0, 9), all.copy(coSign = false))
        assertEquals(listOf("会议活动:m1:hour"), after.map { it.key })
    }

    @Test
    fun `the home page, the system's schedule and check-in by a pasted code`() {
        val staff = server.loggedIn("chenjing")
        val title = "关于开展委员进基层活动的通知"
        val notice = staff.publishNotice(
            null,
            NoticeContent(title, "请各位委员报名参加。", NoticeKind.WORK, Audience.Members(false), true, now + 5 * 86_400_000L),
        )
        val start = now + 3 * 86_400_000L
        val meeting = staff.createMeeting(
            null,
            MeetingDraft(MeetingKind.PLENARY, "县政协全体委员会议", start, start + 3_600_000L, "县会堂", "办公室", "", 1u,
                Enrolment.Invitation(listOf("demo-wangfang")), false),
        )
        runBlocking { staff.syncNow() }
        val code = runBlocking { staff.checkInCode(meeting, now - 60_000L, start + 3_600_000L) }
        val wang = server.loggedIn("wangfang")
        val home = HomeState(wang)
        server.eventually("the home page lists both") {
            val h = home.home.value
            h != null && h.todo.size == 2 && h.unreadNotices.any { it.id == notice } && h.meetings.any { it.id == meeting }
        }
        // The system's notifications follow the schedule; answering the notice takes its one off.
        val handed = CopyOnWriteArrayList<List<ScheduledReminder>>()
        val sync = ReminderSync(wang) { handed += it }
        assertTrue(handed.last().any { it.id == notice })
        wang.answerNotice(notice, ReplyOption.ATTEND, "")
        server.eventually("the answered notice left the schedule") { handed.last().none { it.id == notice } }
        // A switch off takes a kind off at once.
        val settings = ReminderSettingsState(wang) { handed += it }
        assertTrue(settings.set(ReminderKind.MEETING, false))
        assertTrue(handed.last().none { it.kind == ReminderKind.MEETING })
        assertEquals(false, wang.reminderSettings().meeting)
        // Check-in with the code, offline: a wrong one refused in Chinese, the right one recorded.
        server.stop()
        try {
            val checkIn = CheckInState(wang)
            assertTrue(!checkIn.submit("LZQD1.x.y"))
            assertEquals(CheckInUi.Failed("签到码无效"), checkIn.ui.value)
            assertTrue(checkIn.submit(code))
            assertEquals(CheckInUi.Done(meeting, "县政协全体委员会议"), checkIn.ui.value)
            assertTrue(wang.meeting(meeting).item.checkedIn)
        } finally {
            server.start()
        }
        sync.close()
        home.close()
    }
}
