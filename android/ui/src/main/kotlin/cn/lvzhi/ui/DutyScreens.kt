package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.selection.SelectionContainer
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Campaign
import androidx.compose.material.icons.outlined.Event
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.Audience
import cn.lvzhi.core.EntryStatus
import cn.lvzhi.core.Role
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.NoticeContent
import cn.lvzhi.core.NoticeKind
import cn.lvzhi.core.MeetingItem
import cn.lvzhi.core.NoticeItem
import cn.lvzhi.core.Reminder
import cn.lvzhi.core.ReplyOption
import cn.lvzhi.state.DutyRecordState
import cn.lvzhi.state.MeetingDetailState
import cn.lvzhi.state.MeetingListState
import cn.lvzhi.state.NoticeDetailState
import cn.lvzhi.state.NoticeListState
import cn.lvzhi.state.FeedbackState
import cn.lvzhi.state.ReminderListState
import cn.lvzhi.state.SelfReportState
import cn.lvzhi.state.userMessage
import kotlinx.coroutines.launch

// 通知公告, 会议活动, 待办 and 履职档案. Screens render the state holders and forward taps; the
// core decides (and refuses, in Chinese).

/** 待办 on top (what is due), then every notice, newest first; staff also publish here. */
@Composable
fun NoticesScreen(app: LvzhiApp, onOpenNotice: (String) -> Unit, onPublish: (() -> Unit)? = null) {
    val notices = remember { NoticeListState(app) }
    DisposableEffect(Unit) { onDispose { notices.close() } }
    val list by notices.notices.collectAsState()
    Column(Modifier.verticalScroll(rememberScrollState())) {
        if (onPublish != null) {
            Button(onClick = onPublish, modifier = Modifier.padding(12.dp).semantics { contentDescription = S.PUBLISH }) { Text(S.PUBLISH) }
        }
        if (list.isEmpty()) EmptyState(Icons.Outlined.Campaign, S.NO_NOTICES_HINT)
        for (n in list) NoticeRow(n) { onOpenNotice(n.id) }
    }
}

@Composable
private fun NoticeRow(n: NoticeItem, onClick: () -> Unit) {
    val marks = listOfNotNull(
        n.kindLabel,
        if (!n.read && n.addressedToMe) S.UNREAD else null,
        if (n.corrected) S.CORRECTED else null,
        if (n.withdrawn) S.WITHDRAWN else null,
        n.answerLabel?.let { "已回执：$it" },
    )
    Column(
        Modifier.fillMaxWidth().clickable(onClick = onClick).padding(16.dp)
            .semantics(mergeDescendants = true) { contentDescription = "通知：${n.title}，${marks.joinToString("，")}" },
    ) {
        Text(n.title, style = MaterialTheme.typography.titleMedium)
        Text("${n.orgName}　${S.date(n.publishedAtMs)}　${marks.joinToString("　")}", style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.secondary)
    }
    HorizontalDivider()
}

/** One notice: opening it marks it read; the 回执; for staff, the follow-up list by name. */
@Composable
fun NoticeDetailScreen(app: LvzhiApp, id: String, onBack: (() -> Unit)?) {
    val state = remember(id) { NoticeDetailState(app, id) }
    val detail by state.detail.collectAsState()
    val error by state.error.collectAsState()
    val d = detail ?: return ErrorText(error)
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        if (onBack != null) BackButton(onBack)
        Text(d.item.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { contentDescription = "通知标题：${d.item.title}" })
        val marks = listOfNotNull(d.item.kindLabel, d.item.orgName, S.date(d.item.publishedAtMs), if (d.item.corrected) S.CORRECTED else null)
        Text(marks.joinToString("　"), style = MaterialTheme.typography.labelLarge)
        d.withdrawnReason?.let { Text("${S.WITHDRAWN}：$it", color = MaterialTheme.colorScheme.error, modifier = Modifier.semantics { contentDescription = "已撤回：$it" }) }
        Text(d.body)
        AttachmentList(app, d.attachments)
        d.item.replyDeadlineMs?.let { Text("回执截止：${S.time(it)}", color = MaterialTheme.colorScheme.primary) }
        ErrorText(error)
        d.item.answerLabel?.let { Text("我的回执：$it${if (d.answerNote.isNotEmpty()) "（${d.answerNote}）" else ""}", modifier = Modifier.semantics { contentDescription = "我的回执：$it" }) }
        ItemActions(app, d.actions) { form, values -> state.take(form.action, values) }
        if (d.history.size > 1) {
            SectionTitle(S.HISTORY_NOTICE)
            for (e in d.history) Text("${S.time(e.atMs)}　${e.what}${if (e.note.isNotEmpty()) "：${e.note}" else ""}")
        }
        if (d.canManage) FollowUpSection(state)
    }
}

