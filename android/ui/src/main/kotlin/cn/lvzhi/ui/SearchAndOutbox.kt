package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.OutboxState
import cn.lvzhi.state.OutboxListState
import cn.lvzhi.state.SearchState

/** 搜索 over proposals and group messages, offline. */
@Composable
fun SearchScreen(
    app: LvzhiApp,
    onOpenProposal: (String) -> Unit,
    onOpenGroup: (String) -> Unit,
    initial: String = "",
    onOpenConsult: (kindLabel: String, id: String) -> Unit = { _, _ -> },
) {
    val state = remember { SearchState(app) }
    val results by state.results.collectAsState()
    var query by remember { mutableStateOf(initial) }
    LaunchedEffect(Unit) { if (initial.isNotEmpty()) state.search(initial) }
    Column(Modifier.padding(12.dp).verticalScroll(rememberScrollState())) {
        Input(S.SEARCH_HINT, query) { query = it; state.search(it) }
        ErrorText(results.error)
        if (results.query.isNotBlank() && results.proposals.isEmpty() && results.messages.isEmpty() && results.consult.isEmpty()) {
            Text(S.NOTHING_FOUND, modifier = Modifier.padding(12.dp))
        }
        if (results.proposals.isNotEmpty()) {
            SectionTitle(S.PROPOSALS)
            for (p in results.proposals) ProposalRow(p) { onOpenProposal(p.id) }
        }
        if (results.messages.isNotEmpty()) {
            SectionTitle(S.MESSAGES)
            for (m in results.messages) {
                Text(
                    "${m.senderName}：${m.text}",
                    modifier = Modifier.fillMaxWidth().padding(vertical = 6.dp)
                        .semantics { contentDescription = "消息：${m.senderName}：${m.text}" },
                )
                HorizontalDivider()
            }
        }
        if (results.consult.isNotEmpty()) {
            SectionTitle("${S.REPORTS}与${S.TOPICS}")
            for (h in results.consult) {
                Text(
                    "${h.kindLabel}　${h.title}",
                    modifier = Modifier.fillMaxWidth().clickable { onOpenConsult(h.kindLabel, h.id) }.padding(vertical = 6.dp)
                        .semantics { contentDescription = "${h.kindLabel}：${h.title}" },
                )
                HorizontalDivider()
            }
        }
    }
}

/** 待发送: each action not yet accepted, pending or refused with the reason; retry or discard. */
@Composable
fun OutboxScreen(app: LvzhiApp) {
    val state = remember { OutboxListState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val items by state.items.collectAsState()
    val error by state.error.collectAsState()
    Column(Modifier.padding(12.dp).verticalScroll(rememberScrollState())) {
        ErrorText(error)
        if (items.isEmpty()) Text(S.OUTBOX_EMPTY, modifier = Modifier.padding(12.dp).semantics { contentDescription = S.OUTBOX_EMPTY })
        for (item in items) {
            val status = when (val s = item.state) {
                is OutboxState.Pending -> S.OUTBOX
                is OutboxState.Refused -> S.refused(s.reason)
                is OutboxState.WaitingBehind -> S.waitingBehind(s.refusedId.toLong(), s.reason)
                is OutboxState.WaitingForFiles -> S.WAITING_FOR_FILES
            }
            Column(Modifier.fillMaxWidth().padding(vertical = 6.dp)) {
                Text(item.label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.semantics { contentDescription = "待发送项：${item.label}，$status" })
                Text(
                    "${S.time(item.createdAtMs)}　$status",
                    style = MaterialTheme.typography.bodySmall,
                    color = if (item.state is OutboxState.Pending) MaterialTheme.colorScheme.onSurfaceVariant else MaterialTheme.colorScheme.error,
                )
                if (item.state is OutboxState.Refused) {
                    Row {
                        ActionButton(S.RETRY, description = "${S.RETRY}：${item.label}") { state.retry(item.id) }
                        ActionButton(S.DISCARD, description = "${S.DISCARD}：${item.label}") { state.discard(item.id) }
                    }
                }
            }
            HorizontalDivider()
        }
    }
}
