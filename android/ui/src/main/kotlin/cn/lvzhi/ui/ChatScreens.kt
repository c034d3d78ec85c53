package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Forum
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.foundation.lazy.rememberLazyListState
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.TextRange
import androidx.compose.ui.text.input.TextFieldValue
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.GroupSummary
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.MessageState
import cn.lvzhi.core.Role
import cn.lvzhi.core.TimelineItem
import cn.lvzhi.state.ChatTimelineState
import cn.lvzhi.state.GroupListState
import kotlinx.coroutines.launch

@Composable
fun GroupListScreen(app: LvzhiApp, onOpen: (String) -> Unit) {
    val state = remember { GroupListState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val groups by state.groups.collectAsState()
    if (groups.isEmpty()) EmptyState(Icons.Outlined.Forum, S.NO_GROUPS)
    LazyColumn {
        items(groups, key = { it.group.id }) { g -> GroupRow(g) { onOpen(g.group.id) } }
    }
}

@Composable
private fun GroupRow(g: GroupSummary, onClick: () -> Unit) {
    val counts = listOfNotNull(
        if (g.unread > 0u) S.unread(g.unread.toInt()) else null,
        if (g.unreadMentions > 0u) S.mentions(g.unreadMentions.toInt()) else null,
    )
    Column(
        Modifier.fillMaxWidth().clickable(onClick = onClick).padding(16.dp)
            .semantics(mergeDescendants = true) { contentDescription = "群：${g.group.name}，${counts.joinToString("，").ifEmpty { "没有未读" }}" },
    ) {
        Text(g.group.name, style = MaterialTheme.typography.titleMedium)
        if (counts.isNotEmpty()) Text(counts.joinToString("　"), style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.primary)
    }
    HorizontalDivider()
}

/** A group's messages: send, reply to one, @mention members, recall one's own, staff delete. */
@Composable
fun ChatScreen(app: LvzhiApp, groupId: String, onBack: (() -> Unit)?) {
    val state = remember(groupId) { ChatTimelineState(app, groupId) }
    DisposableEffect(groupId) { onDispose { state.close() } }
    val items by state.items.collectAsState()
    val error by state.error.collectAsState()
    val me = remember { app.me() }
    val isStaff = me?.roles?.any { it.role == Role.PROPOSAL_STAFF || it.role == Role.ORG_ADMIN } == true
    val group = remember(groupId) { runCatching { app.groups() }.getOrDefault(emptyList()).firstOrNull { it.group.id == groupId } }
    var draft by remember(groupId) { mutableStateOf(TextFieldValue("")) }
    var replyTo by remember(groupId) { mutableStateOf<TimelineItem?>(null) }
    val mentions = remember(groupId) { mutableStateListOf<String>() }
    var picking by remember(groupId) { mutableStateOf(false) }
    val scope = rememberCoroutineScope()
    Column {
        Row {
            if (onBack != null) TextButton(onClick = { state.markAllRead(); onBack() }, modifier = Modifier.semantics { contentDescription = S.BACK }) { Text(S.BACK) }
            Text(group?.group?.name ?: S.GROUPS, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(12.dp))
        }
        val older by state.older.collectAsState()
        val noMore by state.noMore.collectAsState()
        // A chat opens at its newest message and follows new ones; older pages load above.
        val list = rememberLazyListState()
        LaunchedEffect(items.size) { if (items.isNotEmpty()) list.scrollToItem(older.size + items.size) }
        LazyColumn(Modifier.weight(1f), state = list) {
            // Older history, fetched a page at a time from the server and kept on the phone.
            item(key = "older") {
                if (noMore) {
                    Text(S.NO_OLDER, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant, modifier = Modifier.padding(Space.m).semantics { contentDescription = S.NO_OLDER })
                } else if (items.isNotEmpty()) {
                    TextButton(onClick = { scope.launch { state.loadOlder() } }, modifier = Modifier.padding(horizontal = Space.s).semantics { contentDescription = S.LOAD_OLDER }) { Text(S.LOAD_OLDER) }
                }
            }
            items(older, key = { "older-" + it.id }) { m ->
                MessageRow(app, m, older + items, me?.personId, isStaff, onReply = { replyTo = m }, onRecall = { state.recall(m.id) }, onDelete = {
                    runCatching { app.deleteMessage(m.id) }
                })
            }
            items(items, key = { it.id }) { m ->
                MessageRow(app, m, items, me?.personId, isStaff, onReply = { replyTo = m }, onRecall = { state.recall(m.id) }, onDelete = {
                    runCatching { app.deleteMessage(m.id) }
                })
            }
        }
        ErrorText(error)
        if (items.any { it.state is MessageState.Failed }) {
            TextButton(onClick = { state.retryAll() }, modifier = Modifier.semantics { contentDescription = S.RETRY_ALL }) { Text(S.RETRY_ALL) }
        }
        replyTo?.let { r ->
            Row(Modifier.padding(horizontal = 8.dp)) {
                Text(S.repliedTo(r.senderName) + "：" + r.text.take(20), style = MaterialTheme.typography.bodySmall, modifier = Modifier.weight(1f))
                TextButton(onClick = { replyTo = null }, modifier = Modifier.semantics { contentDescription = "取消回复" }) { Text(S.CANCEL) }
            }
        }
        if (picking) {
            val members = group?.group?.members.orEmpty().filter { it != me?.personId }
            val people = remember { runCatching { app.people() }.getOrDefault(emptyList()) }
            Column(Modifier.padding(8.dp)) {
                for (id in members) {
                    val name = people.firstOrNull { it.id == id }?.name ?: id
                    Text(
                        "@$name",
                        modifier = Modifier.fillMaxWidth().clickable {
                            mentions.add(id)
                            val text = draft.text + "@$name "
                            draft = TextFieldValue(text, TextRange(text.length))
                            picking = false
                        }.padding(6.dp).semantics { contentDescription = "提醒$name" },
                    )
                }
            }
        }
        Row(Modifier.padding(8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            TextButton(onClick = { picking = !picking }, modifier = Modifier.semantics { contentDescription = S.MENTION }) { Text("@") }
            val pick = LocalFilePicker.current
            if (pick != null) {
                TextButton(
                    onClick = {
                        scope.launch {
                            pick()?.let { f ->
                                if (state.sendFile(f.name, f.contentType, f.bytes, draft.text)) draft = TextFieldValue("")
                            }
                        }
                    },
                    modifier = Modifier.semantics { contentDescription = S.ATTACH },
                ) { Text(S.ATTACH) }
            }
            OutlinedTextField(
                draft,
                { draft = it },
                placeholder = { Text(S.MESSAGE_HINT) },
                modifier = Modifier.weight(1f).semantics { contentDescription = "消息输入框" },
            )
            Button(
                onClick = {
                    if (state.send(draft.text, replyTo?.id, mentions.toList())) {
                        draft = TextFieldValue(""); replyTo = null; mentions.clear()
                    }
                },
                modifier = Modifier.semantics { contentDescription = "发送消息" },
            ) { Text(S.SEND) }
        }
    }
}

@Composable
private fun MessageRow(
    app: LvzhiApp,
    m: TimelineItem, all: List<TimelineItem>, myId: String?, isStaff: Boolean,
    onReply: () -> Unit, onRecall: () -> Unit, onDelete: () -> Unit,
) {
    Column(Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 6.dp)) {
        Column(Modifier.semantics(mergeDescendants = true) { contentDescription = "${m.senderName}：${m.text}" }) {
            Text(m.senderName, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.secondary)
            m.replyTo?.let { id ->
                val quoted = all.firstOrNull { it.id == id }
                Text("「${quoted?.senderName ?: ""}：${quoted?.text?.take(30) ?: "……"}」", style = MaterialTheme.typography.bodySmall)
            }
            if (m.text.isNotEmpty()) Text(m.text, style = MaterialTheme.typography.bodyLarge)
            when (val s = m.state) {
                is MessageState.Sending -> Text(S.SENDING, style = MaterialTheme.typography.labelSmall)
                is MessageState.Failed -> Text(S.failed(s.reason), color = MaterialTheme.colorScheme.error)
                is MessageState.Sent -> {}
            }
        }
        AttachmentList(app, m.attachments)
        if (!m.recalled && !m.deleted && m.seq != null) {
            Row {
                TextButton(onClick = onReply, modifier = Modifier.semantics { contentDescription = "回复${m.senderName}：${m.text.take(10)}" }) { Text(S.REPLY) }
                if (m.senderId == myId) {
                    TextButton(onClick = onRecall, modifier = Modifier.semantics { contentDescription = "撤回：${m.text.take(10)}" }) { Text(S.RECALL) }
                }
                if (isStaff) {
                    TextButton(onClick = onDelete, modifier = Modifier.semantics { contentDescription = "删除：${m.text.take(10)}" }) { Text(S.DELETE) }
                }
            }
        }
    }
}
