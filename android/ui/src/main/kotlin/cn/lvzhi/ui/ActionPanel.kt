package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.AssignMode
import cn.lvzhi.core.AssignmentRole
import cn.lvzhi.core.CommandKind
import cn.lvzhi.core.ConversionTarget
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.NotRegisteredGround
import cn.lvzhi.core.ProposalCommand
import cn.lvzhi.core.ProposalDetail
import cn.lvzhi.core.Rating
import cn.lvzhi.core.ReplyCategory
import cn.lvzhi.core.commandLabel
import cn.lvzhi.state.PeoplePickerState
import java.time.LocalDate
import java.time.ZoneId

/**
 * The inputs one command needs (a reason, a category, units, people...), shown in place under
 * the actions. The core decides; a refusal comes back to the detail screen's error line.
 */
@Composable
fun ActionPanel(app: LvzhiApp, d: ProposalDetail, kind: CommandKind, onCancel: () -> Unit, onConfirm: (ProposalCommand) -> Unit) {
    var text by remember(kind) { mutableStateOf("") }
    var second by remember(kind) { mutableStateOf("") }
    var category by remember(kind) { mutableStateOf(ReplyCategory.A) }
    var rating by remember(kind) { mutableStateOf(Rating.SATISFIED) }
    var ground by remember(kind) { mutableStateOf(NotRegisteredGround.NO_CONCRETE_SUGGESTION) }
    var target by remember(kind) { mutableStateOf(ConversionTarget.SOCIAL_CONDITION_REPORT) }
    var mode by remember(kind) { mutableStateOf(AssignMode.SOLE) }
    var role by remember(kind) { mutableStateOf(AssignmentRole.SUPPORTING) }
    val units = remember(kind) { mutableStateListOf<String>() }
    var person by remember(kind) { mutableStateOf<String?>(null) }
    var localError by remember(kind) { mutableStateOf<String?>(null) }
    val title = commandLabel(kind)

    Card(Modifier.fillMaxWidth().padding(vertical = 8.dp)) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            when (kind) {
                CommandKind.INVITE -> PeoplePicker(app, d.coProposers.map { it.personId }.toSet() + d.firstProposerId, person) { person = it }
                CommandKind.REMOVE_INVITEE -> Choice(d.coProposers.map { it.personId to it.name }, person) { person = it }
                CommandKind.NOT_REGISTER -> Choice(NotRegisteredGround.entries.map { it to S.ground(it) }, ground) { ground = it }
                CommandKind.PROPOSE_CONVERSION -> Choice(
                    listOf(ConversionTarget.SOCIAL_CONDITION_REPORT to "社情民意信息", ConversionTarget.OPINION_LETTER to "意见函"),
                    target,
                ) { target = it }
                CommandKind.ASSIGN -> {
                    Choice(listOf(AssignMode.SOLE to S.MODE_SOLE, AssignMode.PARALLEL to S.MODE_PARALLEL, AssignMode.LEAD to S.MODE_LEAD), mode) { mode = it }
                    UnitPicker(app, units)
                }
                CommandKind.ADD_UNIT -> {
                    Choice(listOf(AssignmentRole.LEAD to S.ROLE_LEAD, AssignmentRole.SUPPORTING to S.ROLE_SUPPORTING), role) { role = it }
                    UnitPicker(app, units)
                }
                CommandKind.REPLY -> Choice(ReplyCategory.entries.map { it to S.category(it) }, category) { category = it }
                CommandKind.EVALUATE -> Choice(Rating.entries.map { it to S.rating(it) }, rating) { rating = it }
                CommandKind.MERGE -> {
                    val others = remember { runCatching { app.proposals() }.getOrDefault(emptyList()).filter { it.id != d.id } }
                    Choice(others.map { it.id to it.title }, person) { person = it }
                }
                CommandKind.EXTEND_DEADLINE -> Input(S.DATE_HINT, second) { second = it }
                else -> {}
            }
            textLabel(kind)?.let { label -> Input(label, text) { text = it } }
            localError?.let { ErrorText(it) }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(
                    onClick = {
                        val command = build(kind, text, second, category, rating, ground, target, mode, role, units.toList(), person)
                        if (command == null) localError = "请先选择或填写" else onConfirm(command)
                    },
                    modifier = Modifier.semantics { contentDescription = "确定$title" },
                ) { Text(S.CONFIRM) }
                TextButton(onClick = onCancel, modifier = Modifier.semantics { contentDescription = "取消$title" }) { Text(S.CANCEL) }
            }
        }
    }
}

