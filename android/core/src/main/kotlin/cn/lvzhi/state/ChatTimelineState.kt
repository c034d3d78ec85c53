package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.TimelineDiff
import cn.lvzhi.core.TimelineItem
import cn.lvzhi.core.TimelineListener
import cn.lvzhi.core.TimelineUpdate
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/** 学习交流群 messages: a live timeline with 发送中/已发送/发送失败 and retry. */
class ChatTimelineState(private val app: LvzhiApp, val groupId: String, limit: UInt = 100u) : AutoCloseable {
    private val _items = MutableStateFlow<List<TimelineItem>>(emptyList())
    val items: StateFlow<List<TimelineItem>> = _items.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    private val handle = app.observeTimeline(groupId, limit, object : TimelineListener {
        override fun onUpdate(update: TimelineUpdate) {
            _items.update { current -> apply(current, update) }
        }
    })

    fun send(text: String, replyTo: String? = null, mentions: List<String> = emptyList()): Boolean = attempt {
        app.sendMessage(groupId, text, replyTo, mentions)
    }

    /**
     * Sends a picked file (a photo is shrunk unless [keepOriginal]) with [text]: the message shows
     * at once and goes when the file is uploaded; the upload resumes after a drop.
     */
    fun sendFile(name: String, contentType: String, data: ByteArray, text: String = "", keepOriginal: Boolean = false): Boolean = attempt {
        val attachment = app.attachFile(name, contentType, data, keepOriginal)
        app.sendMessageWithFiles(groupId, text, listOf(attachment))
    }

    private val _older = MutableStateFlow<List<TimelineItem>>(emptyList())
    /** Messages older than the live timeline, fetched on request (oldest first), kept on the
     *  phone from then on. */
    val older: StateFlow<List<TimelineItem>> = _older.asStateFlow()
    private val _noMore = MutableStateFlow(false)
    /** Whether the group has nothing older than [older]. */
    val noMore: StateFlow<Boolean> = _noMore.asStateFlow()

    /** Fetches the page of messages before the oldest shown; false (with the reason in
     *  [error]) offline. */
    suspend fun loadOlder(page: UInt = 50u): Boolean {
        val oldest = (_older.value + _items.value).mapNotNull { it.seq }.minOrNull() ?: run {
            _noMore.value = true
            return true
        }
        return try {
            val got = app.loadOlderMessages(groupId, oldest, page)
            _older.value = got.sortedBy { it.seq } + _older.value
            if (got.size < page.toInt()) _noMore.value = true
            _error.value = null
            true
        } catch (e: Exception) {
            _error.value = e.userMessage()
            false
        }
    }

    fun retryAll(): Boolean = attempt { app.retryFailed(groupId) }

    fun recall(messageId: String): Boolean = attempt { app.recallMessage(messageId) }

    /** Marks everything shown as read. */
    fun markAllRead(): Boolean = attempt {
        _items.value.mapNotNull { it.seq }.maxOrNull()?.let { app.markRead(groupId, it) }
    }

    private fun attempt(block: () -> Unit): Boolean = try {
        block()
        _error.value = null
        true
    } catch (e: Exception) {
        _error.value = e.userMessage()
        false
    }

    override fun close() = handle.close()

    companion object {
        fun apply(current: List<TimelineItem>, update: TimelineUpdate): List<TimelineItem> = when (update) {
            is TimelineUpdate.Snapshot -> update.items
            is TimelineUpdate.Diffs -> current.toMutableList().also { list ->
                for (d in update.diffs) {
                    when (d) {
                        is TimelineDiff.Insert -> list.add(d.index.toInt(), d.item)
                        is TimelineDiff.Update -> list[d.index.toInt()] = d.item
                        is TimelineDiff.Remove -> list.removeAt(d.index.toInt())
                    }
                }
            }
        }
    }
}
