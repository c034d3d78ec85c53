package cn.lvzhi.ui

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import cn.lvzhi.core.Audience
import cn.lvzhi.core.BranchVenue
import cn.lvzhi.core.Enrolment
import cn.lvzhi.core.MeetingDraft
import cn.lvzhi.core.MeetingKind
import cn.lvzhi.core.RemoteInfo
import cn.lvzhi.core.TopicDraft
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder

/**
 * 社情民意, 网络议政, a remote consultation and 协商在基层 as rendered Compose screens, driven by
 * what TalkBack reads, on the real core and server: a member writes and submits a report on the
 * screen, staff accept, edit and send it up, the member sees what the edition changed; a post, a
 * second and a summary that marks the post used; applying to speak; a township consultation.
 */
@OptIn(ExperimentalTestApi::class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class ConsultScreensTest {
    private val h = Harness()
    private val reportTitle = "关于宾川县农村寄递物流末端网点不足的情况反映"
    private val topicTitle = "如何提升宾川县乡村学校午餐质量"
    private val meetingTitle = "“推进高原特色农业高质量发展”远程协商会"

    @BeforeAll
    fun start() = h.start()

    @AfterAll
    fun stop() = h.stop()

    private fun SkikoComposeUiTest.show(login: String) = setContent { LvzhiAppRoot(h.loggedIn(login), "测试设备") }

    @Test
    @Order(1)
    fun `a member writes a report on the screen and submits it`() = phoneUi {
        show("zhangming")
        openDuty(S.REPORTS)
        tap(S.NEW_REPORT)
        type(S.TITLE, reportTitle)
        tap(S.SUBMIT_REPORT)
        waitFor("提示：社情民意信息不能为空：请填写基本情况")
        type(S.SITUATION, "部分行政村快递只能送到乡镇，村民往返取件需一小时以上。")
        type(S.ANALYSIS, "末端网点运营成本高，单量不足。")
        type(S.SUGGESTION, "建议整合邮政、供销和客运资源，建设村级共配站点。")
        waitFor("正文", substring = true)
        screenshot("40-report-editor")
        tap(S.SUBMIT_REPORT)
        waitFor("状态：已报送")
        screenshot("41-report-submitted")
    }

    @Test
    @Order(2)
    fun `staff accept, edit and send the report up`() = phoneUi {
        h.sync("zhangming")
        h.loggedIn("chenjing")
        show("chenjing")
        openDuty(S.REPORTS)
        tap("已报送")
        onNode(hasContentDescription("社情民意：$reportTitle", substring = true)).performClick()
        waitForIdle()
        tap("受理")
        waitFor("状态：已受理")
        type("期号", "2027年第4期")
        tap("编发")
        waitFor("状态：已编发")
        tap("报送上级")
        tap("选择大理白族自治州政协")
        tap("确定报送上级")
        waitFor("状态：已报送上级")
        waitFor("记录：报送上级")
        screenshot("42-report-staff")
        tap(S.BACK)
        tap(S.REPORT_STATS)
        waitFor("统计：宾川县政协", substring = true)
        screenshot("43-report-stats")
    }

    @Test
    @Order(3)
    fun `the member posts on a topic, another seconds it, staff summarise using it`() {
        val staff = h.loggedIn("chenjing")
        val now = System.currentTimeMillis()
        val topic = staff.openTopic(
            null,
            TopicDraft(topicTitle, "全县农村学校营养改善计划覆盖三万余名学生，请委员建言。", Audience.Members(false), now, now + 86_400_000L),
        )
        h.sync("chenjing")
        phoneUi {
            show("zhangming")
            openDuty(S.TOPICS)
            onNode(hasContentDescription("议题：$topicTitle", substring = true)).performClick()
            waitForIdle()
            type("发表意见", "建议由乡镇中心校统一配送食材，降低成本。")
            tap("提交意见")
            waitFor("意见：张明，建议由乡镇中心校统一配送食材，降低成本。")
        }
        h.sync("zhangming")
        h.loggedIn("lihua")
        phoneUi {
            show("lihua")
            openDuty(S.TOPICS)
            onNode(hasContentDescription("议题：$topicTitle", substring = true)).performClick()
            waitForIdle()
            tap("附议张明的意见")
            waitFor("意见：张明，建议由乡镇中心校统一配送食材，降低成本。，附议1")
            screenshot("44-topic-seconded")
        }
        h.sync("lihua", "chenjing")
        phoneUi {
            show("chenjing")
            openDuty(S.TOPICS)
            onNode(hasContentDescription("议题：$topicTitle", substring = true)).performClick()
            waitForIdle()
            tap("结束议题")
            tap("发布综述")
            tap("选择张明：建议由乡镇中心校统一配送食材，降低成本。")
            type("综述", "委员建议由乡镇中心校统一配送食材。")
            tap("确定发布综述")
            waitFor("综述：委员建议由乡镇中心校统一配送食材。")
        }
        h.sync("chenjing", "zhangming")
        phoneUi {
            show("zhangming")
            openDuty(S.TOPICS)
            onNode(hasContentDescription("议题：$topicTitle", substring = true)).performClick()
            waitForIdle()
            waitFor("综述采用", substring = true)
            screenshot("45-topic-summary")
        }
    }

    @Test
    @Order(4)
    fun `a member applies to speak at a remote consultation and staff record a township consultation`() {
        val staff = h.loggedIn("chenjing")
        val start = System.currentTimeMillis() + 86_400_000L
        val id = staff.createMeeting(
            null,
            MeetingDraft(
                MeetingKind.CONSULTATION, meetingTitle, start, start + 3 * 3_600_000L, "县政协四楼会议室", "经济委员会",
                "一、情况通报；二、委员发言；三、部门回应", 1u, Enrolment.Invitation(listOf("demo-zhangming")), false,
                RemoteInfo("推进高原特色农业高质量发展", "县政协四楼会议室", listOf(BranchVenue("yn-12-02", "祥云县政协二楼")), "https://meeting.example.cn/j/2027"),
            ),
        )
        h.sync("chenjing", "zhangming")
        phoneUi {
            show("zhangming")
            openDuty(S.MEETING_LIST)
            onNode(hasContentDescription("会议：$meetingTitle", substring = true)).performClick()
            waitForIdle()
            tap("申请发言")
            type("书面发言", "关于发展宾川柑橘冷链物流的书面发言")
            tap("确定申请发言")
            waitFor("发言：张明")
            screenshot("46-remote-consultation")
        }
        h.sync("zhangming", "chenjing")
        phoneUi {
            show("chenjing")
            openDuty(S.GRASSROOTS)
            tap(S.RECORD_CONSULTATION)
            type("乡镇（街道）或社区", "金牛镇")
            type("协商议题", "农贸市场规范经营")
            type("参与群众人数", "42")
            tap("保存记录")
            waitFor("提示：请填写协商共识")
            type("协商共识", "划定临时摊位区，早七点至十点供农户自产自销")
            type("责任单位", "金牛镇人民政府")
            tap("保存记录")
            waitFor("基层协商：金牛镇：农贸市场规范经营　群众42人　共识1项（已落实0项）")
            tap("基层协商：金牛镇：农贸市场规范经营　群众42人　共识1项（已落实0项）")
            tap("共识1未落实")
            waitFor("提示：标记「未落实」请填写说明")
            type("落实情况说明", "临时摊位区已于3月启用")
            tap("共识1已落实")
            waitFor("基层协商：金牛镇：农贸市场规范经营　群众42人　共识1项（已落实1项）")
            screenshot("47-grassroots")
        }
        check(id.isNotEmpty())
    }
}