/** The free text a command carries, and what the field is called. */
private fun textLabel(kind: CommandKind): String? = when (kind) {
    CommandKind.WITHDRAW, CommandKind.RETURN_ASSIGNMENT, CommandKind.EXTEND_DEADLINE -> S.REASON
    CommandKind.NOT_REGISTER, CommandKind.RETURN_FOR_REVISION, CommandKind.PROPOSE_CONVERSION,
    CommandKind.RECORD_CONTACT, CommandKind.APPROVE_REPLIES, CommandKind.CLOSE -> S.NOTE
    CommandKind.SUBMIT_VIEW, CommandKind.REPLY -> "内容"
    CommandKind.EVALUATE -> S.COMMENT
    CommandKind.MARK_KEY -> S.LEADER
    else -> null
}

private fun build(
    kind: CommandKind, text: String, date: String, category: ReplyCategory, rating: Rating, ground: NotRegisteredGround,
    target: ConversionTarget, mode: AssignMode, role: AssignmentRole, units: List<String>, picked: String?,
): ProposalCommand? = when (kind) {
    CommandKind.INVITE -> picked?.let { ProposalCommand.Invite(it) }
    CommandKind.REMOVE_INVITEE -> picked?.let { ProposalCommand.RemoveInvitee(it) }
    CommandKind.WITHDRAW -> ProposalCommand.Withdraw(text)
    CommandKind.NOT_REGISTER -> ProposalCommand.NotRegister(ground, text)
    CommandKind.RETURN_FOR_REVISION -> ProposalCommand.ReturnForRevision(text)
    CommandKind.MERGE -> picked?.let { ProposalCommand.Merge(it) }
    CommandKind.PROPOSE_CONVERSION -> ProposalCommand.ProposeConversion(target, text)
    CommandKind.ASSIGN -> units.takeIf { it.isNotEmpty() }?.let { ProposalCommand.Assign(mode, it) }
    CommandKind.ADD_UNIT -> units.firstOrNull()?.let { ProposalCommand.AddUnit(it, role) }
    CommandKind.RETURN_ASSIGNMENT -> ProposalCommand.ReturnAssignment(text)
    CommandKind.EXTEND_DEADLINE -> runCatching { LocalDate.parse(date.trim()) }.getOrNull()?.let {
        val endOfDay = it.plusDays(1).atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant().toEpochMilli() - 1
        ProposalCommand.ExtendDeadline(endOfDay, text)
    }
    CommandKind.RECORD_CONTACT -> ProposalCommand.RecordContact(text)
    CommandKind.SUBMIT_VIEW -> ProposalCommand.SubmitView(text)
    CommandKind.REPLY -> ProposalCommand.Reply(category, text)
    CommandKind.APPROVE_REPLIES -> ProposalCommand.ApproveReplies(text)
    CommandKind.EVALUATE -> ProposalCommand.Evaluate(rating, text)
    CommandKind.CLOSE -> ProposalCommand.Close(text)
    CommandKind.MARK_KEY -> ProposalCommand.MarkKey(text)
    else -> null
}

@Composable
fun Input(label: String, value: String, onChange: (String) -> Unit) {
    OutlinedTextField(
        value,
        onChange,
        label = { Text(label) },
        modifier = Modifier.fillMaxWidth().semantics { contentDescription = label },
    )
}

/** Members found by name, 界别 or 专委会; one is picked. */
@Composable
fun PeoplePicker(app: LvzhiApp, exclude: Set<String>, picked: String?, onPick: (String) -> Unit) {
    val picker = remember { PeoplePickerState(app, membersOnly = true, exclude = exclude) }
    val people by picker.people.collectAsState()
    var query by remember { mutableStateOf("") }
    Input(S.PEOPLE_HINT, query) { query = it; picker.query(it) }
    for (p in people.take(8)) {
        Row(
            Modifier.fillMaxWidth().clickable { onPick(p.id) }.padding(vertical = 4.dp)
                .semantics(mergeDescendants = true) { contentDescription = "选择${p.name}" },
            verticalAlignment = Alignment.CenterVertically,
        ) {
            Checkbox(checked = picked == p.id, onCheckedChange = { onPick(p.id) })
            Text("${p.name}　${p.groups.joinToString("、")}")
        }
    }
}

/** Handling units of the staff's organisation; several may be picked, in order. */
@Composable
fun UnitPicker(app: LvzhiApp, picked: MutableList<String>) {
    val units = remember { runCatching { app.units() }.getOrDefault(emptyList()) }
    Text(S.UNITS, style = MaterialTheme.typography.labelLarge)
    for (u in units) {
        Row(
            Modifier.fillMaxWidth().clickable { if (u.id in picked) picked.remove(u.id) else picked.add(u.id) }
                .semantics(mergeDescendants = true) { contentDescription = "选择${u.name}" },
            verticalAlignment = Alignment.CenterVertically,
        ) {
            Checkbox(checked = u.id in picked, onCheckedChange = { if (u.id in picked) picked.remove(u.id) else picked.add(u.id) })
            Text(u.name)
        }
    }
}