@Composable
private fun FollowUpSection(state: NoticeDetailState) {
    val f = remember(state.id) { state.followUp() } ?: return
    SectionTitle("回执情况")
    Text(
        "应收${f.recipients}人　已读${f.read}人　已回执${f.answered}人",
        modifier = Modifier.semantics { contentDescription = "回执情况：应收${f.recipients}人，已读${f.read}人，已回执${f.answered}人" },
    )
    for (l in f.lines) {
        val status = l.answer?.let { S.reply(it) } ?: if (l.read) "已读未回执" else "未读"
        Text("${l.name}　$status${if (l.note.isNotEmpty()) "（${l.note}）" else ""}", modifier = Modifier.semantics { contentDescription = "${l.name}：$status" })
    }
}

@Composable
fun MeetingListScreen(app: LvzhiApp, onOpen: (String) -> Unit) {
    val state = remember { MeetingListState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val meetings by state.meetings.collectAsState()
    Column(Modifier.verticalScroll(rememberScrollState())) {
        if (meetings.isEmpty()) EmptyState(Icons.Outlined.Event, S.NO_MEETINGS_HINT)
        for (m in meetings) MeetingRow(m) { onOpen(m.id) }
    }
}

@Composable
private fun MeetingRow(m: MeetingItem, onClick: () -> Unit) {
    val mine = listOfNotNull(m.myReplyLabel, if (m.checkedIn) "已签到" else null, if (m.cancelled) "已取消" else null)
    Column(
        Modifier.fillMaxWidth().clickable(onClick = onClick).padding(16.dp)
            .semantics(mergeDescendants = true) { contentDescription = "会议：${m.title}，${mine.joinToString("，")}" },
    ) {
        Text(m.title, style = MaterialTheme.typography.titleMedium)
        Text("${m.kindLabel}　${S.time(m.startsAtMs)}　${m.place}", style = MaterialTheme.typography.bodySmall)
        if (mine.isNotEmpty()) Text(mine.joinToString("　"), style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.primary)
    }
    HorizontalDivider()
}

/** One meeting: time, place, agenda, documents; 参加/请假 or 报名; 签到 by code; staff's list. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun MeetingDetailScreen(app: LvzhiApp, id: String, onBack: (() -> Unit)?) {
    val state = remember(id) { MeetingDetailState(app, id) }
    val detail by state.detail.collectAsState()
    val error by state.error.collectAsState()
    val d = detail ?: return ErrorText(error)
    val m = d.meeting
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        if (onBack != null) BackButton(onBack)
        Text(m.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { contentDescription = "会议名称：${m.title}" })
        Text("${d.item.kindLabel}　${S.time(m.startsAtMs)}—${S.time(m.endsAtMs)}", style = MaterialTheme.typography.labelLarge)
        Text("地点：${m.place}　主办：${m.organiser}")
        m.cancelReason?.let { Text("会议已取消：$it", color = MaterialTheme.colorScheme.error, modifier = Modifier.semantics { contentDescription = "会议已取消：$it" }) }
        d.item.capacity?.let { Text("名额${it}人　已报名${d.item.taken}人　候补${d.item.waiting}人") }
        d.item.myReplyLabel?.let { Text("我的状态：$it${if (d.item.checkedIn) "　已签到" else ""}", color = MaterialTheme.colorScheme.primary, modifier = Modifier.semantics { contentDescription = "我的状态：$it${if (d.item.checkedIn) "，已签到" else ""}" }) }
        ErrorText(error)
        // 参加/请假, 报名, 签到, and for staff the roster's leaves, check-ins and absences:
        // whichever the core offers this user now, each as its form.
        ItemActions(app, d.actions) { form, values -> state.take(form.action, values) }
        m.remote?.let { RemoteConsultationSection(d, it) }
        if (m.agenda.isNotEmpty()) {
            SectionTitle("议程")
            Text(m.agenda)
        }
        if (m.documents.isNotEmpty()) {
            SectionTitle("会议材料")
            for (doc in m.documents) {
                Text("${doc.title}（第${doc.version}版）", style = MaterialTheme.typography.titleSmall, modifier = Modifier.semantics { contentDescription = "会议材料：${doc.title}" })
                Text(doc.body)
                AttachmentList(app, doc.attachments)
            }
        }
        if (d.canManage && !d.item.cancelled) {
            val code by state.code.collectAsState()
            val scope = rememberCoroutineScope()
            SectionTitle("签到码")
            if (code == null) {
                ActionButton("取得签到码") { scope.launch { state.fetchCode() } }
            } else {
                Text("请委员扫描此二维码签到（会前1小时至会议结束有效，无需网络）：", style = MaterialTheme.typography.bodySmall)
                QrImage(code ?: "", "签到二维码")
                Text("无法扫码时可复制签到码：", style = MaterialTheme.typography.bodySmall)
                SelectionContainer {
                    Text(code ?: "", style = MaterialTheme.typography.bodySmall, modifier = Modifier.semantics { contentDescription = "签到码已生成" })
                }
            }
        }
        if (d.canManage && d.roster.isNotEmpty()) {
            SectionTitle("参会名单")
            for (l in d.roster) {
                val status = listOfNotNull(l.replyLabel, l.leaveLabel?.let { "请假$it" }, if (l.checkedIn) "已签到" else null, l.absenceLabel).joinToString("　")
                Text("${l.name}　$status", modifier = Modifier.semantics { contentDescription = "${l.name}：$status" })
                if (l.reason.isNotEmpty()) Text("理由：${l.reason}", style = MaterialTheme.typography.bodySmall)
            }
        }
    }
}

/** 履职档案: this year's facts, each with the rule that counts it; no rank, no comparison. */
@Composable
fun DutyRecordScreen(app: LvzhiApp, year: Int, onBack: (() -> Unit)?, onYear: ((Int) -> Unit)? = null) {
    val state = remember(year) { DutyRecordState(app, year) }
    val record by state.record.collectAsState()
    val error by state.error.collectAsState()
    val share = LocalShare.current
    val thisYear = remember { java.time.Year.now(java.time.ZoneId.of("Asia/Shanghai")).value }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        if (onBack != null) BackButton(onBack)
        Text("${year}年度履职档案", style = MaterialTheme.typography.titleLarge)
        if (onYear != null) {
            Row(horizontalArrangement = Arrangement.spacedBy(Space.s)) {
                ActionButton(S.PREVIOUS_YEAR, description = "查看${year - 1}年度") { onYear(year - 1) }
                if (year < thisYear) ActionButton(S.NEXT_YEAR, description = "查看${year + 1}年度") { onYear(year + 1) }
            }
        }
        if (share != null) {
            ActionButton(S.SHARE_REPORT) { state.annualReport()?.let { share("${year}年度履职报告", it) } }
        }
        ErrorText(error)
        val r = record ?: return@Column
        Text(
            "履职积分 ${r.total} 分（${S.ruleVersion(r.ruleVersion.toInt())}）",
            style = MaterialTheme.typography.titleMedium,
            modifier = Modifier.semantics { contentDescription = "本年度履职积分${r.total}分" },
        )
        SectionTitle("分类汇总")
        for (k in r.byKind) {
            // An expectation (「联系界别群众 5 人」) is shown beside the count, as a fact, not a score.
            val line = k.expected?.let { "${k.label}　${k.count} / 年度要求 $it" } ?: "${k.label}　${k.count}次　${k.points}分"
            val said = k.expected?.let { "${k.label}${k.count}，年度要求$it" } ?: "${k.label}${k.count}次，${k.points}分"
            Text(line, modifier = Modifier.semantics { contentDescription = said })
        }
        SectionTitle("履职明细")
        if (r.lines.isEmpty()) Text("本年度暂无履职记录")
        for (l in r.lines) {
            Text(l.fact.title, style = MaterialTheme.typography.titleSmall)
            Text("${S.date(l.fact.atMs)}　${l.label}　${l.points}分", style = MaterialTheme.typography.bodySmall)
        }
    }
}

