package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Description
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
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
import cn.lvzhi.core.ActionForm
import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.FormValue
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.ProposalDetail
import cn.lvzhi.core.ProposalState
import cn.lvzhi.core.ProposalSummary
import cn.lvzhi.state.ProposalDetailState
import cn.lvzhi.state.ProposalEditorState
import cn.lvzhi.state.SimilarProposalsState
import cn.lvzhi.state.ProposalListState

@Composable
fun ProposalListScreen(app: LvzhiApp, onOpen: (String) -> Unit, onNew: (() -> Unit)?) {
    val state = remember { ProposalListState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val items by state.items.collectAsState()
    Column {
        if (onNew != null) {
            Button(onClick = onNew, modifier = Modifier.padding(12.dp).semantics { contentDescription = S.NEW_PROPOSAL }) {
                Text(S.NEW_PROPOSAL)
            }
        }
        if (items.isEmpty()) EmptyState(Icons.Outlined.Description, S.NO_PROPOSALS)
        LazyColumn {
            items(items, key = { it.id }) { p -> ProposalRow(p) { onOpen(p.id) } }
        }
    }
}

@Composable
fun ProposalRow(p: ProposalSummary, onClick: () -> Unit) {
    Column(
        Modifier.fillMaxWidth().clickable(onClick = onClick).padding(16.dp)
            .semantics(mergeDescendants = true) { contentDescription = "提案：${p.title}，${S.state(p.state)}" },
    ) {
        Text(p.title, style = MaterialTheme.typography.titleMedium)
        Text(S.state(p.state), style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.secondary)
    }
    HorizontalDivider()
}

@Composable
fun ProposalEditorScreen(app: LvzhiApp, existingId: String?, onDone: (String?) -> Unit) {
    val scope = rememberCoroutineScope()
    val editor = remember(existingId) { ProposalEditorState(app, scope, existingId) }
    val ui by editor.ui.collectAsState()
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Field(S.TITLE, ui.content.title) { v -> editor.edit { it.copy(title = v) } }
        Field(S.CATEGORY, ui.content.category) { v -> editor.edit { it.copy(category = v) } }
        Field(S.CAUSE, ui.content.cause, lines = 4) { v -> editor.edit { it.copy(cause = v) } }
        Field(S.SUGGESTIONS, ui.content.suggestions, lines = 4) { v -> editor.edit { it.copy(suggestions = v) } }
        val saved = ui.savedRevision?.let { S.savedRevision(it.toInt()) } ?: S.UNSAVED
        Text(ui.error ?: saved, style = MaterialTheme.typography.bodySmall, modifier = Modifier.semantics { contentDescription = "保存状态：${ui.error ?: saved}" })
        Button(
            onClick = { editor.flush(); onDone(editor.ui.value.proposalId) },
            modifier = Modifier.semantics { contentDescription = "保存并返回" },
        ) { Text(S.DONE) }
        SimilarProposals(app, ui.content.title, ui.content.cause, ui.content.suggestions, ui.proposalId)
    }
}

