package cn.lvzhi.ui

import cn.lvzhi.core.ConsensusStatus
import cn.lvzhi.core.EntryStatus
import cn.lvzhi.core.Level
import cn.lvzhi.core.InvitationStatus
import cn.lvzhi.core.ProposalState
import cn.lvzhi.core.ReplyOption
import cn.lvzhi.core.consensusStatusLabel
import cn.lvzhi.core.entryStatusLabel
import cn.lvzhi.core.invitationStatusLabel
import cn.lvzhi.core.levelLabel
import cn.lvzhi.core.proposalStateLabel
import cn.lvzhi.core.replyOptionLabel
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter

/**
 * Every string the screens show, in one place (as iOS's Strings.swift): Simplified Chinese.
 * Sentences about rules come from the core, never from here.
 */
object S {
    const val APP_NAME = "履职"
    const val ACCOUNT = "账号"
    const val PASSWORD = "密码"
    const val LOGIN = "登录"
    const val LOGOUT = "退出登录"
    const val PROPOSALS = "提案"
    // Tab labels are two characters: six fit on one line of a 360 dp phone at twice the text size.
    const val GROUPS = "群聊"
    const val SEARCH = "搜索"
    const val OUTBOX = "待发送"
    const val NEW_PROPOSAL = "起草提案"
    const val NO_PROPOSALS = "还没有提案，点“起草提案”开始"
    const val TITLE = "标题"
    const val CATEGORY = "类别"
    const val CAUSE = "案由"
    const val SUGGESTIONS = "建议"
    const val UNSAVED = "未保存"
    const val BACK = "返回"
    const val DONE = "完成"
    const val EDIT = "编辑草稿"
    const val HISTORY = "办理记录"
    const val CO_PROPOSERS = "联名委员"
    const val ASSIGNMENTS = "承办单位与答复"
    const val EVALUATIONS = "测评"
    const val REVISIONS = "历史版本"
    const val RESTORE = "恢复此版本"
    const val CONFLICT = "另一台设备的版本"
    const val ACTIONS = "可执行的操作"
    const val CANCEL = "取消"
    const val CONFIRM = "确定"
    const val SEND = "发送"
    const val MESSAGE_HINT = "写消息…"
    const val SENDING = "发送中"
    const val RETRY_ALL = "全部重新发送"
    const val REPLY = "回复"
    const val RECALL = "撤回"
    const val DELETE = "删除"
    const val MENTION = "@提醒"
    const val SEARCH_HINT = "输入关键词，一两个字也可以"
    const val NOTHING_FOUND = "没有找到"
    const val MESSAGES = "群消息"
    const val OUTBOX_EMPTY = "没有待发送的操作"
    const val RETRY = "重新发送"
    const val DISCARD = "放弃"
    const val PEOPLE_HINT = "按姓名、界别或专委会查找"
    const val UNITS = "承办单位"
    const val DEADLINE = "办理期限"
    const val NOTE = "说明"
    const val CONVERT_TO = "转为"
    const val PROPOSAL_ID = "并案的提案"
    const val NO_GROUPS = "还没有加入学习交流群。工作人员建群后，群会出现在这里"
    const val STAFF_DESK = "履职 · 提案工作台"
    const val NOTICES = "通知"
    /** The bottom tab of the member's duties: meetings and the consultation work. */
    const val MEETINGS = "履职"
    const val MEETING_LIST = "会议活动"
    const val REPORTS = "社情民意"
    const val TOPICS = "网络议政"
    const val GRASSROOTS = "基层协商"
    const val NEW_REPORT = "写社情民意"
    const val NO_REPORTS = "暂无社情民意信息。点“写社情民意”反映身边的社情民意"
    const val NO_TOPICS = "暂无网络议政议题。政协发布议题后，可在这里发表意见"
    const val NO_CONSULTATIONS = "暂无基层协商记录。点“记录基层协商”记下协商的议题和共识"
    const val SITUATION = "基本情况"
    const val ANALYSIS = "问题分析"
    const val SUGGESTION = "意见建议"
    const val SAVE_DRAFT = "保存草稿"
    const val SUBMIT_REPORT = "报送"
    const val OPEN_TOPIC = "发布议题"
    const val REPORT_STATS = "社情民意统计"
    const val RECORD_CONSULTATION = "记录基层协商"
    const val MINE = "我的"
    const val STUDY = "学习"
    const val MATERIALS = "学习资料"
    const val READING = "读书"
    const val NEWS = "信息"
    const val NO_MATERIALS = "暂无学习资料。政协发布的学习资料会出现在这里"
    const val NO_NEWS = "暂无信息。政协发布的工作信息会出现在这里"
    const val NO_READING_GROUPS = "您还没有加入读书群。读书群由工作人员组建"
    const val NO_PLAN = "本群还没有读书计划"
    const val STUDIED = "已学习"
    const val MARK_STUDIED = "标记已学习"
    const val STUDY_NOTE = "学习笔记"
    const val NOTE_HINT = "写下学习体会（仅自己可见）"
    const val HIGHLIGHT = "标注原文（可选）"
    const val SAVE_NOTE = "保存笔记"
    const val MY_NOTES = "我的笔记"
    const val VIDEO = "视频"
    const val ATTACHMENTS = "附件"
    const val READING_PLAN = "读书计划"
    const val LEAD_READERS = "领读人"
    const val GUIDES = "导读"
    const val READING_NOTES = "读书心得"
    const val READING_NOTE_HINT = "今天读了什么、有什么体会（自愿填写）"
    const val SAVE_READING_NOTE = "保存今天的心得"
    const val STORAGE = "存储空间"
    const val CLEAR_CACHE = "清理缓存"
    const val CACHE_NOTE = "清理后，保留的文件和尚未上传的文件不受影响；其他文件需要时可重新下载。"
    const val TRANSFERS = "上传和下载"
    const val NO_TRANSFERS = "没有进行中的上传或下载"
    const val ATTACH = "添加附件"
    const val WAITING_FOR_FILES = "等待附件上传完成后发送"
    const val PUBLISH_MATERIAL = "发布学习资料"
    const val PUBLISH_NEWS = "发布信息"
    const val SERIES = "专题（可选）"
    const val SUMMARY = "摘要（可选）"
    const val TEXT_BODY = "正文"
    const val PUBLISH_NOW = "发布"
    const val DOWNLOAD = "下载"
    const val OPEN = "已下载"
    const val DUE_LIST = "待办"
    const val HOME = "首页"
    const val NOTICE_BOARD = "通知公告"
    const val UNREAD_NOTICES = "未读通知"
    const val ALL_NOTICES = "全部通知"
    const val WEEK_MEETINGS = "近七日会议活动"
    const val LATEST_NEWS = "要闻"
    const val WRITE_PROPOSAL = "写提案"
    const val WRITE_REPORT = "社情民意"
    const val SCAN_CHECK_IN = "扫码签到"
    const val NOTHING_DUE_HOME = "暂无待办，需要您处理的事项会出现在这里"
    const val NO_UNREAD = "通知都已读过"
    const val NO_WEEK_MEETINGS = "近七日没有会议活动"
    const val NO_OLDER = "没有更早的消息了"
    const val LOAD_OLDER = "加载更早的消息"
    const val SETTINGS = "设置"
    const val REMINDERS = "提醒"
    const val REMINDERS_NOTE = "在手机通知栏提醒待办事项。晚22点至早7点不提醒，已办理的事项不再提醒。"
    const val PUSH = "推送通知"
    const val PUSH_NOTE = "手机未打开本应用时，由服务器推送新通知、会议邀请、提案答复等的条数；打开后显示具体内容。设置在您登录的各部手机上同步。"
    const val PUSH_ALL = "接收推送通知"
    const val CHECK_IN_AIM = "将签到二维码放入取景框内，识别后自动签到，无需网络"
    const val CHECK_IN_NO_CAMERA = "本设备没有可用的相机，请粘贴签到码"
    const val CHECK_IN_CODE = "签到码"
    const val CHECK_IN_NOW = "签到"
    const val PREVIOUS_YEAR = "上一年"
    const val NEXT_YEAR = "下一年"
    const val SHARE_REPORT = "分享年度履职报告"
    const val NOTHING_DUE = "暂无待办事项"
    const val NO_NOTICES = "暂无通知"
    const val NO_NOTICES_HINT = "暂无通知。政协发布的通知公告会出现在这里，需要回执的也会列入首页待办"
    const val NO_MEETINGS = "暂无会议活动"
    const val NO_MEETINGS_HINT = "暂无会议活动。收到会议邀请或有可报名的活动时会出现在这里"
    const val UNREAD = "未读"
    const val CORRECTED = "已更正"
    const val WITHDRAWN = "已撤回"
    const val RECEIPT = "回执"
    const val HISTORY_NOTICE = "发布与更正记录"
    const val RECORD = "履职档案"
    const val PUBLISH = "发布通知"
    const val SELF_REPORTS = "自主履职"
    const val FEEDBACK = "意见建议"
    const val MY_FILE = "我的档案"
    const val NO_FILE = "工作人员尚未建立您的委员档案"
    const val FILE_PRIVATE = "联系电话仅您本人和本组织工作人员可见；委员名录只显示姓名、界别、专委会和单位职务。"
    const val ASK_CORRECTION = "申请更正"
    const val CONTACTS = "联络联系"
    const val CONTACTS_PRIVATE = "联系名册和联系记录仅您本人可见；履职档案只统计联系人数。"
    const val STUDIO = "工作室值班"
    const val DIRECTORY = "委员名录"
    const val SIMILAR = "相似提案"
    const val SIMILAR_NOTE = "以下提案与您正在起草的内容相近，可参考其办理情况和答复，避免重复提出。"