/** 自主履职: the member reports a duty (title, what was done, the day); staff accept or return. */
@Composable
fun SelfReportScreen(app: LvzhiApp, onBack: () -> Unit) {
    val state = remember { SelfReportState(app) }
    val entries by state.entries.collectAsState()
    val error by state.error.collectAsState()
    val isStaff = remember { app.me()?.roles?.any { it.role == Role.PROPOSAL_STAFF || it.role == Role.ORG_ADMIN } == true }
    var title by remember { mutableStateOf("") }
    var text by remember { mutableStateOf("") }
    var day by remember { mutableStateOf(S.date(System.currentTimeMillis())) }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        BackButton(onBack)
        Text(S.SELF_REPORTS, style = MaterialTheme.typography.titleLarge)
        ErrorText(error)
        if (!isStaff) {
            OutlinedTextField(title, { title = it }, label = { Text("事项") }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = "履职事项" })
            OutlinedTextField(text, { text = it }, label = { Text("履职内容") }, minLines = 3, modifier = Modifier.fillMaxWidth().semantics { contentDescription = "履职内容" })
            OutlinedTextField(day, { day = it }, label = { Text("日期（年-月-日）") }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = "履职日期" })
            Button(
                onClick = { if (state.submit(title, text, S.parseDate(day) ?: -1L)) { title = ""; text = "" } },
                modifier = Modifier.semantics { contentDescription = "提交自主履职" },
            ) { Text("提交") }
        }
        for (line in entries) {
            val e = line.entry
            Text("${S.date(e.dateMs)}　${e.title}　${S.entryStatus(e.status)}", style = MaterialTheme.typography.titleSmall, modifier = Modifier.semantics { contentDescription = "自主履职：${e.title}，${S.entryStatus(e.status)}" })
            if (e.description.isNotEmpty()) Text(e.description, style = MaterialTheme.typography.bodySmall)
            if (e.reason.isNotEmpty()) Text("退回理由：${e.reason}", color = MaterialTheme.colorScheme.error)
            ItemActions(app, line.actions, about = e.title) { form, values -> state.take(e.id, form.action, values) }
        }
    }
}

