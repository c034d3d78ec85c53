package cn.lvzhi.state

import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.Person
import cn.lvzhi.core.Role
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** Picks people (联名, @提醒) by name, 界别 or 专委会; members only unless told otherwise. */
class PeoplePickerState(
    private val app: LvzhiApp,
    private val membersOnly: Boolean = true,
    private val exclude: Set<String> = emptySet(),
) {
    private val _people = MutableStateFlow(find(""))
    val people: StateFlow<List<Person>> = _people.asStateFlow()

    fun query(text: String) {
        _people.value = find(text)
    }

    private fun find(text: String): List<Person> = runCatching { app.searchPeople(text.trim()) }
        .getOrDefault(emptyList())
        .filter { (!membersOnly || it.role == Role.MEMBER) && it.id !in exclude }
}