    fun unsentWork(n: Int) = "有${n}项尚未发送，联网后自动发送"
    fun logoutLoses(n: Int) = "还有${n}项尚未发送。现在退出，这些内容将从本机删除且无法找回。"
    fun checkedIn(title: String) = if (title.isEmpty()) "签到成功" else "签到成功：$title"
    fun dueBy(ms: Long) = "${time(ms)}前"

    fun savedRevision(n: Int) = "已保存第${n}版"
    fun unread(n: Int) = "${n}条未读"
    fun mentions(n: Int) = "${n}条@我"
    fun failed(reason: String) = "发送失败：$reason"
    fun refused(reason: String) = "被退回：$reason"
    fun waitingBehind(id: Long, reason: String) = "待发送：排在被退回的第${id}项之后（$reason）"
    fun repliedTo(name: String) = "回复 $name"
    fun revision(n: Int, title: String) = "第${n}版　$title"
    fun restoredFrom(n: Int) = "恢复自第${n}版"
    fun recalled(name: String) = "${name}撤回了一条消息"
    fun deadline(ms: Long) = "办理期限：${date(ms)}"
    fun firstContactDue(ms: Long) = "应于${date(ms)}前联系委员"
    fun contacted(ms: Long) = "已于${date(ms)}联系委员"

    // Labels of states and kinds are the core's (one wording in every shell).
    fun state(s: ProposalState): String = proposalStateLabel(s)

    fun level(l: Level): String = levelLabel(l)

    fun consensus(s: ConsensusStatus): String = consensusStatusLabel(s)

    fun reply(o: ReplyOption): String = replyOptionLabel(o)

    /** Which point rules gave a figure: the built-in defaults are version 0. */
    fun ruleVersion(v: Int): String = if (v == 0) "默认积分规则" else "积分规则第${v}版"

    fun entryStatus(s: EntryStatus): String = entryStatusLabel(s)

    /** A day typed as 年-月-日, as the start of that day in China; null when it is not one. */
    fun parseDate(text: String): Long? = runCatching {
        java.time.LocalDate.parse(text.trim()).atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant().toEpochMilli()
    }.getOrNull()

    fun invitation(s: InvitationStatus): String = invitationStatusLabel(s)

    private val day = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.of("Asia/Shanghai"))
    private val minute = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"))

    fun date(ms: Long): String = day.format(Instant.ofEpochMilli(ms))
    fun time(ms: Long): String = minute.format(Instant.ofEpochMilli(ms))
}
