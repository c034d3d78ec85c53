package cn.lvzhi.state

import cn.lvzhi.core.ActionForm
import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.FormValue
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.ProposalDetail
import cn.lvzhi.core.ProposalListener
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** One proposal with its history and exactly the actions this user's roles allow. */
class ProposalDetailState(private val app: LvzhiApp, val id: String) : AutoCloseable {
    private val _detail = MutableStateFlow<ProposalDetail?>(null)
    val detail: StateFlow<ProposalDetail?> = _detail.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    /** The last refusal, in Chinese, until the next action. */
    val error: StateFlow<String?> = _error.asStateFlow()

    private val subscription = app.observeProposal(id, object : ProposalListener {
        override fun onProposal(detail: ProposalDetail) {
            _detail.value = detail
        }
    })

    /** The actions offered now, as the core's forms (label, inputs, the proposal's options). */
    fun actions(): List<ActionForm> = _detail.value?.actions ?: emptyList()

    /** Takes the action with the form's values; a refusal lands in [error] and nothing changes. */
    fun take(kind: ActionKind, values: List<FormValue> = emptyList()): Boolean = try {
        app.takeAction(id, kind, values)
        _detail.value = app.proposal(id)
        _error.value = null
        true
    } catch (e: Exception) {
        _error.value = e.userMessage()
        false
    }

    override fun close() = subscription.close()
}
