package cn.lvzhi.app

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.CommandKind
import cn.lvzhi.core.GroupListListener
import cn.lvzhi.core.GroupSummary
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.MessageState
import cn.lvzhi.core.ProposalCommand
import cn.lvzhi.state.ChatTimelineState
import cn.lvzhi.state.LoginState
import cn.lvzhi.state.LoginUi
import cn.lvzhi.state.ProposalDetailState
import cn.lvzhi.state.ProposalEditorState
import cn.lvzhi.state.ProposalListState
import cn.lvzhi.state.SyncBannerState
import kotlinx.coroutines.launch

// Screens only render state and forward taps; every rule is in the core. Text sizes come from
// the theme's typography (sp), so they follow the system's font scale; every action has a
// content description for TalkBack.

@Composable
fun SyncBannerBar(state: SyncBannerState) {
    val banner by state.banner.collectAsState()
    Text(
        text = banner.text,
        style = MaterialTheme.typography.labelLarge,
        color = if (banner.offline) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurfaceVariant,
        modifier = Modifier.fillMaxWidth().padding(12.dp).semantics { contentDescription = "同步状态：${banner.text}" },
    )
}

@Composable
fun LoginScreen(login: LoginState) {
    val ui by login.ui.collectAsState()
    val scope = rememberCoroutineScope()
    var account by rememberSaveable { mutableStateOf("") }
    var password by rememberSaveable { mutableStateOf("") }
    Column(Modifier.padding(24.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(R.string.app_name), style = MaterialTheme.typography.headlineLarge)
        OutlinedTextField(account, { account = it }, label = { Text(stringResource(R.string.account)) }, singleLine = true)
        OutlinedTextField(
            password,
            { password = it },
            label = { Text(stringResource(R.string.password)) },
            singleLine = true,
            visualTransformation = PasswordVisualTransformation(),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password),
        )
        (ui as? LoginUi.Failed)?.let { Text(it.message, color = MaterialTheme.colorScheme.error) }
        Button(
            onClick = { scope.launch { login.login(account, password, android.os.Build.MODEL) } },
            enabled = ui !is LoginUi.InProgress,
            modifier = Modifier.semantics { contentDescription = "登录履职" },
        ) { Text(stringResource(R.string.login)) }
    }
}

@Composable
fun ProposalsTab(app: LvzhiApp) {
    var open by rememberSaveable { mutableStateOf<String?>(null) }
    var editing by rememberSaveable { mutableStateOf(false) }
    when {
        editing -> ProposalEditorScreen(app, open) { id -> editing = false; open = id }
        open != null -> ProposalDetailScreen(app, open!!, onEdit = { editing = true }, onBack = { open = null })
        else -> ProposalListScreen(app, onOpen = { open = it }, onNew = { open = null; editing = true })
    }
}

@Composable
fun ProposalListScreen(app: LvzhiApp, onOpen: (String) -> Unit, onNew: () -> Unit) {
    val state = remember { ProposalListState(app) }
    DisposableEffect(Unit) { onDispose { state.close() } }
    val items by state.items.collectAsState()
    Column {
        Button(onClick = onNew, modifier = Modifier.padding(12.dp).semantics { contentDescription = "起草新提案" }) {
            Text(stringResource(R.string.new_proposal))
        }
        LazyColumn {
            items(items, key = { it.id }) { p ->
                Column(
                    Modifier.fillMaxWidth().clickable { onOpen(p.id) }.padding(16.dp)
                        .semantics { contentDescription = "${p.title}，${p.state}" },
                ) {
                    Text(p.title, style = MaterialTheme.typography.titleMedium)
                    Text(stateLabel(p.state), style = MaterialTheme.typography.bodySmall)
                }
                HorizontalDivider()
            }
        }
    }
}

