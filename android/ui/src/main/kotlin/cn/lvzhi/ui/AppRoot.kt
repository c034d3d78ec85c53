package cn.lvzhi.ui

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.BoxWithConstraints
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.MenuBook
import androidx.compose.material.icons.automirrored.outlined.MenuBook
import androidx.compose.material.icons.filled.Description
import androidx.compose.material.icons.filled.EventNote
import androidx.compose.material.icons.filled.Forum
import androidx.compose.material.icons.filled.Home
import androidx.compose.material.icons.filled.Person
import androidx.compose.material.icons.outlined.Description
import androidx.compose.material.icons.outlined.EventNote
import androidx.compose.material.icons.outlined.Forum
import androidx.compose.material.icons.outlined.Home
import androidx.compose.material.icons.outlined.Person
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.VerticalDivider
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.core.Role
import cn.lvzhi.state.LoginState
import cn.lvzhi.state.LoginUi
import cn.lvzhi.state.ReminderSync
import cn.lvzhi.state.SyncBannerState

enum class Tab(val label: String, val icon: ImageVector, val selectedIcon: ImageVector) {
    Home(S.HOME, Icons.Outlined.Home, Icons.Filled.Home),
    Proposals(S.PROPOSALS, Icons.Outlined.Description, Icons.Filled.Description),
    Meetings(S.MEETINGS, Icons.Outlined.EventNote, Icons.Filled.EventNote),
    Study(S.STUDY, Icons.AutoMirrored.Outlined.MenuBook, Icons.AutoMirrored.Filled.MenuBook),
    Groups(S.GROUPS, Icons.Outlined.Forum, Icons.Filled.Forum),
    Mine(S.MINE, Icons.Outlined.Person, Icons.Filled.Person),
}

/** Where the user is: a tab, and within it an open proposal, draft, group, notice or meeting. */
class Navigation {
    var tab by mutableStateOf(Tab.Home)
    var scanning by mutableStateOf(false)
    var recordYear by mutableStateOf(java.time.Year.now(java.time.ZoneId.of("Asia/Shanghai")).value)
    var proposal by mutableStateOf<String?>(null)
    var editing by mutableStateOf(false)
    var group by mutableStateOf<String?>(null)
    var notice by mutableStateOf<String?>(null)
    var meeting by mutableStateOf<String?>(null)
    var mine by mutableStateOf<Mine?>(null)
    var publishing by mutableStateOf(false)
    var duty by mutableStateOf(DutyPage.Meetings)
    var report by mutableStateOf<String?>(null)
    var reportEditing by mutableStateOf(false)
    var topic by mutableStateOf<String?>(null)
    var study by mutableStateOf(StudyPage.Materials)
    var material by mutableStateOf<String?>(null)
    var reading by mutableStateOf<String?>(null)
    var news by mutableStateOf<String?>(null)
    var studyPublishing by mutableStateOf(false)

    /**
     * Opens the item a 待办 or a reminder names (`notice`, `meeting`, `proposal`): from a row of
     * the home page, or from the system's notification the member tapped.
     */
    fun open(entity: String, id: String) {
        scanning = false
        when (entity) {
            "notice" -> { notice = id; duty = DutyPage.Notices; tab = Tab.Meetings }
            "meeting" -> { meeting = id; duty = DutyPage.Meetings; tab = Tab.Meetings }
            else -> { proposal = id; editing = false; tab = Tab.Proposals }
        }
    }
}

/** The pages of the 履职 tab: meetings, notices and the consultation work. */
enum class DutyPage(val label: String) {
    Meetings(S.MEETING_LIST),
    Notices(S.NOTICE_BOARD),
    Reports(S.REPORTS),
    Topics(S.TOPICS),
    Grassroots(S.GRASSROOTS),
}

/**
 * The whole app under the sync banner: login, then 首页 (待办, unread notices, the week's meetings,
 * news, shortcuts), 提案, 履职 (会议活动, 通知公告, 社情民意, 网络议政, 基层协商), 学习 (学习资料, 读书,
 * 信息), 群聊 and 我的 (履职档案, 自主履职, 意见建议, 搜索, 待发送, 存储空间, 设置). Wider than [WIDE]
 * (a PC for staff, a tablet), lists and the open item sit side by side. The platform's parts
 * (camera, pickers, notifications, share sheet) come as composition locals; where one is
 * missing, the screens leave out what needs it.
 */
