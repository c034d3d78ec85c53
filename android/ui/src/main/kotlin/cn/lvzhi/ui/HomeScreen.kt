package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Campaign
import androidx.compose.material.icons.outlined.CloudUpload
import androidx.compose.material.icons.outlined.EditNote
import androidx.compose.material.icons.outlined.Event
import androidx.compose.material.icons.outlined.HowToVote
import androidx.compose.material.icons.outlined.MarkEmailRead
import androidx.compose.material.icons.outlined.Newspaper
import androidx.compose.material.icons.outlined.Notifications
import androidx.compose.material.icons.outlined.QrCodeScanner
import androidx.compose.material.icons.outlined.RateReview
import androidx.compose.material.icons.outlined.TaskAlt
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.MeetingItem
import cn.lvzhi.core.NoticeItem
import cn.lvzhi.core.Reminder
import cn.lvzhi.core.ReminderKind
import cn.lvzhi.state.HomeState

/** Where the home page's rows and shortcuts lead; a null shortcut is not offered. */
class HomeActions(
    val openReminder: (Reminder) -> Unit,
    val openNotice: (String) -> Unit,
    val allNotices: () -> Unit,
    val openMeeting: (String) -> Unit,
    val openNews: (String) -> Unit,
    val outbox: () -> Unit,
    val newProposal: () -> Unit,
    val newReport: () -> Unit,
    val scan: () -> Unit,
)

/**
 * 首页: what needs the member now — shortcuts to 写提案 / 社情民意 / 扫码签到, work not yet sent,
 * 待办 with due times, unread notices, the coming week's meetings and the newest news. The
 * core reads it in one go and sends it again after every change.
 */
@Composable
fun HomeScreen(app: LvzhiApp, go: HomeActions) {
    val state = remember { HomeState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val home by state.home.collectAsState()
    val h = home ?: return
    Column(Modifier.verticalScroll(rememberScrollState()).padding(horizontal = Space.l, vertical = Space.s)) {
        if (h.isMember) {
            Row(horizontalArrangement = Arrangement.spacedBy(Space.s), modifier = Modifier.fillMaxWidth()) {
                Shortcut(Icons.Outlined.EditNote, S.WRITE_PROPOSAL, Modifier.weight(1f), go.newProposal)
                Shortcut(Icons.Outlined.RateReview, S.WRITE_REPORT, Modifier.weight(1f), go.newReport)
                Shortcut(Icons.Outlined.QrCodeScanner, S.SCAN_CHECK_IN, Modifier.weight(1f), go.scan)
            }
        }
        if (h.unsent > 0u) {
            val text = S.unsentWork(h.unsent.toInt())
            Row(
                Modifier.fillMaxWidth().padding(top = Space.m).heightIn(min = Space.touch).clickable(onClick = go.outbox)
                    .semantics(mergeDescendants = true) { contentDescription = text },
                verticalAlignment = Alignment.CenterVertically,
            ) {
                Icon(Icons.Outlined.CloudUpload, contentDescription = null, tint = MaterialTheme.colorScheme.primary)
                Text(text, color = MaterialTheme.colorScheme.primary, modifier = Modifier.padding(start = Space.s))
            }
        }

        SectionTitle("${S.DUE_LIST}${if (h.todo.isEmpty()) "" else "（${h.todo.size}）"}")
        if (h.todo.isEmpty()) EmptyState(Icons.Outlined.TaskAlt, S.NOTHING_DUE_HOME)
        for (r in h.todo) TodoRow(r) { go.openReminder(r) }

        SectionTitle("${S.UNREAD_NOTICES}${if (h.unreadCount == 0u) "" else "（${h.unreadCount}）"}")
        if (h.unreadNotices.isEmpty()) EmptyState(Icons.Outlined.MarkEmailRead, S.NO_UNREAD, S.ALL_NOTICES, go.allNotices)
        for (n in h.unreadNotices) HomeNoticeRow(n) { go.openNotice(n.id) }
        if (h.unreadNotices.isNotEmpty()) {
            TextButton(onClick = go.allNotices, modifier = Modifier.heightIn(min = Space.touch).semantics { contentDescription = S.ALL_NOTICES }) { Text(S.ALL_NOTICES) }
        }

        SectionTitle(S.WEEK_MEETINGS)
        if (h.meetings.isEmpty()) EmptyState(Icons.Outlined.Event, S.NO_WEEK_MEETINGS)
        for (m in h.meetings) HomeMeetingRow(m) { go.openMeeting(m.id) }

        if (h.news.isNotEmpty()) {
            SectionTitle(S.LATEST_NEWS)
            for (n in h.news) HomeRow(Icons.Outlined.Newspaper, n.title, S.date(n.publishedAtMs), "要闻：${n.title}") { go.openNews(n.id) }
        }
    }
}

@Composable
private fun Shortcut(icon: ImageVector, label: String, modifier: Modifier, onClick: () -> Unit) {
    Card(
        onClick = onClick,
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.primaryContainer),
        modifier = modifier.heightIn(min = 72.dp).semantics(mergeDescendants = true) { contentDescription = label },
    ) {
        Column(Modifier.fillMaxWidth().padding(Space.m), horizontalAlignment = Alignment.CenterHorizontally) {
            Icon(icon, contentDescription = null, tint = MaterialTheme.colorScheme.primary, modifier = Modifier.size(28.dp))
            Text(label, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.onPrimaryContainer, textAlign = TextAlign.Center, modifier = Modifier.padding(top = Space.xs))
        }
    }
}

