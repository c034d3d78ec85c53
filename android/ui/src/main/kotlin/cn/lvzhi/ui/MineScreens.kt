package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.outlined.Assignment
import androidx.compose.material.icons.automirrored.outlined.Logout
import androidx.compose.material.icons.outlined.Badge
import androidx.compose.material.icons.outlined.CloudUpload
import androidx.compose.material.icons.outlined.Contacts
import androidx.compose.material.icons.outlined.Groups
import androidx.compose.material.icons.outlined.Storefront
import androidx.compose.material.icons.outlined.EditNote
import androidx.compose.material.icons.outlined.Feedback
import androidx.compose.material.icons.outlined.Search
import androidx.compose.material.icons.outlined.Settings
import androidx.compose.material.icons.outlined.Storage
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.compositionLocalOf
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.state.LoginState
import cn.lvzhi.state.NotificationSettingsState
import cn.lvzhi.state.PushTokens
import cn.lvzhi.state.ReminderScheduler
import cn.lvzhi.state.ReminderSettingsState
import kotlinx.coroutines.launch

/** Hands a document to the platform's share sheet (title, HTML); none offers no share button. */
val LocalShare = compositionLocalOf<((String, String) -> Unit)?> { null }

/** The platform's system notifications; without it the switches are kept but nothing is scheduled. */
val LocalReminderScheduler = compositionLocalOf<ReminderScheduler?> { null }

/** The phone's push token (the vendor's SDK or APNs); registered again after every login. None: no push. */
val LocalPushTokens = compositionLocalOf<PushTokens?> { null }

enum class Mine(val label: String, val icon: ImageVector) {
    Record(S.RECORD, Icons.AutoMirrored.Outlined.Assignment),
    MyFile(S.MY_FILE, Icons.Outlined.Badge),
    Contacts(S.CONTACTS, Icons.Outlined.Groups),
    Studio(S.STUDIO, Icons.Outlined.Storefront),
    Directory(S.DIRECTORY, Icons.Outlined.Contacts),
    SelfReports(S.SELF_REPORTS, Icons.Outlined.EditNote),
    Feedback(S.FEEDBACK, Icons.Outlined.Feedback),
    Search(S.SEARCH, Icons.Outlined.Search),
    Outbox(S.OUTBOX, Icons.Outlined.CloudUpload),
    Storage(S.STORAGE, Icons.Outlined.Storage),
    Settings(S.SETTINGS, Icons.Outlined.Settings),
}

/**
 * 我的: the duty record, the member's file, 联络联系, studio duty, the directory, 自主履职, 意见建议,
 * search, what waits to be sent, storage, settings.
 */
@Composable
fun MineScreen(name: String?, onOpen: (Mine) -> Unit) {
    Column(Modifier.verticalScroll(rememberScrollState()).padding(vertical = Space.s)) {
        if (name != null) Text(name, style = MaterialTheme.typography.titleLarge, modifier = Modifier.padding(horizontal = Space.l, vertical = Space.m))
        for (m in Mine.entries) {
            Row(
                Modifier.fillMaxWidth().heightIn(min = 56.dp).clickable { onOpen(m) }.padding(horizontal = Space.l)
                    .semantics(mergeDescendants = true) { contentDescription = m.label },
                verticalAlignment = Alignment.CenterVertically,
            ) {
                Icon(m.icon, contentDescription = null, tint = MaterialTheme.colorScheme.primary)
                Text(m.label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.padding(start = Space.l))
            }
            HorizontalDivider()
        }
    }
}

/**
 * 设置: a switch per kind of reminder (each change reschedules the system's notifications at
 * once), the server's push (推送通知), and 退出登录 — which, with work not yet sent, says what would be lost and asks first.
 */
