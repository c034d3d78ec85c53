package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.LocalLibrary
import androidx.compose.material.icons.outlined.Newspaper
import androidx.compose.material.icons.automirrored.outlined.MenuBook
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.GroupKind
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.Role
import cn.lvzhi.state.MaterialListState
import cn.lvzhi.state.MaterialState
import cn.lvzhi.state.NewsFeedState
import cn.lvzhi.state.ReadingState
import cn.lvzhi.state.StudyPublishState

/** The pages of the 学习 tab. */
enum class StudyPage(val label: String) {
    Materials(S.MATERIALS),
    Reading(S.READING),
    News(S.NEWS),
}

/** 学习: 学习资料 by series, reading groups, and the news of the member's organisation and above. */
@Composable
fun StudyTab(app: LvzhiApp, nav: Navigation) {
    Column {
        Row(Modifier.horizontalScroll(rememberScrollState()).padding(horizontal = 12.dp)) {
            for (page in StudyPage.entries) {
                FilterChip(
                    selected = nav.study == page,
                    onClick = { nav.study = page; nav.material = null; nav.reading = null; nav.news = null },
                    label = { Text(page.label) },
                    modifier = Modifier.padding(end = 6.dp).semantics { contentDescription = page.label },
                )
            }
        }
        val isStaff = remember { app.me()?.roles?.any { it.role == Role.PROPOSAL_STAFF || it.role == Role.ORG_ADMIN } == true }
        if (nav.studyPublishing) {
            StudyPublishScreen(app, news = nav.study == StudyPage.News) { id ->
                nav.studyPublishing = false
                if (nav.study == StudyPage.News) nav.news = id else nav.material = id
            }
            return@Column
        }
        if (isStaff && nav.study != StudyPage.Reading && nav.material == null && nav.news == null) {
            val label = if (nav.study == StudyPage.News) S.PUBLISH_NEWS else S.PUBLISH_MATERIAL
            ActionButton(label, Modifier.padding(horizontal = 16.dp)) { nav.studyPublishing = true }
        }
        when (nav.study) {
            StudyPage.Materials -> nav.material?.let { MaterialScreen(app, it) { nav.material = null } }
                ?: MaterialListScreen(app) { nav.material = it }
            StudyPage.Reading -> nav.reading?.let { ReadingScreen(app, it) { nav.reading = null } }
                ?: ReadingGroupsScreen(app) { nav.reading = it }
            StudyPage.News -> nav.news?.let { NewsScreen(app, it) { nav.news = null } }
                ?: NewsFeedScreen(app) { nav.news = it }
        }
    }
}

/** One entry of a list: a title, a line under it, read out as [description]; a tap opens it. */
@Composable
private fun EntryRow(title: String, subtitle: String?, description: String, accent: Boolean = false, onClick: () -> Unit) {
    Column(
        Modifier.fillMaxWidth().clickable(onClick = onClick).padding(vertical = 10.dp)
            .semantics(mergeDescendants = true) { contentDescription = description },
    ) {
        Text(title, style = MaterialTheme.typography.titleSmall)
        if (subtitle != null) {
            Text(
                subtitle,
                style = if (accent) MaterialTheme.typography.labelSmall else MaterialTheme.typography.bodySmall,
                color = if (accent) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.onSurfaceVariant,
                maxLines = 2,
            )
        }
    }
    HorizontalDivider()
}

/** Staff write a material (with its 专题) or a news item (with its summary) and publish it. */
@Composable
fun StudyPublishScreen(app: LvzhiApp, news: Boolean, onDone: (String?) -> Unit) {
    val state = remember { StudyPublishState(app) }
    val title by state.title.collectAsState()
    val body by state.body.collectAsState()
    val extra by state.extra.collectAsState()
    val error by state.error.collectAsState()
    val extraLabel = if (news) S.SUMMARY else S.SERIES
    Column(Modifier.padding(horizontal = 16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        BackButton { onDone(null) }
        SectionTitle(if (news) S.PUBLISH_NEWS else S.PUBLISH_MATERIAL)
        OutlinedTextField(title, { state.title.value = it }, label = { Text(S.TITLE) }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = S.TITLE })
        OutlinedTextField(extra, { state.extra.value = it }, label = { Text(extraLabel) }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = extraLabel })
        OutlinedTextField(body, { state.body.value = it }, label = { Text(S.TEXT_BODY) }, minLines = 4, modifier = Modifier.fillMaxWidth().semantics { contentDescription = S.TEXT_BODY })
        ErrorText(error)
        Button(
            onClick = { (if (news) state.publishNews() else state.publishMaterial())?.let(onDone) },
            modifier = Modifier.semantics { contentDescription = S.PUBLISH_NOW },
        ) { Text(S.PUBLISH_NOW) }
    }
}

