package cn.lvzhi.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Badge
import androidx.compose.material.icons.outlined.Storefront
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.ContactWay
import cn.lvzhi.core.CorrectionState
import cn.lvzhi.core.FileFields
import cn.lvzhi.core.Gender
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.contactWayLabel
import cn.lvzhi.core.contactWays
import cn.lvzhi.state.ContactsState
import cn.lvzhi.state.DirectoryState
import cn.lvzhi.state.MyFileState
import cn.lvzhi.state.StudioDutyState

// 委员档案, 联络联系, 委员工作室 and the directory: the member's own parts. Everything is written
// offline and sent with the next sync; nothing here ranks or scores anyone.

private fun correctionLabel(s: CorrectionState) = when (s) {
    CorrectionState.PENDING -> "待审核"
    CorrectionState.APPROVED -> "已更正"
    CorrectionState.RETURNED -> "已退回"
}

@Composable
private fun Field(label: String, value: String, description: String = label, lines: Int = 1, onChange: (String) -> Unit) =
    OutlinedTextField(
        value, onChange, label = { Text(label) }, minLines = lines,
        modifier = Modifier.fillMaxWidth().semantics { contentDescription = description },
    )

@Composable
private fun Line(label: String, value: String) =
    Text("$label：${value.ifEmpty { "未填" }}", style = MaterialTheme.typography.bodyLarge, modifier = Modifier.semantics { contentDescription = "$label：${value.ifEmpty { "未填" }}" })

