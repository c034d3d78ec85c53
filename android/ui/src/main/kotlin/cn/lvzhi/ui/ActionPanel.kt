package cn.lvzhi.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.selection.toggleable
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
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.ActionForm
import cn.lvzhi.core.FormValue
import cn.lvzhi.core.InputKind
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.state.ActionFormState
import cn.lvzhi.state.PeoplePickerState

/**
 * One of the core's action forms, rendered from its description: a field per input (text,
 * choice, person, date, number) with the core's labels and options. Nothing here knows which
 * action it is; the core reads the values and decides, and a refusal comes back to the
 * screen's error line.
 */
@Composable
fun ActionPanel(app: LvzhiApp, form: ActionForm, onCancel: () -> Unit, onConfirm: (List<FormValue>) -> Unit) {
    val state = remember(form) { ActionFormState(form) }
    val values by state.values.collectAsState()
    Card(Modifier.fillMaxWidth().padding(vertical = 8.dp)) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(form.label, style = MaterialTheme.typography.titleMedium)
            for (input in form.inputs) {
                val label = if (input.required) input.label else "${input.label}（可不填）"
                val value = values[input.key]?.firstOrNull().orEmpty()
                when (val kind = input.kind) {
                    is InputKind.Text -> Input(label, value, lines = if (kind.multiline) 3 else 1) { state.set(input.key, it) }
                    is InputKind.Choice -> {
                        Text(label, style = MaterialTheme.typography.labelLarge)
                        if (kind.many) {
                            for (o in kind.options) Pick(o.label, o.value in values[input.key].orEmpty()) { state.toggle(input.key, o.value) }
                        } else {
                            Choice(kind.options.map { it.value to it.label }, value.ifEmpty { null }) { state.set(input.key, it) }
                        }
                    }
                    is InputKind.Person -> PeoplePicker(app, kind.exclude.toSet(), value.ifEmpty { null }) { state.set(input.key, it) }
                    is InputKind.Date -> Input("$label（年-月-日）", value) { state.set(input.key, it) }
                    is InputKind.Number -> Input("$label（${kind.min}—${kind.max}）", value) { state.set(input.key, it) }
                }
            }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(
                    onClick = { onConfirm(state.formValues()) },
                    modifier = Modifier.semantics { contentDescription = "确定${form.label}" },
                ) { Text(S.CONFIRM) }
                TextButton(onClick = onCancel, modifier = Modifier.semantics { contentDescription = "取消${form.label}" }) { Text(S.CANCEL) }
            }
        }
    }
}

/** The actions offered on an item, each a button: taken at once when it asks for nothing,
 *  its form opened under the buttons otherwise. In a list, [about] names the item for
 *  TalkBack (「认定走访金牛镇葡萄种植户」). */
@OptIn(androidx.compose.foundation.layout.ExperimentalLayoutApi::class)
@Composable
fun ItemActions(app: LvzhiApp, forms: List<ActionForm>, about: String = "", take: (ActionForm, List<FormValue>) -> Boolean) {
    var open by remember(forms) { mutableStateOf<ActionForm?>(null) }
    androidx.compose.foundation.layout.FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        for (form in forms) {
            ActionButton(form.label, description = form.label + about) { if (form.inputs.isEmpty()) take(form, emptyList()) else open = form }
        }
    }
    open?.let { form ->
        ActionPanel(app, form, onCancel = { open = null }) { values -> if (take(form, values)) open = null }
    }
}

/** One option of a many-choice, ticked or not. */
@Composable
private fun Pick(label: String, picked: Boolean, onToggle: () -> Unit) {
    Row(
        // The row is the one control (the box inside only shows its state), read as 「选择…」.
        Modifier.fillMaxWidth().toggleable(value = picked, role = Role.Checkbox, onValueChange = { onToggle() })
            .semantics(mergeDescendants = true) { contentDescription = "选择$label" },
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Checkbox(checked = picked, onCheckedChange = null, modifier = Modifier.padding(Space.m))
        Text(label)
    }
}

@Composable
fun Input(label: String, value: String, lines: Int = 1, onChange: (String) -> Unit) {
    OutlinedTextField(
        value,
        onChange,
        label = { Text(label) },
        minLines = lines,
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
            Modifier.fillMaxWidth().toggleable(value = picked == p.id, role = Role.Checkbox, onValueChange = { onPick(p.id) })
                .semantics(mergeDescendants = true) { contentDescription = "选择${p.name}" },
            verticalAlignment = Alignment.CenterVertically,
        ) {
            Checkbox(checked = picked == p.id, onCheckedChange = null, modifier = Modifier.padding(Space.m))
            Text("${p.name}　${p.groups.joinToString("、")}")
        }
    }
}
