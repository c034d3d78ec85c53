package cn.lvzhi.state

import cn.lvzhi.core.Attachment
import cn.lvzhi.core.AttachmentView
import cn.lvzhi.core.CacheUsage
import cn.lvzhi.core.Direction
import cn.lvzhi.core.FileInfo
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.TransferProgress
import cn.lvzhi.core.ProgressListener
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

// State holders for files (附件): attaching a picked file, where each attachment stands on this
// phone with the progress of its upload or download, and the cache with 清理缓存. Plain Kotlin
// over the core, tested on a desktop JVM.

/** `1.5 MB`, `300 KB`: sizes as members read them. */
fun humanSize(bytes: ULong): String {
    val mb = 1024.0 * 1024.0
    return if (bytes.toDouble() >= mb) {
        val v = bytes.toDouble() / mb
        if (v >= 10 || v == Math.floor(v)) "${Math.round(v)} MB" else "${"%.1f".format(v)} MB"
    } else {
        "${(bytes + 1023uL) / 1024uL} KB"
    }
}

/** The progress of every upload and download, as they move (bytes done of total, by file). */
class TransfersState(private val app: LvzhiApp) : AutoCloseable {
    private val _progress = MutableStateFlow<Map<String, TransferProgress>>(emptyMap())
    val progress: StateFlow<Map<String, TransferProgress>> = _progress.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    private val subscription = app.observeProgress(object : ProgressListener {
        override fun onProgress(progress: TransferProgress) {
            _progress.update { it + (progress.hash to progress) }
        }
    })

    /** 上传中 42% / 下载中 42%, while a transfer of this file is under way. */
    fun label(hash: String): String? = _progress.value[hash]?.takeIf { it.done < it.total }?.let {
        val percent = if (it.total == 0uL) 0uL else it.done * 100uL / it.total
        (if (it.direction == Direction.UPLOAD) "上传中 " else "下载中 ") + "$percent%"
    }

    /** Where each attachment stands here (whole, not here, part, uploading). */
    fun views(attachments: List<Attachment>): List<AttachmentView> =
        runCatching { app.attachmentViews(attachments) }.getOrDefault(emptyList())

    /** Downloads a file (resuming an earlier attempt); false with the reason in `error`. */
    suspend fun download(attachment: Attachment): Boolean = try {
        app.downloadFile(attachment)
        _error.value = null
        true
    } catch (e: Exception) {
        _error.value = e.userMessage()
        false
    }

    /** The bytes of a file held whole here (to show a photo), or null. */
    fun bytes(hash: String): ByteArray? = runCatching { app.fileBytes(hash) }.getOrNull()

    fun pin(attachment: Attachment, pinned: Boolean): Boolean = attempt(_error) { app.pinFile(attachment, pinned) }

    /** Uploads and downloads not finished. */
    fun unfinished(): List<FileInfo> = runCatching { app.transfers() }.getOrDefault(emptyList())

    override fun close() = subscription.close()
}

/** 存储空间: what the cache holds against its budget, and 清理缓存. */
class CacheState(private val app: LvzhiApp) {
    private val _usage = MutableStateFlow(read())
    val usage: StateFlow<CacheUsage?> = _usage.asStateFlow()
    private val _message = MutableStateFlow<String?>(null)
    /** What the last action did (已清理 12 MB), or why it failed. */
    val message: StateFlow<String?> = _message.asStateFlow()

    private fun read(): CacheUsage? = runCatching { app.cacheUsage() }.getOrNull()

    fun refresh() {
        _usage.value = read()
    }

    /** `已用 12 MB / 200 MB`. */
    fun label(): String = _usage.value?.let { "已用 ${humanSize(it.usedBytes)} / ${humanSize(it.budgetBytes)}" } ?: ""

    fun clear(): Boolean = try {
        val freed = app.clearCache()
        _message.value = "已清理 ${humanSize(freed)}，保留的文件和待上传的文件不受影响"
        refresh()
        true
    } catch (e: Exception) {
        _message.value = e.userMessage()
        false
    }

    fun setBudget(megabytes: Int): Boolean = try {
        _usage.value = app.setCacheBudget(megabytes.toULong() * 1024uL * 1024uL)
        true
    } catch (e: Exception) {
        _message.value = e.userMessage()
        false
    }
}
