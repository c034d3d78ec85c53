package cn.lvzhi.state

import cn.lvzhi.core.HomeListener
import cn.lvzhi.core.HomeView
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.QrMatrix
import cn.lvzhi.core.Reminder
import cn.lvzhi.core.ReminderKind
import cn.lvzhi.core.ReminderListener
import cn.lvzhi.core.ReminderSettings
import cn.lvzhi.core.ScheduledReminder
import cn.lvzhi.core.qrCode
import cn.lvzhi.core.reminderKindLabel
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

// 首页, local notifications for 待办, and check-in by a scanned code: plain Kotlin over the
// core's calls, so the desktop JVM tests them and the Android screens render them.

/** 首页: what needs the member now, kept current by the core after every change. */
class HomeState(app: LvzhiApp) : AutoCloseable {
    private val _home = MutableStateFlow(runCatching { app.home() }.getOrNull())
    val home: StateFlow<HomeView?> = _home.asStateFlow()

    private val subscription = app.observeHome(object : HomeListener {
        override fun onHome(home: HomeView) {
            _home.value = home
        }
    })

    override fun close() = subscription.close()
}

/**
 * The phone's system notifications: the platform hands the core's schedule to the OS
 * (AlarmManager on Android, UNUserNotificationCenter on iOS), replacing what it handed before.
 */
fun interface ReminderScheduler {
    fun replace(schedule: List<ScheduledReminder>)
}

/**
 * Keeps the system's notifications equal to the core's schedule: at once, then whenever 待办
 * change (after each sync and each action) and whenever the member changes a switch.
 */
class ReminderSync(private val app: LvzhiApp, private val scheduler: ReminderScheduler) : AutoCloseable {
    private val subscription = app.observeReminders(object : ReminderListener {
        override fun onReminders(reminders: List<Reminder>) = refresh()
    })

    init {
        refresh()
    }

    fun refresh() {
        runCatching { app.reminderSchedule() }.onSuccess { scheduler.replace(it) }
    }

    override fun close() = subscription.close()
}

/** 我的 → 设置: one switch per kind of reminder; each change reschedules at once. */
class ReminderSettingsState(private val app: LvzhiApp, private val scheduler: ReminderScheduler?) {
    private val _settings = MutableStateFlow(runCatching { app.reminderSettings() }.getOrNull())
    val settings: StateFlow<ReminderSettings?> = _settings.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    fun set(kind: ReminderKind, on: Boolean): Boolean {
        val s = _settings.value ?: return false
        val next = when (kind) {
            ReminderKind.NOTICE_REPLY -> s.copy(noticeReply = on)
            ReminderKind.MEETING -> s.copy(meeting = on)
            ReminderKind.CO_SIGN -> s.copy(coSign = on)
            ReminderKind.EVALUATION -> s.copy(evaluation = on)
        }
        return attempt(_error) {
            app.setReminderSettings(next)
            _settings.value = next
            scheduler?.replace(app.reminderSchedule())
        }
    }

    companion object {
        /** The switches, in order, with the core's names. */
        val KINDS: List<Pair<ReminderKind, String>> = ReminderKind.entries.map { it to reminderKindLabel(it) }

        fun isOn(s: ReminderSettings, kind: ReminderKind): Boolean = when (kind) {
            ReminderKind.NOTICE_REPLY -> s.noticeReply
            ReminderKind.MEETING -> s.meeting
            ReminderKind.CO_SIGN -> s.coSign
            ReminderKind.EVALUATION -> s.evaluation
        }
    }
}

/** What a check-in attempt came to. */
sealed interface CheckInUi {
    data object Waiting : CheckInUi
    data class Done(val meetingId: String, val title: String) : CheckInUi
    data class Failed(val message: String) : CheckInUi
}

/**
 * 扫码签到: a code read from the camera (or pasted) names its meeting; the core verifies it with
 * that meeting's key and records the check-in at once, offline. A frame the decoder could not
 * read is ignored; the same code twice is checked once.
 */
class CheckInState(private val app: LvzhiApp) {
    private val _ui = MutableStateFlow<CheckInUi>(CheckInUi.Waiting)
    val ui: StateFlow<CheckInUi> = _ui.asStateFlow()
    private var lastCode: String? = null

    fun submit(code: String): Boolean {
        val trimmed = code.trim()
        if (trimmed.isEmpty()) {
            _ui.value = CheckInUi.Failed("请扫描或粘贴签到码")
            return false
        }
        if (trimmed == lastCode && _ui.value is CheckInUi.Done) return true
        lastCode = trimmed
        return try {
            val id = app.checkInWithCode(trimmed)
            _ui.value = CheckInUi.Done(id, runCatching { app.meeting(id).meeting.title }.getOrDefault(""))
            true
        } catch (e: Exception) {
            _ui.value = CheckInUi.Failed(e.userMessage())
            false
        }
    }

    fun reset() {
        _ui.value = CheckInUi.Waiting
        lastCode = null
    }
}

/** The QR code of [text] (a check-in code staff show), as the core draws it; null if too long. */
fun qrOf(text: String): QrMatrix? = runCatching { qrCode(text) }.getOrNull()
