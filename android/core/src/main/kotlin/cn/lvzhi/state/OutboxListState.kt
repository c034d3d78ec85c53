package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.OutboxItem
import cn.lvzhi.core.SyncStatus
import cn.lvzhi.core.SyncStatusListener
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** 待发送: what the server has not accepted yet, refreshed whenever the sync state changes. */
class OutboxListState(private val app: LvzhiApp) : AutoCloseable {
    private val _items = MutableStateFlow<List<OutboxItem>>(emptyList())
    val items: StateFlow<List<OutboxItem>> = _items.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    private val subscription = app.observeSyncStatus(object : SyncStatusListener {
        override fun onStatus(status: SyncStatus) = refresh()
    })

    fun refresh() {
        try {
            _items.value = app.outbox()
        } catch (e: Exception) {
            _error.value = e.userMessage()
        }
    }

    /** Sends a refused item again (after the user changed what made it fail). */
    fun retry(id: ULong): Boolean = attempt { app.retryOutbox(id) }

    /** Gives a refused item up; what it changed shows the server's version again. */
    fun discard(id: ULong): Boolean = attempt { app.discardOutbox(id) }

    private fun attempt(block: () -> Unit): Boolean = try {
        block()
        _error.value = null
        refresh()
        true
    } catch (e: Exception) {
        _error.value = e.userMessage()
        false
    }

    override fun close() = subscription.close()
}