@Composable
fun ProposalEditorScreen(app: LvzhiApp, existingId: String?, onDone: (String?) -> Unit) {
    val scope = rememberCoroutineScope()
    val editor = remember { ProposalEditorState(app, scope, existingId) }
    val ui by editor.ui.collectAsState()
    Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(ui.content.title, { v -> editor.edit { it.copy(title = v) } }, label = { Text(stringResource(R.string.title)) }, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(ui.content.category, { v -> editor.edit { it.copy(category = v) } }, label = { Text(stringResource(R.string.category)) }, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(ui.content.cause, { v -> editor.edit { it.copy(cause = v) } }, label = { Text(stringResource(R.string.cause)) }, modifier = Modifier.fillMaxWidth(), minLines = 4)
        OutlinedTextField(ui.content.suggestions, { v -> editor.edit { it.copy(suggestions = v) } }, label = { Text(stringResource(R.string.suggestions)) }, modifier = Modifier.fillMaxWidth(), minLines = 4)
        Text(
            ui.error ?: ui.savedRevision?.let { stringResource(R.string.saved_revision, it.toInt()) } ?: stringResource(R.string.unsaved),
            style = MaterialTheme.typography.bodySmall,
        )
        TextButton(
            onClick = { editor.flush(); onDone(editor.ui.value.proposalId) },
            modifier = Modifier.semantics { contentDescription = "保存并返回" },
        ) { Text(stringResource(R.string.back)) }
    }
}

@Composable
fun ProposalDetailScreen(app: LvzhiApp, id: String, onEdit: () -> Unit, onBack: () -> Unit) {
    val state = remember(id) { ProposalDetailState(app, id) }
    DisposableEffect(id) { onDispose { state.close() } }
    val detail by state.detail.collectAsState()
    val error by state.error.collectAsState()
    val d = detail ?: return
    LazyColumn(Modifier.padding(16.dp)) {
        item {
            TextButton(onClick = onBack) { Text(stringResource(R.string.back)) }
            Text(d.content.title, style = MaterialTheme.typography.titleLarge)
            Text(d.stateLabel, style = MaterialTheme.typography.labelLarge)
            Text(stringResource(R.string.cause), style = MaterialTheme.typography.titleSmall)
            Text(d.content.cause)
            Text(stringResource(R.string.suggestions), style = MaterialTheme.typography.titleSmall)
            Text(d.content.suggestions)
            error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            // Exactly the actions the core allows this user; those needing text open the editor
            // or a dialog in the full app.
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for ((kind, label) in state.actions()) {
                    val command = simpleCommand(kind)
                    when {
                        kind == CommandKind.RESTORE_REVISION -> {}
                        command != null -> OutlinedButton(
                            onClick = { state.perform(command) },
                            modifier = Modifier.semantics { contentDescription = label },
                        ) { Text(label) }
                    }
                }
                if (d.state == cn.lvzhi.core.ProposalState.DRAFT) {
                    OutlinedButton(onClick = onEdit, modifier = Modifier.semantics { contentDescription = "编辑草稿" }) { Text("编辑") }
                }
            }
            Text(stringResource(R.string.history), style = MaterialTheme.typography.titleSmall)
        }
        items(d.history, key = { it.seq.toInt() }) { h ->
            Text("${h.label} · ${h.actorName}（${h.roleLabel}）${h.reason?.let { "：$it" } ?: ""}")
        }
    }
}

private fun simpleCommand(kind: CommandKind): ProposalCommand? = when (kind) {
    CommandKind.SUBMIT -> ProposalCommand.Submit
    CommandKind.OPEN_CO_SIGNING -> ProposalCommand.OpenCoSigning
    CommandKind.ACCEPT_INVITATION -> ProposalCommand.AcceptInvitation
    CommandKind.DECLINE_INVITATION -> ProposalCommand.DeclineInvitation
    CommandKind.REOPEN_DRAFT -> ProposalCommand.ReopenDraft
    CommandKind.REGISTER -> ProposalCommand.Register
    CommandKind.UNMARK_KEY -> ProposalCommand.UnmarkKey
    else -> null
}