@Composable
fun MaterialListScreen(app: LvzhiApp, onOpen: (String) -> Unit) {
    val state = remember { MaterialListState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val items by state.items.collectAsState()
    Column(Modifier.padding(horizontal = 16.dp).verticalScroll(rememberScrollState())) {
        if (items.isEmpty()) EmptyState(Icons.AutoMirrored.Outlined.MenuBook, S.NO_MATERIALS)
        for ((series, list) in remember(items) { state.bySeries() }) {
            SectionTitle(series)
            for (i in list) {
                val m = i.material
                val marks = listOfNotNull<String>(
                    if (i.studied) S.STUDIED else null,
                    if (i.notes > 0u) "笔记${i.notes}条" else null,
                    if (m.withdrawn != null) S.WITHDRAWN else null,
                ).joinToString("　")
                EntryRow(m.title, marks.ifEmpty { null }, "资料：${m.title}" + if (marks.isEmpty()) "" else "，$marks", accent = true) {
                    onOpen(m.id)
                }
            }
        }
    }
}

/** One material: its text, video link and files; 标记已学习; highlights and private notes. */
@Composable
fun MaterialScreen(app: LvzhiApp, id: String, onBack: () -> Unit) {
    val state = remember(id) { MaterialState(app, id) }
    val detail by state.detail.collectAsState()
    val error by state.error.collectAsState()
    var note by remember(id) { mutableStateOf("") }
    var quote by remember(id) { mutableStateOf("") }
    val d = detail ?: return Column { BackButton(onBack); Text(S.NO_MATERIALS) }
    val m = d.material
    Column(Modifier.padding(horizontal = 16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        BackButton(onBack)
        Text(m.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { contentDescription = "资料标题：${m.title}" })
        Text("${d.publisherName}　${S.date(m.publishedAtMs)}" + (m.series?.let { "　$it" } ?: ""), style = MaterialTheme.typography.labelMedium)
        m.withdrawn?.let { Text("${S.WITHDRAWN}：$it", color = MaterialTheme.colorScheme.error) }
        Text(m.body, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.semantics { contentDescription = "资料正文" })
        m.video?.let { v ->
            Text("${S.VIDEO}：${v.title}（${v.minutes}分钟）\n${v.url}", modifier = Modifier.semantics { contentDescription = "${S.VIDEO}：${v.title}" })
        }
        AttachmentList(app, m.attachments)
        val studiedAt = d.study?.studiedAtMs
        if (studiedAt != null) {
            Text("${S.STUDIED}（${S.date(studiedAt)}）", color = MaterialTheme.colorScheme.primary, modifier = Modifier.semantics { contentDescription = S.STUDIED })
        }
        // 标记已学习 (the member's own mark) and 撤回资料 (its staff), as the core offers them.
        ItemActions(app, d.actions) { form, values -> state.take(form.action, values) }
        SectionTitle(S.MY_NOTES)
        val groups = remember { runCatching { app.groups() }.getOrDefault(emptyList()) }
        var sharing by remember(id) { mutableStateOf<String?>(null) }
        for (n in d.study?.notes.orEmpty()) {
            Column(Modifier.semantics(mergeDescendants = true) { contentDescription = "笔记：${n.text}" }) {
                n.quote?.let { Text("“$it”", style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.secondary) }
                Text(n.text)
            }
            // A note is the member's own; sharing it posts a copy into a group they choose.
            if (groups.isNotEmpty()) {
                ActionButton("分享到群", description = "分享笔记：${n.text.take(10)}") { sharing = if (sharing == n.id) null else n.id }
                if (sharing == n.id) {
                    for (g in groups) {
                        ActionButton(g.group.name, description = "分享到${g.group.name}") {
                            if (state.share(n.id, g.group.id)) sharing = null
                        }
                    }
                }
            }
        }
        OutlinedTextField(quote, { quote = it }, label = { Text(S.HIGHLIGHT) }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = S.HIGHLIGHT })
        OutlinedTextField(note, { note = it }, label = { Text(S.NOTE_HINT) }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = S.STUDY_NOTE })
        ErrorText(error)
        Button(
            onClick = { if (state.writeNote(note, quote)) { note = ""; quote = "" } },
            modifier = Modifier.semantics { contentDescription = S.SAVE_NOTE },
        ) { Text(S.SAVE_NOTE) }
    }
}