/** 相似提案 under the editor: looked for again a moment after the member stops typing. */
@Composable
private fun SimilarProposals(app: LvzhiApp, title: String, cause: String, suggestions: String, draftId: String?) {
    val state = remember { SimilarProposalsState(app) }
    val items by state.items.collectAsState()
    LaunchedEffect(title, cause, suggestions) {
        kotlinx.coroutines.delay(400)
        state.update(title, cause, suggestions, draftId)
    }
    if (items.isEmpty()) return
    SectionTitle(S.SIMILAR)
    Text(S.SIMILAR_NOTE, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
    for (p in items) {
        Text(p.title, style = MaterialTheme.typography.titleSmall, modifier = Modifier.semantics { contentDescription = "相似提案：${p.title}" })
        Text("${p.orgName}　${p.stateLabel}", style = MaterialTheme.typography.bodySmall)
        p.reply?.let { Text("答复：$it", style = MaterialTheme.typography.bodySmall, maxLines = 3, overflow = androidx.compose.ui.text.style.TextOverflow.Ellipsis) }
        HorizontalDivider()
    }
}

@Composable
private fun Field(label: String, value: String, lines: Int = 1, onChange: (String) -> Unit) {
    OutlinedTextField(
        value,
        onChange,
        label = { Text(label) },
        minLines = lines,
        modifier = Modifier.fillMaxWidth().semantics { contentDescription = label },
    )
}

/** One proposal: everything on it, and exactly the actions the core allows this user now. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun ProposalDetailScreen(app: LvzhiApp, id: String, onEdit: () -> Unit, onBack: (() -> Unit)?) {
    val state = remember(id) { ProposalDetailState(app, id) }
    DisposableEffect(id) { onDispose { state.close() } }
    val detail by state.detail.collectAsState()
    val error by state.error.collectAsState()
    var panel by remember(id) { mutableStateOf<ActionForm?>(null) }
    val d = detail ?: return
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        if (onBack != null) BackButton(onBack)
        Text(d.content.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { contentDescription = "提案标题：${d.content.title}" })
        Text(
            listOfNotNull(d.stateLabel, d.kindLabel, "第${d.revision}版", "提案人：${d.firstProposerName}").joinToString("　"),
            style = MaterialTheme.typography.labelLarge,
            modifier = Modifier.semantics { contentDescription = "状态：${d.stateLabel}" },
        )
        d.keyLeader?.let { Text("重点提案　督办领导：$it", color = MaterialTheme.colorScheme.primary) }
        d.staffNote?.let { Text("退回修改意见：$it", color = MaterialTheme.colorScheme.error) }
        d.notRegisteredReason?.let { Text("不予立案：$it", color = MaterialTheme.colorScheme.error) }
        d.conversion?.let { Text("工作人员建议${S.CONVERT_TO}${it.toLabel}：${it.note}") }
        ErrorText(error)
        Actions(d, state, onEdit) { panel = it }
        panel?.let { form ->
            ActionPanel(app, form, onCancel = { panel = null }) { values ->
                if (state.take(form.action, values)) panel = null
            }
        }
        SectionTitle(S.CAUSE)
        Text(d.content.cause)
        SectionTitle(S.SUGGESTIONS)
        Text(d.content.suggestions)
        AttachmentList(app, d.content.attachments)
        if (d.coProposers.isNotEmpty()) {
            SectionTitle(S.CO_PROPOSERS)
            for (c in d.coProposers) Text("${c.name}　${S.invitation(c.status)}", modifier = Modifier.semantics { contentDescription = "联名：${c.name}，${S.invitation(c.status)}" })
        }
        if (d.assignments.isNotEmpty()) {
            SectionTitle(S.ASSIGNMENTS)
            d.handlingDeadlineMs?.let { Text(S.deadline(it)) }
            d.extension?.let { Text("已延期：${it.reason}") }
            for (a in d.assignments) AssignmentCard(a)
        }
        if (d.evaluations.isNotEmpty()) {
            SectionTitle(S.EVALUATIONS)
            for (e in d.evaluations) {
                val line = "${e.name}：${e.ratingLabel}" + if (e.comment.isNotBlank()) "　${e.comment}" else ""
                Text(line, modifier = Modifier.semantics { contentDescription = "测评：$line" })
            }
        }
        if (d.revisions.size > 1) {
            SectionTitle(S.REVISIONS)
            val canRestore = d.actions.any { it.action == ActionKind.PROPOSAL_RESTORE_REVISION }
            for (r in d.revisions) {
                Row(verticalAlignment = androidx.compose.ui.Alignment.CenterVertically) {
                    val notes = listOfNotNull(r.authorName, if (r.conflict) S.CONFLICT else null, r.restoredFrom?.let { S.restoredFrom(it.toInt()) })
                    Text(S.revision(r.number.toInt(), r.title) + "（${notes.joinToString("，")}）", modifier = Modifier.weight(1f))
                    if (canRestore && r.number != d.revision) {
                        ActionButton("${S.RESTORE}：第${r.number}版") {
                            state.take(ActionKind.PROPOSAL_RESTORE_REVISION, listOf(FormValue("revision", r.number.toString())))
                        }
                    }
                }
            }
        }
        d.closingNote?.let { SectionTitle("办结说明"); Text(it) }
        SectionTitle(S.HISTORY)
        for (h in d.history) {
            Text("${S.time(h.atMs)}　${h.label} · ${h.actorName}（${h.roleLabel}）${h.reason?.let { "：$it" } ?: ""}", style = MaterialTheme.typography.bodySmall)
        }
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun Actions(d: ProposalDetail, state: ProposalDetailState, onEdit: () -> Unit, open: (ActionForm) -> Unit) {
    // Restoring a revision sits on each revision's line below.
    val forms = d.actions.filter { it.action != ActionKind.PROPOSAL_RESTORE_REVISION }
    if (forms.isEmpty() && d.state != ProposalState.DRAFT) return
    SectionTitle(S.ACTIONS)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        if (d.state == ProposalState.DRAFT && forms.any { it.action == ActionKind.PROPOSAL_INVITE }) ActionButton(S.EDIT, onClick = onEdit)
        for (form in forms) {
            ActionButton(form.label) { if (form.inputs.isEmpty()) state.take(form.action) else open(form) }
        }
    }
}

@Composable
private fun AssignmentCard(a: cn.lvzhi.core.AssignmentView) {
    Card(Modifier.fillMaxWidth().padding(vertical = 4.dp)) {
        Column(Modifier.padding(12.dp).semantics(mergeDescendants = true) {}) {
            Text("${a.unitName}（${a.roleLabel}）", style = MaterialTheme.typography.titleSmall)
            if (!a.active) Text("已退回：${a.returnedReason.orEmpty()}", color = MaterialTheme.colorScheme.error)
            Text(a.firstContactAtMs?.let { S.contacted(it) } ?: S.firstContactDue(a.firstContactDueMs), style = MaterialTheme.typography.bodySmall)
            a.supportingView?.let { Text("会办意见：$it") }
            a.reply?.let { r ->
                Text("答复（${r.categoryLabel}，${S.date(r.repliedAtMs)}）", style = MaterialTheme.typography.labelLarge)
                Text(r.text, modifier = Modifier.semantics { contentDescription = "${a.unitName}答复：${r.text}" })
                for (v in r.supportingViews) Text("会办：$v", style = MaterialTheme.typography.bodySmall)
            }
        }
    }
}