private fun stateLabel(s: cn.lvzhi.core.ProposalState): String = when (s) {
    cn.lvzhi.core.ProposalState.DRAFT -> "草稿"
    cn.lvzhi.core.ProposalState.CO_SIGNING -> "联名中"
    cn.lvzhi.core.ProposalState.SUBMITTED -> "已提交"
    cn.lvzhi.core.ProposalState.CONVERSION_PENDING -> "待同意转办"
    cn.lvzhi.core.ProposalState.REGISTERED -> "已立案"
    cn.lvzhi.core.ProposalState.HANDLING -> "办理中"
    cn.lvzhi.core.ProposalState.REPLIED -> "已答复"
    cn.lvzhi.core.ProposalState.EVALUATING -> "待测评"
    cn.lvzhi.core.ProposalState.REHANDLING -> "重新办理"
    cn.lvzhi.core.ProposalState.AWAITING_CLOSURE -> "待办结"
    cn.lvzhi.core.ProposalState.CLOSED -> "已办结"
    cn.lvzhi.core.ProposalState.NOT_REGISTERED -> "不予立案"
    cn.lvzhi.core.ProposalState.WITHDRAWN -> "已撤回"
    cn.lvzhi.core.ProposalState.CONVERTED -> "已转办"
}

@Composable
fun GroupsTab(app: LvzhiApp) {
    var open by rememberSaveable { mutableStateOf<String?>(null) }
    val current = open
    if (current != null) {
        ChatScreen(app, current) { open = null }
        return
    }
    val groupList = remember { mutableStateOf(app.groups()) }
    DisposableEffect(Unit) {
        val sub = app.observeGroups(object : GroupListListener {
            override fun onGroups(groups: List<GroupSummary>) {
                groupList.value = groups
            }
        })
        onDispose { sub.close() }
    }
    LazyColumn {
        items(groupList.value, key = { it.group.id }) { g ->
            Column(
                Modifier.fillMaxWidth().clickable { open = g.group.id }.padding(16.dp)
                    .semantics { contentDescription = "${g.group.name}，${g.unread}条未读" },
            ) {
                Text(g.group.name, style = MaterialTheme.typography.titleMedium)
                if (g.unread > 0u) Text(stringResource(R.string.unread, g.unread.toInt()), style = MaterialTheme.typography.bodySmall)
            }
            HorizontalDivider()
        }
    }
}

@Composable
fun ChatScreen(app: LvzhiApp, groupId: String, onBack: () -> Unit) {
    val state = remember(groupId) { ChatTimelineState(app, groupId) }
    DisposableEffect(groupId) { onDispose { state.close() } }
    val items by state.items.collectAsState()
    val error by state.error.collectAsState()
    var draft by rememberSaveable { mutableStateOf("") }
    Column {
        TextButton(onClick = { state.markAllRead(); onBack() }) { Text(stringResource(R.string.back)) }
        LazyColumn(Modifier.weight(1f)) {
            items(items, key = { it.id }) { m ->
                Column(Modifier.padding(horizontal = 16.dp, vertical = 6.dp).semantics(mergeDescendants = true) {}) {
                    Text(m.senderName, style = MaterialTheme.typography.labelMedium)
                    Text(m.text, style = MaterialTheme.typography.bodyLarge)
                    when (val s = m.state) {
                        is MessageState.Sending -> Text(stringResource(R.string.sending), style = MaterialTheme.typography.labelSmall)
                        is MessageState.Failed -> Text(stringResource(R.string.failed, s.reason), color = MaterialTheme.colorScheme.error)
                        is MessageState.Sent -> {}
                    }
                }
            }
        }
        error?.let { Text(it, color = MaterialTheme.colorScheme.error, modifier = Modifier.padding(8.dp)) }
        Row(Modifier.padding(8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedTextField(draft, { draft = it }, placeholder = { Text(stringResource(R.string.message_hint)) }, modifier = Modifier.weight(1f))
            Button(onClick = { if (state.send(draft)) draft = "" }, modifier = Modifier.semantics { contentDescription = "发送消息" }) {
                Text(stringResource(R.string.send))
            }
        }
        if (items.any { it.state is MessageState.Failed }) {
            TextButton(onClick = { state.retryAll() }, modifier = Modifier.semantics { contentDescription = "全部重新发送" }) {
                Text(stringResource(R.string.retry_all))
            }
        }
    }
}
