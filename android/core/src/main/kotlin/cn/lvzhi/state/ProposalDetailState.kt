package cn.lvzhi.state

import cn.lvzhi.core.CommandKind
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.ProposalCommand
import cn.lvzhi.core.ProposalDetail
import cn.lvzhi.core.ProposalListener
import cn.lvzhi.core.commandLabel
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

    /** The buttons: each allowed command with its label. */
    fun actions(): List<Pair<CommandKind, String>> =
        _detail.value?.commands?.map { it to commandLabel(it) } ?: emptyList()

    /** Takes the action; a refusal lands in [error] and nothing changes. */
    fun perform(command: ProposalCommand): Boolean = try {
        _detail.value = app.perform(id, command)
        _error.value = null
        true
    } catch (e: Exception) {
        _error.value = e.userMessage()
        false
    }

    override fun close() = subscription.close()
}
