package cn.lvzhi.state

import cn.lvzhi.core.ActionForm
import cn.lvzhi.core.FormValue
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * What a person has filled into one of the core's action forms. The form — its label, its
 * inputs, their options and limits — comes from the core, and the core reads what is sent
 * (a missing value comes back as 「请填写「…」」); this only keeps the values until then.
 */
class ActionFormState(val form: ActionForm) {
    private val _values = MutableStateFlow<Map<String, List<String>>>(emptyMap())
    val values: StateFlow<Map<String, List<String>>> = _values.asStateFlow()

    /** Whether the action is taken with one tap (it asks for nothing). */
    val direct: Boolean get() = form.inputs.isEmpty()

    /** Sets the one value of a text, a single choice, a person, a date or a number. */
    fun set(key: String, value: String) {
        _values.value = _values.value + (key to listOf(value))
    }

    /** Adds or removes one pick of a many-choice, keeping the order picked (the first unit leads). */
    fun toggle(key: String, value: String) {
        val now = _values.value[key].orEmpty()
        _values.value = _values.value + (key to if (value in now) now - value else now + value)
    }

    fun value(key: String): String = _values.value[key]?.firstOrNull().orEmpty()

    fun picks(key: String): List<String> = _values.value[key].orEmpty()

    /** What is sent: every value under its input's key, in the form's order. */
    fun formValues(): List<FormValue> =
        form.inputs.flatMap { input -> _values.value[input.key].orEmpty().map { FormValue(input.key, it) } }
}