@Composable
fun LvzhiAppRoot(app: LvzhiApp, deviceName: String, nav: Navigation = remember { Navigation() }) {
    val login = remember { LoginState(app) }
    val ui by login.ui.collectAsState()
    LvzhiTheme {
        if (ui !is LoginUi.LoggedIn) {
            LoginScreen(login, deviceName)
            return@LvzhiTheme
        }
        val banner = remember { SyncBannerState(app) }
        DisposableEffect(Unit) { onDispose { banner.close() } }
        // The system's notifications follow the core's schedule after every sync and action.
        val scheduler = LocalReminderScheduler.current
        DisposableEffect(scheduler) {
            val sync = scheduler?.let { ReminderSync(app, it) }
            onDispose { sync?.close() }
        }
        // The push token again after every login: logging out made the core forget it.
        val push = LocalPushTokens.current
        LaunchedEffect(push) { push?.register() }
        Scaffold(
            topBar = { SyncBannerBar(banner) },
            bottomBar = {
                NavigationBar {
                    for (t in Tab.entries) {
                        NavigationBarItem(
                            selected = nav.tab == t,
                            onClick = { nav.tab = t; nav.scanning = false },
                            icon = { Icon(if (nav.tab == t) t.selectedIcon else t.icon, contentDescription = null) },
                            label = { Text(t.label, maxLines = 1) },
                            modifier = Modifier.semantics { contentDescription = "${t.label}标签" },
                        )
                    }
                }
            },
        ) { padding ->
            BoxWithConstraints(Modifier.padding(padding)) {
                val wide = maxWidth >= WIDE
                if (nav.scanning) {
                    CheckInScreen(app, onBack = { nav.scanning = false }) { id ->
                        nav.scanning = false; nav.meeting = id; nav.duty = DutyPage.Meetings; nav.tab = Tab.Meetings
                    }
                    return@BoxWithConstraints
                }
                when (nav.tab) {
                    Tab.Home -> HomeScreen(app, homeActions(nav))
                    Tab.Proposals -> ProposalsTab(app, nav, wide)
                    Tab.Groups -> GroupsTab(app, nav, wide)
                    Tab.Meetings -> DutyTab(app, nav)
                    Tab.Study -> StudyTab(app, nav)
                    Tab.Mine -> MineTab(app, nav, login)
                }
            }
        }
    }
}

/** Where each row and shortcut of the home page leads. */
private fun homeActions(nav: Navigation) = HomeActions(
    openReminder = { r -> openReminder(nav, r) },
    openNotice = { nav.notice = it; nav.duty = DutyPage.Notices; nav.tab = Tab.Meetings },
    allNotices = { nav.notice = null; nav.duty = DutyPage.Notices; nav.tab = Tab.Meetings },
    openMeeting = { nav.meeting = it; nav.duty = DutyPage.Meetings; nav.tab = Tab.Meetings },
    openNews = { nav.news = it; nav.study = StudyPage.News; nav.tab = Tab.Study },
    outbox = { nav.mine = Mine.Outbox; nav.tab = Tab.Mine },
    newProposal = { nav.proposal = null; nav.editing = true; nav.tab = Tab.Proposals },
    newReport = { nav.report = null; nav.reportEditing = true; nav.duty = DutyPage.Reports; nav.tab = Tab.Meetings },
    scan = { nav.scanning = true },
)

private fun openReminder(nav: Navigation, r: cn.lvzhi.core.Reminder) = nav.open(r.entity, r.id)

@Composable
private fun NoticesPage(app: LvzhiApp, nav: Navigation) {
    val open = nav.notice
    if (nav.publishing) {
        PublishNoticeScreen(app) { id -> nav.publishing = false; nav.notice = id }
        return
    }
    if (open != null) {
        NoticeDetailScreen(app, open) { nav.notice = null }
        return
    }
    val isStaff = remember { app.me()?.roles?.any { it.role == Role.PROPOSAL_STAFF || it.role == Role.ORG_ADMIN } == true }
    NoticesScreen(
        app,
        onOpenNotice = { nav.notice = it },
        onPublish = if (isStaff) ({ nav.publishing = true }) else null,
    )
}

