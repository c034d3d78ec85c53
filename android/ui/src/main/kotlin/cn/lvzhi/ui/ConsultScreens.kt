package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.RateReview
import androidx.compose.material.icons.outlined.Forum
import androidx.compose.material.icons.outlined.Groups
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.Audience
import cn.lvzhi.core.ConsensusStatus
import cn.lvzhi.core.Level
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.ReportItem
import cn.lvzhi.core.ReportState
import cn.lvzhi.core.Role
import cn.lvzhi.core.TopicDraft
import cn.lvzhi.state.ConsultationState
import cn.lvzhi.state.ReportDetailState
import cn.lvzhi.state.ReportEditorState
import cn.lvzhi.state.ReportListState
import cn.lvzhi.state.ReportStatsState
import cn.lvzhi.state.TopicDetailState
import cn.lvzhi.state.TopicListState
import cn.lvzhi.state.userMessage
import kotlinx.coroutines.launch

// 社情民意, 网络议政, remote-consultation speeches and 协商在基层. Screens render the state holders
// and forward taps; the core decides (and refuses, in Chinese).

private fun LvzhiApp.isStaff() = me()?.roles?.any { it.role == Role.PROPOSAL_STAFF || it.role == Role.ORG_ADMIN } == true
private fun LvzhiApp.isMember() = me()?.roles?.any { it.role == Role.MEMBER } == true

/** A field with its label read out. */
@Composable
private fun Field(label: String, value: String, minLines: Int = 1, onChange: (String) -> Unit) {
    OutlinedTextField(
        value, onChange, label = { Text(label) }, minLines = minLines,
        modifier = Modifier.fillMaxWidth().semantics { contentDescription = label },
    )
}

/** A checkbox with its label; the whole row toggles and is read out as one. */
@Composable
private fun CheckRow(label: String, description: String, checked: Boolean, onChange: (Boolean) -> Unit) {
    androidx.compose.foundation.layout.Row(
        Modifier.toggleable(checked, onValueChange = onChange).semantics(mergeDescendants = true) { contentDescription = description },
    ) {
        Checkbox(checked, onCheckedChange = null, modifier = Modifier.padding(12.dp))
        Text(label, modifier = Modifier.padding(top = 12.dp))
    }
}

// --- 社情民意 -----------------------------------------------------------------------------