private fun iconOf(kind: ReminderKind): ImageVector = when (kind) {
    ReminderKind.NOTICE_REPLY -> Icons.Outlined.Notifications
    ReminderKind.MEETING -> Icons.Outlined.Event
    ReminderKind.CO_SIGN -> Icons.Outlined.EditNote
    ReminderKind.EVALUATION -> Icons.Outlined.HowToVote
}

@Composable
private fun TodoRow(r: Reminder, onClick: () -> Unit) {
    val due = r.dueAtMs?.let { "，${S.dueBy(it)}" } ?: ""
    val at = r.dueAtMs?.let { "　${S.dueBy(it)}" } ?: ""
    HomeRow(iconOf(r.kind), r.title, r.action + at, "待办：${r.action}，${r.title}$due", MaterialTheme.colorScheme.primary, onClick)
    HorizontalDivider()
}

@Composable
private fun HomeNoticeRow(n: NoticeItem, onClick: () -> Unit) =
    HomeRow(Icons.Outlined.Campaign, n.title, "${n.orgName}　${S.date(n.publishedAtMs)}", "未读通知：${n.title}", onClick = onClick)

@Composable
private fun HomeMeetingRow(m: MeetingItem, onClick: () -> Unit) {
    val status = m.myReplyLabel?.let { "　$it" } ?: ""
    HomeRow(Icons.Outlined.Event, m.title, "${S.time(m.startsAtMs)}　${m.place}$status", "近期会议：${m.title}，${S.time(m.startsAtMs)}$status", onClick = onClick)
}

/** One row of the home page: an icon, a title, a line under it; read out as [said]. */
@Composable
private fun HomeRow(
    icon: ImageVector,
    title: String,
    line: String,
    said: String,
    lineColor: Color = MaterialTheme.colorScheme.onSurfaceVariant,
    onClick: () -> Unit,
) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = Space.touch).clickable(onClick = onClick).padding(vertical = Space.s)
            .semantics(mergeDescendants = true) { contentDescription = said },
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Icon(icon, contentDescription = null, tint = MaterialTheme.colorScheme.primary)
        Column(Modifier.padding(start = Space.m)) {
            Text(title, style = MaterialTheme.typography.titleSmall)
            Text(line, style = MaterialTheme.typography.bodySmall, color = lineColor)
        }
    }
}
