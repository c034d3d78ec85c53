package cn.lvzhi.ui

import androidx.compose.runtime.mutableStateOf
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import cn.lvzhi.core.ActionForm
import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.ChoiceOption
import cn.lvzhi.core.Input
import cn.lvzhi.core.InputKind
import cn.lvzhi.core.allActions
import cn.lvzhi.core.checkAction
import cn.lvzhi.core.describeAction
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import kotlin.test.assertEquals

/**
 * Every action the core describes, rendered by the one Compose form and filled by what a
 * person taps and types (a person found by name on the real core): each submits values the
 * core accepts. So no action of the core is missing from the Android screens' form; the
 * screens only choose where each form sits.
 */
@OptIn(ExperimentalTestApi::class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActionFormsTest {
    private val h = Harness()

    @BeforeAll
    fun start() = h.start()

    @AfterAll
    fun stop() = h.stop()

    @Test
    fun `every action of the core renders and submits through the one form`() {
        val app = h.loggedIn("zhangming")
        val current = mutableStateOf<ActionForm?>(null)
        val accepted = mutableListOf<ActionKind>()
        phoneUi {
            setContent {
                current.value?.let { form ->
                    ActionPanel(app, form, onCancel = {}) { values ->
                        checkAction(form, values) // throws with the core's reason when something is missing
                        accepted += form.action
                    }
                }
            }
            for (kind in allActions()) {
                val form = withItemOptions(describeAction(kind))
                current.value = form
                waitForIdle()
                form.inputs.forEach { fill(it) }
                tap("确定${form.label}")
                assertEquals(kind, accepted.lastOrNull(), "${form.label} was not accepted")
            }
            screenshot("90-action-form-last")
        }
        assertEquals(allActions(), accepted)
    }

    /** What a person does with each kind of input. */
    private fun SkikoComposeUiTest.fill(input: Input) {
        val label = if (input.required) input.label else "${input.label}（可不填）"
        when (val kind = input.kind) {
            is InputKind.Text -> type(label, "已与承办单位电话沟通")
            is InputKind.Choice -> if (kind.many) tap("选择${kind.options.first().label}") else tap(kind.options.first().label)
            is InputKind.Person -> {
                type(S.PEOPLE_HINT, "李华")
                tap("选择李华")
            }
            is InputKind.Date -> type("$label（年-月-日）", "2026-12-31")
            is InputKind.Number -> type("$label（${kind.min}—${kind.max}）", kind.min.toString())
        }
    }

    /** The options an item gives a choice the core leaves open (its units, revisions, roster…). */
    private fun withItemOptions(form: ActionForm): ActionForm = form.copy(
        inputs = form.inputs.map { input ->
            val kind = input.kind
            if (kind is InputKind.Choice && kind.options.isEmpty()) {
                val option = when (input.key) {
                    "revision" -> ChoiceOption("1", "第1版")
                    "destinations" -> ChoiceOption("cppcc/prefecture/yn-29", "大理白族自治州政协")
                    else -> ChoiceOption("item-1", "宾川县农业农村局")
                }
                input.copy(kind = InputKind.Choice(listOf(option), kind.many))
            } else {
                input
            }
        },
    )
}