/** 意见建议: write to the administrators; read their answers. Administrators answer here. */
@Composable
fun FeedbackScreen(app: LvzhiApp, onBack: () -> Unit) {
    val state = remember { FeedbackState(app) }
    val items by state.items.collectAsState()
    val error by state.error.collectAsState()
    var text by remember { mutableStateOf("") }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        BackButton(onBack)
        Text(S.FEEDBACK, style = MaterialTheme.typography.titleLarge)
        Text("对应用或工作的意见建议，将送达本组织管理员并得到答复。", style = MaterialTheme.typography.bodySmall)
        ErrorText(error)
        OutlinedTextField(text, { text = it }, label = { Text("意见建议") }, minLines = 3, modifier = Modifier.fillMaxWidth().semantics { contentDescription = "意见建议内容" })
        Button(onClick = { if (state.send(text)) text = "" }, modifier = Modifier.semantics { contentDescription = "提交意见建议" }) { Text("提交") }
        for (line in items) {
            val f = line.feedback
            Text(f.text, style = MaterialTheme.typography.titleSmall)
            val reply = f.answer ?: "待答复"
            Text("答复：$reply", color = MaterialTheme.colorScheme.primary, modifier = Modifier.semantics { contentDescription = "答复：$reply" })
            // 答复, for the organisation's administrators while unanswered: the core's form.
            ItemActions(app, line.actions, about = "：${f.text}") { form, values -> state.take(f.id, form.action, values) }
            HorizontalDivider()
        }
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun FlowRowOf(content: @Composable () -> Unit) = FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) { content() }

/** Staff publish a notice: title, text, kind, audience, and an optional 回执 with a deadline. */
@Composable
fun PublishNoticeScreen(app: LvzhiApp, onDone: (String?) -> Unit) {
    var title by remember { mutableStateOf("") }
    var body by remember { mutableStateOf("") }
    var kind by remember { mutableStateOf(NoticeKind.WORK) }
    var audience by remember { mutableStateOf<Audience>(Audience.Members(false)) }
    var days by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        BackButton { onDone(null) }
        OutlinedTextField(title, { title = it; error = null }, label = { Text(S.TITLE) }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = "通知标题" })
        OutlinedTextField(body, { body = it }, label = { Text("正文") }, minLines = 4, modifier = Modifier.fillMaxWidth().semantics { contentDescription = "通知正文" })
        Text("类别", style = MaterialTheme.typography.labelLarge)
        Choice(listOf(NoticeKind.MEETING to "会议通知", NoticeKind.WORK to "工作通知", NoticeKind.STUDY to "学习通知", NoticeKind.ANNOUNCEMENT to "公告"), kind) { kind = it }
        Text("接收范围", style = MaterialTheme.typography.labelLarge)
        Choice(
            listOf<Pair<Audience, String>>(
                Audience.Members(false) to "本组织委员",
                Audience.Members(true) to "本组织及下级组织委员",
                Audience.Organisation(false) to "本组织全体",
            ),
            audience,
        ) { audience = it }
        OutlinedTextField(days, { days = it.filter(Char::isDigit) }, label = { Text("回执期限（天，不填则不需回执）") }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = "回执期限" })
        ErrorText(error)
        Button(
            onClick = {
                val deadline = days.toLongOrNull()?.let { System.currentTimeMillis() + it * 86_400_000L }
                try {
                    onDone(app.publishNotice(null, NoticeContent(title, body, kind, audience, deadline != null, deadline)))
                } catch (e: Exception) {
                    error = e.userMessage()
                }
            },
            modifier = Modifier.semantics { contentDescription = "发布" },
        ) { Text("发布") }
    }
}