@Composable
fun SettingsScreen(app: LvzhiApp, login: LoginState, onBack: () -> Unit) {
    val scheduler = LocalReminderScheduler.current
    val state = remember { ReminderSettingsState(app, scheduler) }
    val settings by state.settings.collectAsState()
    val error by state.error.collectAsState()
    val loginUi by login.ui.collectAsState()
    var asking by remember { mutableStateOf(0) }
    val scope = rememberCoroutineScope()
    Column(Modifier.padding(Space.l).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(Space.s)) {
        BackButton(onBack)
        Text(S.SETTINGS, style = MaterialTheme.typography.titleLarge)
        SectionTitle(S.REMINDERS)
        Text(S.REMINDERS_NOTE, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        ErrorText(error)
        val s = settings
        if (s != null) {
            for ((kind, label) in ReminderSettingsState.KINDS) {
                val on = ReminderSettingsState.isOn(s, kind)
                // The whole row is the switch, read out as one control with its state.
                Row(
                    Modifier.fillMaxWidth().heightIn(min = Space.touch)
                        .toggleable(value = on, role = Role.Switch, onValueChange = { state.set(kind, it) })
                        .semantics(mergeDescendants = true) {
                            contentDescription = "提醒$label"
                            stateDescription = if (on) "开" else "关"
                        },
                    verticalAlignment = Alignment.CenterVertically,
                ) {
                    Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
                    Switch(checked = on, onCheckedChange = null)
                }
            }
        }
        NotificationSettingsSection(app)
        SectionTitle("账号")
        (loginUi as? cn.lvzhi.state.LoginUi.Failed)?.let { ErrorText(it.message) }
        OutlinedButton(
            onClick = {
                val unsent = login.unsent()
                if (unsent > 0) asking = unsent else scope.launch { login.logout() }
            },
            modifier = Modifier.heightIn(min = Space.touch).semantics { contentDescription = S.LOGOUT },
        ) {
            Icon(Icons.AutoMirrored.Outlined.Logout, contentDescription = null)
            Text(S.LOGOUT, modifier = Modifier.padding(start = Space.s))
        }
    }
    if (asking > 0) {
        AlertDialog(
            onDismissRequest = { asking = 0 },
            title = { Text(S.LOGOUT) },
            text = { Text(S.logoutLoses(asking), modifier = Modifier.semantics { contentDescription = S.logoutLoses(asking) }) },
            confirmButton = {
                TextButton(onClick = { asking = 0; scope.launch { login.logout(discardUnsent = true) } }, modifier = Modifier.semantics { contentDescription = "仍然退出" }) {
                    Text("仍然退出", color = MaterialTheme.colorScheme.error)
                }
            },
            dismissButton = {
                TextButton(onClick = { asking = 0 }, modifier = Modifier.semantics { contentDescription = "暂不退出" }) { Text("暂不退出") }
            },
        )
    }
}

/** One switch row: the whole row is the control, read out with its name and state. */
@Composable
private fun SwitchRow(label: String, description: String, on: Boolean, enabled: Boolean = true, onChange: (Boolean) -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = Space.touch)
            .toggleable(value = on, enabled = enabled, role = Role.Switch, onValueChange = onChange)
            .semantics(mergeDescendants = true) {
                contentDescription = description
                stateDescription = if (on) "开" else "关"
            },
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
        Switch(checked = on, onCheckedChange = null, enabled = enabled)
    }
}

/**
 * 设置 → 推送通知: whether the server may push at all, a switch per kind (the core's names),
 * and the quiet hours (「免打扰 22:00–07:00」; off sets both ends equal). Saved in the core at
 * once and carried to the person's other phones by sync.
 */
@Composable
fun NotificationSettingsSection(app: LvzhiApp) {
    val state = remember { NotificationSettingsState(app) }
    val settings by state.settings.collectAsState()
    val error by state.error.collectAsState()
    SectionTitle(S.PUSH)
    Text(S.PUSH_NOTE, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
    ErrorText(error)
    val s = settings ?: return
    SwitchRow(S.PUSH_ALL, S.PUSH_ALL, s.enabled) { state.setEnabled(it) }
    for ((kind, label) in NotificationSettingsState.KINDS) {
        SwitchRow(label, "推送$label", NotificationSettingsState.isOn(s, kind), enabled = s.enabled) { state.setKind(kind, it) }
    }
    val quiet = NotificationSettingsState.quietLabel(state.quietWindow)
    SwitchRow(quiet, quiet, NotificationSettingsState.hasQuietHours(s), enabled = s.enabled) { state.setQuietHours(it) }
}
