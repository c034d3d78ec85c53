package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.SyncState
import cn.lvzhi.core.SyncStatus
import cn.lvzhi.core.SyncStatusListener
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** What the sync banner shows: offline, syncing, failed, or when the last sync was. */
data class SyncBanner(
    val text: String,
    val offline: Boolean,
    val syncing: Boolean,
    val pending: Int,
    val rejected: Int,
    val lastSyncedAtMs: Long?,
) {
    companion object {
        private val clock = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.of("Asia/Shanghai"))

        fun from(status: SyncStatus): SyncBanner {
            val pending = status.pending.toInt()
            val last = status.lastSuccessMs?.let { "上次同步 " + clock.format(Instant.ofEpochMilli(it)) } ?: "尚未同步"
            val text = when (val s = status.state) {
                is SyncState.Offline -> if (pending > 0) "离线，${pending}项待发送" else "离线"
                is SyncState.Syncing -> "同步中…"
                is SyncState.Error -> "同步失败：${s.reason}"
                is SyncState.Idle -> if (pending > 0) "${pending}项待发送" else last
            }
            return SyncBanner(
                text = text,
                offline = status.state is SyncState.Offline,
                syncing = status.state is SyncState.Syncing,
                pending = pending,
                rejected = status.rejected.toInt(),
                lastSyncedAtMs = status.lastSuccessMs,
            )
        }
    }
}

/** Holds the sync banner, fed by the core's status listener. */
class SyncBannerState(app: LvzhiApp) : AutoCloseable {
    private val _banner = MutableStateFlow(SyncBanner.from(app.syncStatus()))
    val banner: StateFlow<SyncBanner> = _banner.asStateFlow()

    private val subscription = app.observeSyncStatus(object : SyncStatusListener {
        override fun onStatus(status: SyncStatus) {
            _banner.value = SyncBanner.from(status)
        }
    })

    override fun close() = subscription.close()
}