/** 我的档案: the file staff keep, its changes, and asking a correction (sent with the next sync). */
@Composable
fun MyFileScreen(app: LvzhiApp, onBack: () -> Unit) {
    val state = remember { MyFileState(app) }
    val mine by state.file.collectAsState()
    val error by state.error.collectAsState()
    var editing by remember { mutableStateOf(false) }
    Column(Modifier.padding(Space.l).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(Space.s)) {
        BackButton(onBack)
        Text(S.MY_FILE, style = MaterialTheme.typography.titleLarge)
        val file = mine?.file
        if (file == null) {
            EmptyState(Icons.Outlined.Badge, S.NO_FILE)
            return@Column
        }
        val f = file.fields
        Text("第${file.version}版　${S.date(file.updatedAtMs)}更新", style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        Line("性别", when (f.gender) { Gender.MALE -> "男"; Gender.FEMALE -> "女"; null -> "" })
        Line("民族", f.ethnicity)
        Line("党派", f.party)
        Line("工作单位及职务", f.employerTitle)
        Line("届次", f.term)
        Line("联系电话", f.phone)
        Text(S.FILE_PRIVATE, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        ErrorText(error)
        if (editing) {
            CorrectionForm(f, onCancel = { editing = false }) { fields, note -> if (state.requestCorrection(fields, note)) editing = false }
        } else {
            OutlinedButton(onClick = { editing = true }, modifier = Modifier.semantics { contentDescription = S.ASK_CORRECTION }) { Text(S.ASK_CORRECTION) }
        }
        val corrections = mine?.corrections.orEmpty()
        if (corrections.isNotEmpty()) SectionTitle("更正申请")
        for (c in corrections) {
            val reason = c.reason?.let { "：$it" } ?: ""
            Text(
                "${S.date(c.askedAtMs)}　${correctionLabel(c.state)}$reason",
                modifier = Modifier.semantics { contentDescription = "更正申请${correctionLabel(c.state)}$reason" },
            )
            HorizontalDivider()
        }
    }
}

@Composable
private fun CorrectionForm(current: FileFields, onCancel: () -> Unit, onSubmit: (FileFields, String) -> Unit) {
    var gender by remember { mutableStateOf(current.gender) }
    var ethnicity by remember { mutableStateOf(current.ethnicity) }
    var party by remember { mutableStateOf(current.party) }
    var employer by remember { mutableStateOf(current.employerTitle) }
    var term by remember { mutableStateOf(current.term) }
    var phone by remember { mutableStateOf(current.phone) }
    var note by remember { mutableStateOf("") }
    Choice(listOf(Gender.MALE to "男", Gender.FEMALE to "女"), gender) { gender = it }
    Field("民族", ethnicity) { ethnicity = it }
    Field("党派", party) { party = it }
    Field("工作单位及职务", employer) { employer = it }
    Field("届次", term) { term = it }
    Field("联系电话", phone) { phone = it }
    Field("说明（选填）", note, description = "更正说明", lines = 2) { note = it }
    Button(
        onClick = { onSubmit(FileFields(gender, ethnicity, party, employer, term, phone), note) },
        modifier = Modifier.semantics { contentDescription = "提交更正申请" },
    ) { Text("提交更正申请") }
    OutlinedButton(onClick = onCancel, modifier = Modifier.semantics { contentDescription = "取消更正" }) { Text("取消") }
}

/**
 * 联络联系: this year's facts against the organisation's expectation, the register (private to
 * the member), logging a contact, and the log — each with 「形成社情民意」 for what was raised.
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun ContactsScreen(app: LvzhiApp, onBack: () -> Unit, onOpenReport: (String) -> Unit = {}) {
    val state = remember { ContactsState(app) }
    val contacts by state.contacts.collectAsState()
    val log by state.log.collectAsState()
    val summary by state.summary.collectAsState()
    val error by state.error.collectAsState()
    var name by remember { mutableStateOf("") }
    var sector by remember { mutableStateOf("") }
    var phone by remember { mutableStateOf("") }
    var chosen by remember { mutableStateOf(setOf<String>()) }
    var way by remember { mutableStateOf(ContactWay.VISIT) }
    var raised by remember { mutableStateOf("") }
    Column(Modifier.padding(Space.l).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(Space.s)) {
        BackButton(onBack)
        Text(S.CONTACTS, style = MaterialTheme.typography.titleLarge)
        summary?.let { Text(ContactsState.summaryLabel(it), style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { contentDescription = ContactsState.summaryLabel(it) }) }
        Text(S.CONTACTS_PRIVATE, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        ErrorText(error)

        SectionTitle("记录一次联系")
        val current = contacts.filter { !it.removed }
        if (current.isEmpty()) Text("先在下方联系名册中加入联系的群众。", style = MaterialTheme.typography.bodySmall)
        FlowRow {
            for (c in current) {
                val on = c.id in chosen
                FilterChip(
                    selected = on,
                    onClick = { chosen = if (on) chosen - c.id else chosen + c.id },
                    label = { Text(c.name) },
                    modifier = Modifier.padding(end = 6.dp).semantics { contentDescription = "联系对象${c.name}" },
                )
            }
        }
        Choice(contactWays().map { it to contactWayLabel(it) }, way) { way = it }
        Field("反映的问题和建议", raised, lines = 3) { raised = it }
        Button(
            onClick = { if (state.log(chosen.toList(), way, raised)) { chosen = emptySet(); raised = "" } },
            modifier = Modifier.semantics { contentDescription = "记录联系" },
        ) { Text("记录联系") }

        SectionTitle("联系记录")
        if (log.isEmpty()) Text("还没有联系记录。", style = MaterialTheme.typography.bodySmall)
        for (l in log) {
            Text("${l.log.date}　${l.wayLabel}　${l.names.joinToString("、")}", style = MaterialTheme.typography.titleSmall)
            if (l.log.raised.isNotEmpty()) Text(l.log.raised, style = MaterialTheme.typography.bodyMedium)
            if (l.drafts.isNotEmpty()) {
                val report = l.drafts.firstOrNull { it.kind == "report" }
                Text("已形成${l.drafts.size}份草稿", color = MaterialTheme.colorScheme.primary)
                if (report != null) {
                    OutlinedButton(onClick = { onOpenReport(report.id) }, modifier = Modifier.semantics { contentDescription = "查看社情民意草稿：${l.log.date}" }) { Text("查看草稿") }
                }
            } else if (l.log.raised.isNotBlank()) {
                OutlinedButton(
                    onClick = { state.reportFrom(l.log.id)?.let(onOpenReport) },
                    modifier = Modifier.semantics { contentDescription = "形成社情民意：${l.log.date}${l.names.joinToString("、")}" },
                ) { Text("形成社情民意") }
            }
            HorizontalDivider()
        }

        SectionTitle("联系名册")
        for (c in current) {
            Text(listOf(c.name, c.sector, c.phone).filter { it.isNotEmpty() }.joinToString("　"), style = MaterialTheme.typography.bodyLarge)
            OutlinedButton(onClick = { state.remove(c.id) }, modifier = Modifier.semantics { contentDescription = "移出名册：${c.name}" }) { Text("移出名册") }
        }
        Field("姓名", name, description = "联系人姓名") { name = it }
        Field("界别或单位（选填）", sector, description = "联系人界别或单位") { sector = it }
        Field("电话（选填）", phone, description = "联系人电话") { phone = it }
        Button(
            onClick = { if (state.add(name, sector, phone)) { name = ""; sector = ""; phone = "" } },
            modifier = Modifier.semantics { contentDescription = "加入联系名册" },
        ) { Text("加入联系名册") }
    }
}

/** 工作室值班: the member's studios and duty days, and the residents' messages to answer. */
@Composable
fun StudioDutyScreen(app: LvzhiApp, onBack: () -> Unit, onOpenReport: (String) -> Unit = {}) {
    val state = remember { StudioDutyState(app) }
    val studios by state.studios.collectAsState()
    val messages by state.messages.collectAsState()
    val error by state.error.collectAsState()
    val answers = remember { mutableStateOf(mapOf<String, String>()) }
    Column(Modifier.padding(Space.l).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(Space.s)) {
        BackButton(onBack)
        Text(S.STUDIO, style = MaterialTheme.typography.titleLarge)
        ErrorText(error)
        if (studios.isEmpty()) EmptyState(Icons.Outlined.Storefront, "本组织还没有委员工作室")
        for (s in studios) {
            Text(s.studio.name, style = MaterialTheme.typography.titleMedium)
            Text("${s.studio.place}　${s.studio.openingHours}", style = MaterialTheme.typography.bodySmall)
            Text("进驻委员：${s.memberNames.joinToString("、")}", style = MaterialTheme.typography.bodySmall)
            if (s.onDutyToday) Text("今天是您值班", color = MaterialTheme.colorScheme.primary, modifier = Modifier.semantics { contentDescription = "今天是您在${s.studio.name}值班" })
            if (s.myDutyDays.isNotEmpty()) Text("我的值班日：${s.myDutyDays.joinToString("、")}")
            HorizontalDivider()
        }
        SectionTitle("群众留言")
        if (messages.isEmpty()) Text("还没有留言。", style = MaterialTheme.typography.bodySmall)
        for (line in messages) {
            val m = line.message
            val who = listOf(m.name, m.phone).filter { it.isNotEmpty() }.joinToString("　")
            Text("${line.studioName}　${m.date}${if (who.isEmpty()) "" else "　$who"}", style = MaterialTheme.typography.bodySmall)
            Text(m.text, style = MaterialTheme.typography.bodyLarge)
            m.photo?.let { AttachmentList(app, listOf(it)) }
            val a = m.answer
            if (a != null) {
                Text("${line.answeredBy ?: ""}答复：${a.text}", color = MaterialTheme.colorScheme.primary, modifier = Modifier.semantics { contentDescription = "已答复：${a.text}" })
            } else {
                val text = answers.value[m.id].orEmpty()
                Field("答复", text, description = "答复留言：${m.text.take(12)}", lines = 2) { answers.value = answers.value + (m.id to it) }
                Button(
                    onClick = { if (state.answer(m.id, text)) answers.value = answers.value - m.id },
                    modifier = Modifier.semantics { contentDescription = "发送答复：${m.text.take(12)}" },
                ) { Text("发送答复") }
            }
            if (line.drafts.isEmpty()) {
                OutlinedButton(
                    onClick = { state.reportFrom(m.id)?.let(onOpenReport) },
                    modifier = Modifier.semantics { contentDescription = "形成社情民意：${m.text.take(12)}" },
                ) { Text("形成社情民意") }
            } else {
                Text("已形成社情民意草稿", color = MaterialTheme.colorScheme.primary)
            }
            HorizontalDivider()
        }
    }
}

/** 委员名录: the organisation's members by name, 界别, 专委会 and 单位职务 — no phone numbers. */
@Composable
fun DirectoryScreen(app: LvzhiApp, onBack: () -> Unit) {
    val state = remember { DirectoryState(app) }
    val lines by state.lines.collectAsState()
    var query by remember { mutableStateOf("") }
    Column(Modifier.padding(Space.l).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(Space.s)) {
        BackButton(onBack)
        Text(S.DIRECTORY, style = MaterialTheme.typography.titleLarge)
        Field("姓名、界别或单位", query, description = "搜索委员名录") { query = it; state.search(it) }
        if (lines.isEmpty()) Text("没有找到。", style = MaterialTheme.typography.bodySmall)
        for (l in lines) {
            val groups = l.groups.joinToString("、")
            Text(l.name, style = MaterialTheme.typography.titleSmall, modifier = Modifier.semantics { contentDescription = "委员${l.name}" })
            if (groups.isNotEmpty()) Text(groups, style = MaterialTheme.typography.bodySmall)
            if (l.employerTitle.isNotEmpty()) Text(l.employerTitle, style = MaterialTheme.typography.bodySmall)
            HorizontalDivider()
        }
    }
}
