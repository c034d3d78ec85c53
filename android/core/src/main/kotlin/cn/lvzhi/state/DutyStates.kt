package cn.lvzhi.state

import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.DutyEntryLine
import cn.lvzhi.core.FormValue
import cn.lvzhi.core.DutyRecord
import cn.lvzhi.core.FeedbackLine
import cn.lvzhi.core.FollowUp
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.MeetingDetail
import cn.lvzhi.core.MeetingItem
import cn.lvzhi.core.MeetingListListener
import cn.lvzhi.core.NoticeDetail
import cn.lvzhi.core.NoticeItem
import cn.lvzhi.core.NoticeListListener
import cn.lvzhi.core.Reminder
import cn.lvzhi.core.ReminderListener
import cn.lvzhi.core.ReplyOption
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

// State holders for notices, meetings, 待办 and the duty record: plain Kotlin over the core's
// calls and listeners (no Android classes), so they run and are tested on a desktop JVM. Every
// action is applied by the core at once, offline; a refusal lands in `error` in Chinese.

/** 通知公告, newest first, kept current by the core. */
class NoticeListState(app: LvzhiApp) : LiveListState<NoticeItem>({ app.notices() }, { on ->
    app.observeNotices(object : NoticeListListener {
        override fun onNotices(notices: List<NoticeItem>) = on(notices)
    })
}) {
    val notices: StateFlow<List<NoticeItem>> get() = items

    /** Notices addressed to this user that still want a 回执. */
    fun unanswered(): List<NoticeItem> =
        items.value.filter { it.addressedToMe && it.asksReply && it.answerLabel == null && !it.withdrawn }
}

/** One notice: opening it marks it read; its 回执 and 撤回 are the core's forms ([take]). */
class NoticeDetailState(app: LvzhiApp, id: String) : DetailState<NoticeDetail>(app, id, { a, i -> a.openNotice(i) }) {
    /** Staff: who read, who answered what, who has not — by name. */
    fun followUp(): FollowUp? = runCatching { app.noticeFollowUp(id) }.getOrNull()
}

/** 会议活动, soonest first, kept current by the core. */
class MeetingListState(app: LvzhiApp) : LiveListState<MeetingItem>({ app.meetings() }, { on ->
    app.observeMeetings(object : MeetingListListener {
        override fun onMeetings(meetings: List<MeetingItem>) = on(meetings)
    })
}) {
    val meetings: StateFlow<List<MeetingItem>> get() = items
}

/**
 * One meeting: what this user may do there now (参加/请假, 报名/取消, 签到 by code; for staff, the
 * roster's leaves, check-ins and absences) as the core's forms in the detail, taken with [take].
 */
class MeetingDetailState(app: LvzhiApp, id: String) : DetailState<MeetingDetail>(app, id, { a, i -> a.meeting(i) }) {
    private val _code = MutableStateFlow<String?>(null)
    /** Staff: the signed check-in code to show or print at the venue (valid from an hour before
     * the meeting to its end). Fetched once, online; it then works with no network. */
    val code: StateFlow<String?> = _code.asStateFlow()

    suspend fun fetchCode(): Boolean {
        val m = detail.value?.meeting ?: return false
        return try {
            _code.value = app.checkInCode(id, m.startsAtMs - 3_600_000L, m.endsAtMs)
            _error.value = null
            true
        } catch (e: Exception) {
            _error.value = e.userMessage()
            false
        }
    }
}

/** 待办: what is due, soonest first, for the screen and for local notifications. */
class ReminderListState(app: LvzhiApp) : LiveListState<Reminder>({ app.reminders() }, { on ->
    app.observeReminders(object : ReminderListener {
        override fun onReminders(reminders: List<Reminder>) = on(reminders)
    })
}) {
    val reminders: StateFlow<List<Reminder>> get() = items
}

/** 履职档案: the member's year, each fact with why it counts; the annual report. */
class DutyRecordState(private val app: LvzhiApp, val year: Int) {
    private val _record = MutableStateFlow<DutyRecord?>(null)
    val record: StateFlow<DutyRecord?> = _record.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    init {
        refresh()
    }

    fun refresh() {
        attempt(_error) { _record.value = app.dutyRecord(year) }
    }

    /** A duty outside the system, for staff to accept. */
    fun selfReport(title: String, description: String, dateMs: Long): Boolean = attempt(_error) {
        app.submitSelfReport(title, description, dateMs)
    }

    fun annualReport(): String? = runCatching { app.annualReport(year) }.getOrNull()
}

/** 自主履职: a member reports duties done outside the app; staff accept or return them. */
class SelfReportState(private val app: LvzhiApp) {
    private val _entries = MutableStateFlow(load())
    /** A member's own entries; for staff, their organisation's, each with what they may do to it. */
    val entries: StateFlow<List<DutyEntryLine>> = _entries.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    private fun load(): List<DutyEntryLine> = runCatching { app.dutyEntries() }.getOrDefault(emptyList())

    fun submit(title: String, description: String, dateMs: Long): Boolean = attempt(_error) {
        app.submitSelfReport(title, description, dateMs)
        _entries.value = load()
    }

    /** 认定 or 退回 an entry: the core's forms on its line. */
    fun take(entryId: String, kind: ActionKind, values: List<FormValue> = emptyList()): Boolean = attempt(_error) {
        app.takeAction(entryId, kind, values)
        _entries.value = load()
    }
}

/** 意见建议: anyone writes to the organisation's administrators and reads their answer. */
class FeedbackState(private val app: LvzhiApp) {
    private val _items = MutableStateFlow(load())
    /** Each with 答复 for the organisation's administrators while unanswered. */
    val items: StateFlow<List<FeedbackLine>> = _items.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    private fun load(): List<FeedbackLine> = runCatching { app.feedback() }.getOrDefault(emptyList())

    fun refresh() {
        _items.value = load()
    }

    fun send(text: String): Boolean = attempt(_error) {
        app.sendFeedback(text)
        _items.value = load()
    }

    /** 答复: the core's form on the line. */
    fun take(feedbackId: String, kind: ActionKind, values: List<FormValue>): Boolean = attempt(_error) {
        app.takeAction(feedbackId, kind, values)
        _items.value = load()
    }
}
