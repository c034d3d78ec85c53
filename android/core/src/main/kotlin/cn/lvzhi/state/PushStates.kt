package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.NotificationSettings
import cn.lvzhi.core.PushKind
import cn.lvzhi.core.PushVendor
import cn.lvzhi.core.pushKindLabel
import cn.lvzhi.core.pushKinds
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

// Server push: the phone's token and the person's switches. A push names only a kind and a
// count; what it is about the app shows from its own database after the sync the push wakes.

/**
 * The phone's push token, handed to the core whenever the vendor's SDK (or APNs) gives one, and
 * again after every login: logging out forgets which token the server has, and registering
 * needs someone logged in. The same token again is a no-op in the core.
 */
class PushTokens(private val app: LvzhiApp) {
    @Volatile
    private var last: Pair<PushVendor, String>? = null

    /** The token the SDK gave (first or refreshed): kept, and registered if someone is logged in. */
    fun received(vendor: PushVendor, token: String): Boolean {
        last = vendor to token
        return register()
    }

    /** Registers the last token again (after a login); false without a token or a login. */
    fun register(): Boolean {
        val (vendor, token) = last ?: return false
        if (app.me() == null) return false
        return runCatching { app.registerPushToken(vendor, token) }.isSuccess
    }
}

/**
 * 我的 → 设置 → 推送通知: a master switch, a switch per kind of push and the quiet hours
 * (22:00–07:00 China time unless changed; equal minutes mean none). Saved in the core at once;
 * they travel through sync to the person's other phones and to the server, which decides what
 * to push.
 */
class NotificationSettingsState(private val app: LvzhiApp) {
    private val _settings = MutableStateFlow(runCatching { app.notificationSettings() }.getOrNull())
    val settings: StateFlow<NotificationSettings?> = _settings.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    /** The window the quiet-hours switch turns back on: the last one in force, else 22:00–07:00. */
    private var window: Pair<UShort, UShort> = _settings.value?.takeIf { hasQuietHours(it) }
        ?.let { it.quietFromMinute to it.quietUntilMinute } ?: DEFAULT_QUIET

    /** The quiet hours the switch shows: those in force, or those it would turn back on. */
    val quietWindow: Pair<UShort, UShort> get() = window

    /** Reads them again (a sync may have brought a change made on another phone). */
    fun refresh() {
        runCatching { app.notificationSettings() }.onSuccess {
            _settings.value = it
            if (hasQuietHours(it)) window = it.quietFromMinute to it.quietUntilMinute
        }
    }

    fun setEnabled(on: Boolean): Boolean = save { it.copy(enabled = on) }

    fun setKind(kind: PushKind, on: Boolean): Boolean = save { s ->
        val off = if (on) s.off - kind else s.off + kind
        // Kept in the settings' own order, each kind once.
        s.copy(off = KINDS.map { it.first }.filter { it in off })
    }

    /** Quiet hours on (the remembered window) or off (both minutes equal). */
    fun setQuietHours(on: Boolean): Boolean = save { s ->
        if (on) s.copy(quietFromMinute = window.first, quietUntilMinute = window.second)
        else s.copy(quietFromMinute = 0u, quietUntilMinute = 0u)
    }

    private fun save(change: (NotificationSettings) -> NotificationSettings): Boolean {
        val s = _settings.value ?: return false
        val next = change(s)
        return attempt(_error) {
            app.setNotificationSettings(next)
            _settings.value = next
        }
    }

    companion object {
        val DEFAULT_QUIET: Pair<UShort, UShort> = (22 * 60).toUShort() to (7 * 60).toUShort()

        /** The switches, in order, with the core's names. */
        val KINDS: List<Pair<PushKind, String>> by lazy { pushKinds().map { it to pushKindLabel(it) } }

        fun isOn(s: NotificationSettings, kind: PushKind): Boolean = kind !in s.off

        fun hasQuietHours(s: NotificationSettings): Boolean = s.quietFromMinute != s.quietUntilMinute

        /** 「免打扰 22:00–07:00」 */
        fun quietLabel(window: Pair<UShort, UShort>): String = "免打扰 ${clock(window.first)}–${clock(window.second)}"

        /** Minutes after midnight as 「07:00」. */
        fun clock(minute: UShort): String = "%02d:%02d".format(minute.toInt() / 60, minute.toInt() % 60)
    }
}
