package cn.lvzhi.state

import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.FormValue
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.Subscription
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

// The two shapes every screen's state takes: a list the core keeps current, and one item
// reloaded after each action taken on it. Feature holders name their list or add what is
// theirs (a filter, a code to fetch); the mechanics are written once, here.

/**
 * A list the core keeps current: read at once from the device's database, then replaced by
 * every update the core's listener sends (`subscribe` wires one listener type to it).
 */
open class LiveListState<T>(initial: () -> List<T>, subscribe: ((List<T>) -> Unit) -> Subscription) : AutoCloseable {
    private val _items = MutableStateFlow(runCatching(initial).getOrDefault(emptyList()))
    val items: StateFlow<List<T>> = _items.asStateFlow()

    private val subscription = subscribe { _items.value = it }

    override fun close() = subscription.close()
}

/**
 * One item (a meeting, a notice, a report…) as its screen shows it: loaded through `load`,
 * reloaded after each action on it, and the last refusal in Chinese in [error]. Its actions
 * are the core's forms in the item itself, taken with [take].
 */
open class DetailState<T : Any>(protected val app: LvzhiApp, val id: String, private val load: (LvzhiApp, String) -> T) {
    private val _detail = MutableStateFlow<T?>(null)
    val detail: StateFlow<T?> = _detail.asStateFlow()
    protected val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    init {
        refresh()
    }

    fun refresh() {
        attempt(_error) { _detail.value = load(app, id) }
    }

    /** Runs `block` (an action of the core), then shows the item as it is now. */
    protected fun act(block: () -> Unit): Boolean = attempt(_error) {
        block()
        _detail.value = load(app, id)
    }

    /** Takes one of the core's actions on this item (or [on] one of its parts: a post of a
     *  topic) with its form's values (none for a tap). */
    fun take(kind: ActionKind, values: List<FormValue> = emptyList(), on: String = id): Boolean =
        act { app.takeAction(on, kind, values) }
}
