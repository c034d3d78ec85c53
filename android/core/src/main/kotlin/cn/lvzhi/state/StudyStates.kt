package cn.lvzhi.state

import cn.lvzhi.core.ActionKind
import cn.lvzhi.core.FormValue
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.MaterialDetail
import cn.lvzhi.core.MaterialItem
import cn.lvzhi.core.MaterialListListener
import cn.lvzhi.core.News
import cn.lvzhi.core.NewsListener
import cn.lvzhi.core.ReadingView
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

// State holders for 委员学习, 线上读书 and 信息发布. Every action is applied by the core at once,
// offline; a refusal lands in `error`, in Chinese. Nothing here counts or ranks anyone.

/** 学习资料 on this device, by series (专题) and order, with whether the member studied each. */
class MaterialListState(app: LvzhiApp) : LiveListState<MaterialItem>({ app.materials() }, { on ->
    app.observeMaterials(object : MaterialListListener {
        override fun onMaterials(materials: List<MaterialItem>) = on(materials)
    })
}) {
    /** The materials grouped by series, in order (those without a series under 其他). */
    fun bySeries(): List<Pair<String, List<MaterialItem>>> =
        items.value.groupBy { it.material.series ?: "其他学习资料" }.toList()
}

/** One material: read it, mark it studied, highlight words and write private notes. */
class MaterialState(private val app: LvzhiApp, val id: String) {
    private val _detail = MutableStateFlow(load())
    val detail: StateFlow<MaterialDetail?> = _detail.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    private fun load(): MaterialDetail? = runCatching { app.material(id) }.getOrNull()

    fun studied(): Boolean = _detail.value?.study?.studiedAtMs != null

    /** 标记已学习 or 撤回资料: the core's forms on the material. */
    fun take(kind: ActionKind, values: List<FormValue> = emptyList()): Boolean =
        attempt(_error) { app.takeAction(id, kind, values) }.also { _detail.value = load() }

    /** A private note; with [quote], a highlight of those words of the text. */
    fun writeNote(text: String, quote: String? = null): Boolean =
        attempt(_error) { app.writeStudyNote(id, quote?.takeIf { it.isNotBlank() }, text) }.also { _detail.value = load() }

    /** Shares a note into a chat group (the note itself stays private). */
    fun share(noteId: String, groupId: String): Boolean = attempt(_error) { app.shareStudyNote(id, noteId, groupId) }
}

/** A reading group's page: the plan, 导读, and members' notes (one a day, never required). */
class ReadingState(private val app: LvzhiApp, val groupId: String) {
    private val _view = MutableStateFlow(load())
    val view: StateFlow<ReadingView?> = _view.asStateFlow()
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    private fun load(): ReadingView? = runCatching { app.reading(groupId) }.getOrNull()

    fun refresh() {
        _view.value = load()
    }

    fun writeNote(day: String, text: String): Boolean =
        attempt(_error) { app.writeReadingNote(groupId, day, text) }.also { refresh() }

    fun postGuide(title: String, text: String): Boolean =
        attempt(_error) { app.postGuide(groupId, title, text) }.also { refresh() }
}

/** 信息发布: the news of the member's organisation and the levels above, newest first. */
class NewsFeedState(app: LvzhiApp) : LiveListState<News>({ app.newsFeed() }, { on ->
    app.observeNews(object : NewsListener {
        override fun onNews(news: List<News>) = on(news)
    })
})

/** Staff: a study material or a news item, written and published (offline too). */
class StudyPublishState(private val app: LvzhiApp) {
    val title = MutableStateFlow("")
    val body = MutableStateFlow("")
    /** 专题 of a material, or the summary of a news item. */
    val extra = MutableStateFlow("")
    private val _error = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = _error.asStateFlow()

    /** A material for the organisation's members, in the series typed in [extra]; its id, or null. */
    fun publishMaterial(): String? {
        var id: String? = null
        attempt(_error) {
            id = app.publishMaterial(
                null,
                cn.lvzhi.core.MaterialDraft(
                    title.value, body.value, extra.value.ifBlank { null }, 0u, emptyList(), null,
                    cn.lvzhi.core.Audience.Members(false),
                ),
            )
        }
        return id
    }

    /** A news item for the organisation and those under it, [extra] as its summary; its id, or null. */
    fun publishNews(): String? {
        var id: String? = null
        attempt(_error) {
            id = app.publishNews(null, cn.lvzhi.core.NewsDraft(title.value, extra.value, body.value, null, true))
        }
        return id
    }
}
