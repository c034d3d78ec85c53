package cn.lvzhi.app

import android.app.AlarmManager
import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.os.Build
import cn.lvzhi.core.ReminderKind
import cn.lvzhi.core.ScheduledReminder
import cn.lvzhi.core.reminderKindLabel
import cn.lvzhi.state.ReminderScheduler

/**
 * The core's reminder schedule handed to Android: one alarm per reminder (AlarmManager, allowed
 * while idle, inexact: a reminder a few minutes late is fine and needs no exact-alarm
 * permission), a notification channel per kind (named as the core names it, so the member can
 * also silence a kind in the system's settings), and the alarms of reminders no longer in the
 * schedule cancelled. Only the schedule's text is shown — what the core computed from the
 * phone's own database.
 */
class AndroidReminderScheduler(private val context: Context) : ReminderScheduler {
    private val alarms = context.getSystemService(AlarmManager::class.java)
    private val prefs = context.getSharedPreferences("reminders", Context.MODE_PRIVATE)

    init {
        if (Build.VERSION.SDK_INT >= 26) {
            val manager = context.getSystemService(NotificationManager::class.java)
            for (kind in ReminderKind.entries) {
                manager.createNotificationChannel(
                    NotificationChannel(channelOf(kind), reminderKindLabel(kind), NotificationManager.IMPORTANCE_DEFAULT),
                )
            }
        }
    }

    override fun replace(schedule: List<ScheduledReminder>) {
        val keys = schedule.map { it.key }.toSet()
        for (old in prefs.getStringSet(KEYS, emptySet()).orEmpty() - keys) alarms.cancel(pending(old, null))
        for (r in schedule) alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, r.atMs, pending(r.key, r))
        prefs.edit().putStringSet(KEYS, keys).apply()
    }

    /** The alarm of `key`: the same request code and action each time, so setting it again replaces it. */
    private fun pending(key: String, r: ScheduledReminder?): PendingIntent {
        val intent = Intent(context, ReminderReceiver::class.java).setAction("cn.lvzhi.REMINDER:$key")
        if (r != null) {
            intent.putExtra("key", r.key).putExtra("kind", r.kind.name).putExtra("title", r.title).putExtra("body", r.body)
                .putExtra("entity", r.entity).putExtra("id", r.id)
        }
        return PendingIntent.getBroadcast(context, key.hashCode(), intent, PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE)
    }

    companion object {
        private const val KEYS = "scheduled_keys"

        fun channelOf(kind: ReminderKind) = "reminder-" + kind.name.lowercase()
    }
}

/** Shows a reminder when its alarm goes off; a tap opens the app. */
class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val kind = intent.getStringExtra("kind")?.let { runCatching { ReminderKind.valueOf(it) }.getOrNull() } ?: return
        // One request code per reminder, so that each notification opens its own item.
        val open = PendingIntent.getActivity(
            context, intent.getStringExtra("key").hashCode(),
            Intent(context, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_SINGLE_TOP)
                .putExtra("entity", intent.getStringExtra("entity")).putExtra("id", intent.getStringExtra("id")),
            PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
        )
        @Suppress("DEPRECATION")
        val builder = if (Build.VERSION.SDK_INT >= 26) Notification.Builder(context, AndroidReminderScheduler.channelOf(kind)) else Notification.Builder(context)
        val notification = builder
            .setSmallIcon(android.R.drawable.ic_popup_reminder)
            .setContentTitle(intent.getStringExtra("title"))
            .setContentText(intent.getStringExtra("body"))
            .setStyle(Notification.BigTextStyle().bigText(intent.getStringExtra("body")))
            .setContentIntent(open)
            .setAutoCancel(true)
            .build()
        val manager = context.getSystemService(NotificationManager::class.java)
        // Allowed only with POST_NOTIFICATIONS on Android 13+; without it the member sees 待办 in the app.
        runCatching { manager.notify(intent.getStringExtra("key").hashCode(), notification) }
    }
}