/** The reports on this device; members write new ones, staff also see the statistics. */
@Composable
fun ReportListScreen(app: LvzhiApp, onOpen: (String) -> Unit, onNew: () -> Unit) {
    val state = remember { ReportListState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val reports by state.reports.collectAsState()
    val staff = remember { app.isStaff() }
    var stats by remember { mutableStateOf(false) }
    // Staff work by state: 全部, or one state at a time.
    var filter by remember { mutableStateOf<ReportState?>(null) }
    val shown = reports.filter { filter == null || it.state == filter }
    Column(Modifier.verticalScroll(rememberScrollState())) {
        FlowRow(Modifier.padding(horizontal = 12.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            if (remember { app.isMember() }) ActionButton(S.NEW_REPORT, onClick = onNew)
            if (staff) ActionButton(S.REPORT_STATS) { stats = !stats }
        }
        if (staff) {
            androidx.compose.foundation.layout.Box(Modifier.padding(horizontal = 12.dp)) {
                val present = reports.map { it.state to it.stateLabel }.distinct()
                Choice(listOf<Pair<ReportState?, String>>(null to "全部") + present, filter) { filter = it }
            }
        }
        if (stats) ReportStatsPanel(app)
        if (shown.isEmpty()) EmptyState(Icons.Outlined.RateReview, S.NO_REPORTS)
        for (r in shown) ReportRow(r) { onOpen(r.id) }
    }
}

@Composable
private fun ReportRow(r: ReportItem, onClick: () -> Unit) {
    val marks = listOfNotNull(r.stateLabel, if (r.adoptedAbove) "上级采用" else null, if (r.fromProposal != null) "由提案转来" else null)
    Column(
        Modifier.fillMaxWidth().clickable(onClick = onClick).padding(16.dp)
            .semantics(mergeDescendants = true) { contentDescription = "社情民意：${r.title}，${marks.joinToString("，")}" },
    ) {
        Text(r.title, style = MaterialTheme.typography.titleMedium)
        Text("${r.authors}　${r.orgName}　${r.chars}字", style = MaterialTheme.typography.bodySmall)
        Text(marks.joinToString("　"), style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.primary)
    }
    HorizontalDivider()
}

/** Statistics of the staff's organisation and those under it, by month (network). */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun ReportStatsPanel(app: LvzhiApp) {
    val state = remember { ReportStatsState(app) }
    val rows by state.rows.collectAsState()
    val error by state.error.collectAsState()
    val scope = rememberCoroutineScope()
    androidx.compose.runtime.LaunchedEffect(Unit) { state.load() }
    Column(Modifier.padding(horizontal = 16.dp)) {
        ErrorText(error)
        for (r in rows) {
            // One block per organisation and month: its name, then each figure under its label.
            val figures = listOfNotNull(
                "报送" to r.submitted, "受理" to r.accepted, "编发" to r.edited, "报送上级" to r.sentUp, "批示" to r.instructed,
                ("被上级采用" to r.adoptedAbove).takeIf { r.adoptedAbove > 0u },
                ("采用下级" to r.adoptedFromBelow).takeIf { r.adoptedFromBelow > 0u },
            )
            val said = "${r.orgName} ${r.month}：" + figures.joinToString("，") { (label, n) -> "$label$n" }
            Column(Modifier.fillMaxWidth().padding(vertical = Space.s).semantics(mergeDescendants = true) { contentDescription = "统计：$said" }) {
                Text("${r.orgName}　${r.month}", style = MaterialTheme.typography.titleSmall)
                FlowRow(horizontalArrangement = Arrangement.spacedBy(Space.l)) {
                    for ((label, n) in figures) {
                        Column {
                            Text("$n", style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.primary)
                            Text(label, style = MaterialTheme.typography.labelSmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
                        }
                    }
                }
            }
            HorizontalDivider()
        }
        if (rows.isEmpty() && error == null) ActionButton("刷新统计") { scope.launch { state.load() } }
    }
}

/** Writing or reworking a report, offline: four parts with a live count and the usual limit. */
@Composable
fun ReportEditorScreen(app: LvzhiApp, id: String?, onDone: (String?) -> Unit) {
    val state = remember(id) { ReportEditorState(app, id) }
    val title by state.title.collectAsState()
    val situation by state.situation.collectAsState()
    val analysis by state.analysis.collectAsState()
    val suggestion by state.suggestion.collectAsState()
    val error by state.error.collectAsState()
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        BackButton { onDone(state.id) }
        Field(S.TITLE, title) { state.title.value = it }
        Field(S.SITUATION, situation, 4) { state.situation.value = it }
        Field(S.ANALYSIS, analysis, 3) { state.analysis.value = it }
        Field(S.SUGGESTION, suggestion, 3) { state.suggestion.value = it }
        if (id == null) ReportAuthorsSection(app, state)
        val count = "正文${situation.length + analysis.length + suggestion.length}字（一事一报，一般不超过${ReportEditorState.USUAL_CHARS}字）"
        Text(count, style = MaterialTheme.typography.bodySmall, modifier = Modifier.semantics { contentDescription = count })
        state.lengthWarning()?.let { Text(it, color = MaterialTheme.colorScheme.error, modifier = Modifier.semantics { contentDescription = "提示：$it" }) }
        ErrorText(error)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            ActionButton(S.SAVE_DRAFT) { state.save() }
            Button(onClick = { if (state.submit()) onDone(state.id) }, modifier = Modifier.semantics { contentDescription = S.SUBMIT_REPORT }) { Text(S.SUBMIT_REPORT) }
        }
    }
}

/** One report: the authors' text, each edition with what it changed, the history, staff steps. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun ReportDetailScreen(app: LvzhiApp, id: String, onBack: () -> Unit, onEdit: () -> Unit) {
    val state = remember(id) { ReportDetailState(app, id) }
    val detail by state.detail.collectAsState()
    val error by state.error.collectAsState()
    var text by remember(id) { mutableStateOf("") }
    val d = detail ?: return ErrorText(error)
    val r = d.report
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        BackButton(onBack)
        Text(r.content.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { contentDescription = "社情民意标题：${r.content.title}" })
        Text("${d.item.stateLabel}　${d.item.authors}　${d.item.orgName}", color = MaterialTheme.colorScheme.primary, modifier = Modifier.semantics { contentDescription = "状态：${d.item.stateLabel}" })
        d.lengthWarning?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        r.reason?.let { Text("理由：$it", color = MaterialTheme.colorScheme.error, modifier = Modifier.semantics { contentDescription = "理由：$it" }) }
        SectionTitle(S.SITUATION); Text(r.content.situation)
        if (r.content.analysis.isNotEmpty()) { SectionTitle(S.ANALYSIS); Text(r.content.analysis) }
        SectionTitle(S.SUGGESTION); Text(r.content.suggestion)
        AttachmentList(app, r.content.attachments)
        if (d.canEdit) ActionButton(S.EDIT, onClick = onEdit)
        for (e in d.editions) {
            SectionTitle("${e.orgName}编发（${e.issue}）")
            if (e.changes.isEmpty()) Text("未改动原文")
            for (c in e.changes) {
                Text("${c.field}：", style = MaterialTheme.typography.labelLarge)
                Text("原文：${c.original}", style = MaterialTheme.typography.bodySmall)
                Text("编发稿：${c.edited}", style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.primary,
                    modifier = Modifier.semantics { contentDescription = "编发改动：${c.field}" })
            }
        }
        for (i in r.instructions) {
            Text("批示（${S.level(i.level)}）${i.leader}：${i.text}", modifier = Modifier.semantics { contentDescription = "批示：${i.leader}" })
        }
        r.feedback?.let { Text("反馈：$it", modifier = Modifier.semantics { contentDescription = "反馈：$it" }) }
        SectionTitle(if (d.historyIntact) S.HISTORY else "${S.HISTORY}（校验失败）")
        for (h in d.history) {
            val line = "${S.time(h.atMs)}　${h.actorName}　${h.actionLabel}${if (h.note.isNotEmpty()) "：${h.note}" else ""}"
            Text(line, style = MaterialTheme.typography.bodySmall, modifier = Modifier.semantics { contentDescription = "记录：${h.actionLabel}" })
        }
        ErrorText(error)
        // 提交, 受理, 退回, 不予采用, 报送上级, 记录批示, 反馈: whichever the core offers now, each as its form.
        if (d.actions.isNotEmpty()) SectionTitle(S.ACTIONS)
        ItemActions(app, d.actions) { form, values -> state.take(form.action, values) }
        if ("edit" in d.staffSteps) {
            // 编发 (or, above, 采用) is an editor of the text, not a form: the issue here, the text as written.
            Field("期号", text) { text = it }
            ActionButton(if (r.orgId in (app.me()?.roles?.map { it.orgId } ?: emptyList())) "编发" else "采用") {
                if (state.edit(text, r.content)) text = ""
            }
        }
    }
}

/** A new report's authors: co-authors (联名) and, optionally, one of the member's 界别 or 专委会
 *  in whose name it is written. */
@Composable
private fun ReportAuthorsSection(app: LvzhiApp, state: ReportEditorState) {
    val coAuthors by state.coAuthors.collectAsState()
    val group by state.authorGroup.collectAsState()
    val people = remember { runCatching { app.people() }.getOrDefault(emptyList()) }
    val me = remember { app.me()?.personId }
    val mine = remember { people.firstOrNull { it.id == me }?.groups.orEmpty() }
    var adding by remember { mutableStateOf(false) }
    SectionTitle("联名与署名")
    val names = coAuthors.map { id -> people.firstOrNull { it.id == id }?.name ?: id }
    Text(if (names.isEmpty()) "个人撰写" else "联名：${names.joinToString("、")}", modifier = Modifier.semantics { contentDescription = "联名：${names.joinToString("、").ifEmpty { "无" }}" })
    ActionButton("添加联名委员") { adding = !adding }
    if (adding) PeoplePicker(app, setOfNotNull(me) + coAuthors, null) { state.coAuthors.value = coAuthors + it; adding = false }
    if (mine.isNotEmpty()) {
        Text("署名", style = MaterialTheme.typography.labelLarge)
        Choice(listOf<Pair<String?, String>>(null to "以个人名义") + mine.map { it to "以${it}名义" }, group) { state.authorGroup.value = it }
    }
}

// --- 网络议政 -----------------------------------------------------------------------------

@Composable
fun TopicListScreen(app: LvzhiApp, onOpen: (String) -> Unit) {
    val state = remember { TopicListState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val topics by state.topics.collectAsState()
    var opening by remember { mutableStateOf(false) }
    Column(Modifier.verticalScroll(rememberScrollState())) {
        if (remember { app.isStaff() }) {
            ActionButton(S.OPEN_TOPIC, Modifier.padding(horizontal = 12.dp)) { opening = !opening }
            if (opening) OpenTopicForm(app) { opening = false; onOpen(it) }
        }
        if (topics.isEmpty()) EmptyState(Icons.Outlined.Forum, S.NO_TOPICS)
        for (t in topics) {
            Column(
                Modifier.fillMaxWidth().clickable { onOpen(t.id) }.padding(16.dp)
                    .semantics(mergeDescendants = true) { contentDescription = "议题：${t.title}，${t.statusLabel}" },
            ) {
                Text(t.title, style = MaterialTheme.typography.titleMedium)
                Text("${t.statusLabel}　截止${S.time(t.closesAtMs)}　意见${t.posts}条（我${t.myPosts}条）", style = MaterialTheme.typography.bodySmall)
            }
            HorizontalDivider()
        }
    }
}

@Composable
private fun OpenTopicForm(app: LvzhiApp, onOpened: (String) -> Unit) {
    var title by remember { mutableStateOf("") }
    var background by remember { mutableStateOf("") }
    var days by remember { mutableStateOf("7") }
    var error by remember { mutableStateOf<String?>(null) }
    Column(Modifier.padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        Field("议题", title) { title = it }
        Field("背景材料", background, 3) { background = it }
        Field("征集天数", days) { days = it }
        ErrorText(error)
        ActionButton("发布") {
            val now = System.currentTimeMillis()
            val d = days.trim().toLongOrNull() ?: 0L
            runCatching { app.openTopic(null, TopicDraft(title, background, Audience.Members(false), now, now + d * 86_400_000L)) }
                .onSuccess(onOpened)
                .onFailure { error = it.userMessage() }
        }
    }
}

/** One topic: background, posts with replies and 附议, one's own posts used by the summary. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun TopicDetailScreen(app: LvzhiApp, id: String, onBack: () -> Unit) {
    val state = remember(id) { TopicDetailState(app, id) }
    val detail by state.detail.collectAsState()
    val error by state.error.collectAsState()
    var text by remember(id) { mutableStateOf("") }
    var replyTo by remember(id) { mutableStateOf<String?>(null) }
    var editing by remember(id) { mutableStateOf<String?>(null) }
    val me = remember { app.me()?.personId }
    val d = detail ?: return ErrorText(error)
    val t = d.topic
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        BackButton(onBack)
        Text(t.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { contentDescription = "议题：${t.title}" })
        Text("${d.item.statusLabel}　${S.time(t.opensAtMs)}至${S.time(t.closesAtMs)}", color = MaterialTheme.colorScheme.primary)
        Text(t.background)
        t.summary?.let {
            SectionTitle("综述")
            Text(it.text, modifier = Modifier.semantics { contentDescription = "综述：${it.text}" })
        }
        SectionTitle("委员意见")
        for (p in d.posts) {
            val body = p.hiddenReason?.let { "（该意见已被隐藏：$it）" } ?: p.text
            val marks = listOfNotNull(
                if (p.replyTo != null) "回复" else null,
                if (p.seconds > 0u) "附议${p.seconds}" else null,
                if (p.used) "综述采用" else null,
            ).joinToString("　")
            Column(Modifier.semantics(mergeDescendants = true) { contentDescription = "意见：${p.authorName}，$body${if (marks.isNotEmpty()) "，$marks" else ""}" }) {
                Text("${p.authorName}${if (p.replyTo != null) " 回复" else ""}：$body")
                if (marks.isNotEmpty()) Text(marks, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.primary)
            }
            // 附议 and 隐藏 as the core offers them on this post; replying is writing a post.
            ItemActions(app, p.actions, about = "${p.authorName}的意见") { form, values -> state.take(form.action, values, on = p.id) }
            if (d.canPost && p.hiddenReason == null) {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    ActionButton("回复", description = "回复${p.authorName}") { replyTo = p.id; editing = null }
                    if (p.authorId == me) ActionButton("修改", description = "修改我的意见：${p.text.take(10)}") { editing = p.id; replyTo = null; text = p.text }
                }
            }
            HorizontalDivider()
        }
        ErrorText(error)
        if (d.canPost) {
            val label = when { editing != null -> "修改意见"; replyTo != null -> "回复内容"; else -> "发表意见" }
            Field(label, text, 3) { text = it }
            ActionButton(if (editing != null) "保存修改" else "提交意见") {
                val done = editing?.let { state.edit(it, text) } ?: state.post(text, replyTo)
                if (done) { text = ""; replyTo = null; editing = null }
            }
        }
        if (d.actions.isNotEmpty()) {
            SectionTitle("工作人员")
            ItemActions(app, d.actions) { form, values -> state.take(form.action, values) }
        }
    }
}

// --- 远程协商 -----------------------------------------------------------------------------

/** A remote consultation inside the meeting screen: venues, the link, the speakers. Asking to
 *  speak, ordering and marking speakers are the meeting's actions, with the others. */
@Composable
fun RemoteConsultationSection(meeting: cn.lvzhi.core.MeetingDetail, remote: cn.lvzhi.core.RemoteInfo) {
    SectionTitle("远程协商")
    Text("议题：${remote.topic}")
    Text("主会场：${remote.mainVenue}")
    for (v in remote.branchVenues) Text("分会场：${v.place}")
    if (remote.videoLink.isNotEmpty()) Text("视频链接：${remote.videoLink}", style = MaterialTheme.typography.bodySmall)
    if (meeting.speakers.isNotEmpty()) SectionTitle("发言名单")
    for (s in meeting.speakers) {
        val line = "${s.order?.let { "$it. " } ?: ""}${s.name}${if (s.spoke) "（已发言）" else ""}"
        Text(line, modifier = Modifier.semantics { contentDescription = "发言：$line" })
        Text(s.text, style = MaterialTheme.typography.bodySmall)
    }
}

// --- 协商在基层 ---------------------------------------------------------------------------

/** Township consultations: the list with each point's follow-up, and recording a new one. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun GrassrootsScreen(app: LvzhiApp) {
    val state = remember { ConsultationState(app) }
    val items by state.items.collectAsState()
    val error by state.error.collectAsState()
    var recording by remember { mutableStateOf(false) }
    var township by remember { mutableStateOf("") }
    var topic by remember { mutableStateOf("") }
    var residents by remember { mutableStateOf("") }
    val points = remember { androidx.compose.runtime.mutableStateListOf("" to "") }
    var open by remember { mutableStateOf<String?>(null) }
    var note by remember { mutableStateOf("") }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        ActionButton(S.RECORD_CONSULTATION) { recording = !recording }
        if (recording) {
            Field("乡镇（街道）或社区", township) { township = it }
            Field("协商议题", topic) { topic = it }
            Field("参与群众人数", residents) { residents = it }
            // 协商共识, as many as were reached, each with the unit responsible.
            points.forEachIndexed { i, (point, unit) ->
                Field(if (i == 0) "协商共识" else "协商共识${i + 1}", point, 2) { points[i] = it to unit }
                Field(if (i == 0) "责任单位" else "责任单位${i + 1}", unit) { points[i] = point to it }
            }
            ActionButton("再添一条共识") { points.add("" to "") }
            ActionButton("保存记录") {
                val kept = points.filter { it.first.isNotBlank() }
                if (state.record(township, topic, residents.trim().toUIntOrNull() ?: 0u, kept) != null) {
                    recording = false; township = ""; topic = ""; residents = ""; points.clear(); points.add("" to "")
                }
            }
        }
        ErrorText(error)
        if (items.isEmpty()) EmptyState(Icons.Outlined.Groups, S.NO_CONSULTATIONS)
        for (c in items) {
            val line = "${c.township}：${c.topic}　群众${c.residents}人　共识${c.points}项（已落实${c.pointsDone}项）"
            Text(line, modifier = Modifier.fillMaxWidth().clickable { open = if (open == c.id) null else c.id }.padding(vertical = 8.dp)
                .semantics { contentDescription = "基层协商：$line" })
            if (open == c.id) {
                val full = remember(c) { runCatching { app.consultation(c.id) }.getOrNull() }
                Field("落实情况说明", note) { note = it }
                for (p in full?.points ?: emptyList()) {
                    Text("${p.id}. ${p.text}　${p.unit}　${S.consensus(p.status)}${if (p.note.isNotEmpty()) "（${p.note}）" else ""}",
                        modifier = Modifier.semantics { contentDescription = "共识${p.id}：${S.consensus(p.status)}" })
                    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        ActionButton("已落实", description = "共识${p.id}已落实") { if (state.followUp(c.id, p.id, ConsensusStatus.DONE, note)) note = "" }
                        ActionButton("未落实", description = "共识${p.id}未落实") { if (state.followUp(c.id, p.id, ConsensusStatus.NOT_DONE, note)) note = "" }
                    }
                }
            }
            HorizontalDivider()
        }
    }
}