@Composable
fun ReadingGroupsScreen(app: LvzhiApp, onOpen: (String) -> Unit) {
    val groups = remember { runCatching { app.groups() }.getOrDefault(emptyList()).filter { it.group.kind == GroupKind.READING_GROUP } }
    Column(Modifier.padding(horizontal = 16.dp)) {
        if (groups.isEmpty()) EmptyState(Icons.Outlined.LocalLibrary, S.NO_READING_GROUPS)
        for (g in groups) {
            EntryRow(g.group.name, null, "读书群：${g.group.name}") { onOpen(g.group.id) }
        }
    }
}

/** A reading group: the plan, 导读, and members' notes; writing today's is the member's choice. */
@Composable
fun ReadingScreen(app: LvzhiApp, groupId: String, onBack: () -> Unit) {
    val state = remember(groupId) { ReadingState(app, groupId) }
    val view by state.view.collectAsState()
    val error by state.error.collectAsState()
    var text by remember(groupId) { mutableStateOf("") }
    var guideTitle by remember(groupId) { mutableStateOf("") }
    var guideText by remember(groupId) { mutableStateOf("") }
    Column(Modifier.padding(horizontal = 16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        BackButton(onBack)
        val plan = view?.plan
        SectionTitle(S.READING_PLAN)
        if (plan == null) Text(S.NO_PLAN)
        for (item in plan?.items.orEmpty()) {
            Text("${item.title}（${item.author}）　${S.date(item.fromMs)} 至 ${S.date(item.toMs)}", modifier = Modifier.semantics { contentDescription = "书目：${item.title}" })
        }
        if (view?.leadNames?.isNotEmpty() == true) Text("${S.LEAD_READERS}：${view!!.leadNames.joinToString("、")}")
        if (plan?.guides?.isNotEmpty() == true) SectionTitle(S.GUIDES)
        for (g in plan?.guides.orEmpty()) {
            Column(Modifier.semantics(mergeDescendants = true) { contentDescription = "导读：${g.title}" }) {
                Text(g.title, style = MaterialTheme.typography.titleSmall)
                Text(g.text)
            }
        }
        if (view?.iLead == true) {
            OutlinedTextField(guideTitle, { guideTitle = it }, label = { Text("导读标题") }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = "导读标题" })
            OutlinedTextField(guideText, { guideText = it }, label = { Text("导读内容") }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = "导读内容" })
            Button(onClick = { if (state.postGuide(guideTitle, guideText)) { guideTitle = ""; guideText = "" } }, modifier = Modifier.semantics { contentDescription = "发布导读" }) { Text("发布导读") }
        }
        SectionTitle(S.READING_NOTES)
        for (n in view?.notes.orEmpty()) {
            Text("${n.note.day}　${n.authorName}：${n.note.text}", modifier = Modifier.semantics { contentDescription = "心得：${n.authorName}：${n.note.text}" })
        }
        if (plan != null) {
            OutlinedTextField(text, { text = it }, label = { Text(S.READING_NOTE_HINT) }, modifier = Modifier.fillMaxWidth().semantics { contentDescription = S.READING_NOTES })
            ErrorText(error)
            Button(
                onClick = { if (state.writeNote(S.date(System.currentTimeMillis()), text)) text = "" },
                modifier = Modifier.semantics { contentDescription = S.SAVE_READING_NOTE },
            ) { Text(S.SAVE_READING_NOTE) }
        }
    }
}

@Composable
fun NewsFeedScreen(app: LvzhiApp, onOpen: (String) -> Unit) {
    val state = remember { NewsFeedState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val items by state.items.collectAsState()
    Column(Modifier.padding(horizontal = 16.dp).verticalScroll(rememberScrollState())) {
        if (items.isEmpty()) EmptyState(Icons.Outlined.Newspaper, S.NO_NEWS)
        for (n in items) {
            EntryRow(n.title, S.date(n.publishedAtMs) + "　" + n.summary, "信息：${n.title}") { onOpen(n.id) }
        }
    }
}

@Composable
fun NewsScreen(app: LvzhiApp, id: String, onBack: () -> Unit) {
    val n = remember(id) { runCatching { app.newsItem(id) }.getOrNull() }
    Column(Modifier.padding(horizontal = 16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        BackButton(onBack)
        if (n == null) {
            Text(S.NO_NEWS)
            return@Column
        }
        Text(n.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { contentDescription = "信息标题：${n.title}" })
        Text(S.date(n.publishedAtMs), style = MaterialTheme.typography.labelMedium)
        n.cover?.let { AttachmentList(app, listOf(it)) }
        Text(n.body, style = MaterialTheme.typography.bodyLarge)
    }
}
