package cn.lvzhi.ui

import androidx.compose.foundation.Image
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.compositionLocalOf
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.Attachment
import cn.lvzhi.core.FileState
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.state.CacheState
import cn.lvzhi.state.TransfersState
import cn.lvzhi.state.humanSize
import kotlinx.coroutines.launch

/** Turns a thumbnail's bytes into an image: the platform's decoder (BitmapFactory, Skia); none shows a label. */
val LocalImageDecoder = compositionLocalOf<(ByteArray) -> ImageBitmap?> { { null } }

/** A file the member picked with the platform's picker. */
class PickedFile(val name: String, val contentType: String, val bytes: ByteArray)

/** The platform's file or photo picker; without one, screens offer no attach button. */
val LocalFilePicker = compositionLocalOf<(suspend () -> PickedFile?)?> { null }

/** The progress of uploads and downloads, shared by the screens under it. */
val LocalTransfers = compositionLocalOf<TransfersState?> { null }

private fun stateLabel(state: FileState, size: ULong): String = when (state) {
    is FileState.Here -> S.OPEN
    is FileState.NotHere -> S.DOWNLOAD
    is FileState.Partial -> "已下载 ${(state.done * 100uL / maxOf(size, 1uL))}%，点按继续"
    is FileState.Uploading -> "等待上传 ${(state.done * 100uL / maxOf(size, 1uL))}%"
    is FileState.UploadFailed -> "上传失败：${state.reason}"
}

/**
 * The files of a message, material or news item: a thumbnail for photos (it travels with the
 * message), name, kind and size, and where the file stands here; a tap downloads it (resumed).
 */
@Composable
fun AttachmentList(app: LvzhiApp, attachments: List<Attachment>) {
    if (attachments.isEmpty()) return
    val own = remember { if (attachments.isEmpty()) null else TransfersState(app) }
    val transfers = LocalTransfers.current ?: own!!
    DisposableEffect(Unit) { onDispose { own?.close() } }
    val progress by transfers.progress.collectAsState()
    val scope = rememberCoroutineScope()
    val decode = LocalImageDecoder.current
    val views = remember(attachments, progress) { transfers.views(attachments) }
    Column(Modifier.padding(vertical = 4.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        for (v in views) {
            val a = v.attachment
            val moving = transfers.label(a.hash)
            val label = moving ?: stateLabel(v.state, a.size)
            Row(
                Modifier.fillMaxWidth().clickable {
                    if (v.state !is FileState.Here) scope.launch { transfers.download(a) }
                }.semantics(mergeDescendants = true) { contentDescription = "${S.ATTACHMENTS}：${a.name}，${v.caption}，$label" },
                horizontalArrangement = Arrangement.spacedBy(8.dp),
            ) {
                val thumb = remember(a.hash) {
                    a.thumbnail?.let { runCatching { java.util.Base64.getDecoder().decode(it) }.getOrNull() }?.let(decode)
                }
                if (thumb != null) Image(thumb, contentDescription = null, modifier = Modifier.size(64.dp))
                Column(Modifier.weight(1f)) {
                    Text(a.name, style = MaterialTheme.typography.bodyMedium)
                    Text("${v.caption}　$label", style = MaterialTheme.typography.labelSmall, color = MaterialTheme.colorScheme.secondary)
                    progress[a.hash]?.takeIf { it.done < it.total }?.let {
                        LinearProgressIndicator(progress = { it.done.toFloat() / maxOf(it.total, 1uL).toFloat() }, modifier = Modifier.fillMaxWidth())
                    }
                }
            }
        }
    }
}

/** 存储空间: what files take on this phone, 清理缓存, and transfers under way. */
@Composable
fun StorageScreen(app: LvzhiApp, onBack: () -> Unit) {
    val cache = remember { CacheState(app) }
    val transfers = remember { TransfersState(app) }
    DisposableEffect(Unit) { onDispose { transfers.close() } }
    val usage by cache.usage.collectAsState()
    val message by cache.message.collectAsState()
    val progress by transfers.progress.collectAsState()
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        BackButton(onBack)
        SectionTitle(S.STORAGE)
        val label = usage?.let { "已用 ${humanSize(it.usedBytes)} / ${humanSize(it.budgetBytes)}，${it.files}个文件" } ?: ""
        Text(label, modifier = Modifier.semantics { contentDescription = "缓存用量：$label" })
        Text(S.CACHE_NOTE, style = MaterialTheme.typography.bodySmall)
        Button(onClick = { cache.clear() }, modifier = Modifier.semantics { contentDescription = S.CLEAR_CACHE }) { Text(S.CLEAR_CACHE) }
        message?.let { Text(it, modifier = Modifier.semantics { contentDescription = "提示：$it" }) }
        SectionTitle(S.TRANSFERS)
        val unfinished = remember(progress, usage) { transfers.unfinished() }
        if (unfinished.isEmpty()) Text(S.NO_TRANSFERS)
        for (f in unfinished) {
            val done = if (f.uploading) f.uploaded else f.have
            val what = if (f.uploading) "上传" else "下载"
            Text("$what ${f.name}　${humanSize(done)} / ${humanSize(f.size)}", modifier = Modifier.semantics { contentDescription = "$what：${f.name}" })
            LinearProgressIndicator(progress = { done.toFloat() / maxOf(f.size, 1uL).toFloat() }, modifier = Modifier.fillMaxWidth())
        }
    }
}