@Composable
private fun DutyTab(app: LvzhiApp, nav: Navigation) {
    Column {
        // One scrolling row of pages, so the page itself keeps the screen's height on a phone.
        Row(Modifier.horizontalScroll(rememberScrollState()).padding(horizontal = 12.dp)) {
            for (page in DutyPage.entries) {
                FilterChip(
                    selected = nav.duty == page,
                    onClick = { nav.duty = page },
                    label = { Text(page.label) },
                    modifier = Modifier.padding(end = 6.dp).semantics { contentDescription = page.label },
                )
            }
        }
        when (nav.duty) {
            DutyPage.Meetings -> nav.meeting?.let { MeetingDetailScreen(app, it) { nav.meeting = null } }
                ?: MeetingListScreen(app) { nav.meeting = it }
            DutyPage.Notices -> NoticesPage(app, nav)
            DutyPage.Reports -> {
                val open = nav.report
                when {
                    nav.reportEditing -> ReportEditorScreen(app, open) { id -> nav.reportEditing = false; nav.report = id }
                    open != null -> ReportDetailScreen(app, open, onBack = { nav.report = null }, onEdit = { nav.reportEditing = true })
                    else -> ReportListScreen(app, onOpen = { nav.report = it }, onNew = { nav.report = null; nav.reportEditing = true })
                }
            }
            DutyPage.Topics -> nav.topic?.let { TopicDetailScreen(app, it) { nav.topic = null } }
                ?: TopicListScreen(app) { nav.topic = it }
            DutyPage.Grassroots -> GrassrootsScreen(app)
        }
    }
}

@Composable
private fun MineTab(app: LvzhiApp, nav: Navigation, login: LoginState) {
    val back = { nav.mine = null }
    when (nav.mine) {
        null -> MineScreen(remember { app.me()?.name }) { nav.mine = it }
        Mine.Record -> DutyRecordScreen(app, nav.recordYear, back) { nav.recordYear = it }
        Mine.Settings -> SettingsScreen(app, login, back)
        Mine.MyFile -> MyFileScreen(app, back)
        Mine.Contacts -> ContactsScreen(app, back) { openReport(nav, it) }
        Mine.Studio -> StudioDutyScreen(app, back) { openReport(nav, it) }
        Mine.Directory -> DirectoryScreen(app, back)
        Mine.SelfReports -> SelfReportScreen(app, back)
        Mine.Feedback -> FeedbackScreen(app, back)
        Mine.Search -> Column {
            BackButton(back)
            SearchScreen(
                app,
                onOpenProposal = { nav.proposal = it; nav.tab = Tab.Proposals },
                onOpenGroup = { nav.group = it; nav.tab = Tab.Groups },
                onOpenConsult = { kind, id ->
                    if (kind == S.REPORTS) { nav.duty = DutyPage.Reports; nav.report = id } else { nav.duty = DutyPage.Topics; nav.topic = id }
                    nav.tab = Tab.Meetings
                },
            )
        }
        Mine.Storage -> StorageScreen(app, back)
        Mine.Outbox -> Column {
            BackButton(back)
            OutboxScreen(app)
        }
    }
}

/** A 社情民意 draft just made (from a contact or a studio message), opened in its editor. */
private fun openReport(nav: Navigation, id: String) {
    nav.duty = DutyPage.Reports
    nav.report = id
    nav.reportEditing = true
    nav.tab = Tab.Meetings
}

/** From this width on, list and detail are shown side by side. */
val WIDE = 840.dp

@Composable
private fun ProposalsTab(app: LvzhiApp, nav: Navigation, wide: Boolean) {
    val isMember = remember { app.me()?.roles?.any { it.role == Role.MEMBER } == true }
    val onNew: (() -> Unit)? = if (isMember) ({ nav.proposal = null; nav.editing = true }) else null
    val detail: @Composable (Boolean) -> Unit = { showBack ->
        val open = nav.proposal
        when {
            nav.editing -> ProposalEditorScreen(app, open) { id -> nav.editing = false; nav.proposal = id }
            open != null -> ProposalDetailScreen(app, open, onEdit = { nav.editing = true }, onBack = if (showBack) ({ nav.proposal = null }) else null)
            else -> Text("选择左侧的提案", modifier = Modifier.padding(24.dp))
        }
    }
    if (wide) {
        Row {
            Column(Modifier.width(360.dp).fillMaxHeight()) { ProposalListScreen(app, onOpen = { nav.editing = false; nav.proposal = it }, onNew = onNew) }
            VerticalDivider()
            Column(Modifier.weight(1f)) { detail(false) }
        }
    } else if (nav.editing || nav.proposal != null) {
        detail(true)
    } else {
        ProposalListScreen(app, onOpen = { nav.proposal = it }, onNew = onNew)
    }
}

@Composable
private fun GroupsTab(app: LvzhiApp, nav: Navigation, wide: Boolean) {
    val open = nav.group
    if (wide) {
        Row {
            Column(Modifier.width(320.dp).fillMaxHeight()) { GroupListScreen(app) { nav.group = it } }
            VerticalDivider()
            Column(Modifier.weight(1f)) {
                if (open != null) ChatScreen(app, open, onBack = null) else Text("选择左侧的学习交流群", modifier = Modifier.padding(24.dp))
            }
        }
    } else if (open != null) {
        ChatScreen(app, open) { nav.group = null }
    } else {
        GroupListScreen(app) { nav.group = it }
    }
}
