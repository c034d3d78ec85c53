package cn.lvzhi.ui

import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.runSkikoComposeUiTest
import androidx.compose.ui.unit.Density
import java.io.File
import javax.imageio.ImageIO

/** The server and the devices: the state-holder tests' own harness. */
typealias Harness = cn.lvzhi.state.TestServer

/** A phone: 360 × 800 dp at density 2. */
val PHONE = Size(720f, 1600f)

/** Runs a Compose UI test at a phone's size (or another), at a font scale. */
@OptIn(ExperimentalTestApi::class)
fun phoneUi(size: Size = PHONE, fontScale: Float = 1f, block: SkikoComposeUiTest.() -> Unit) =
    runSkikoComposeUiTest(size, Density(2f, fontScale), block = block)

/** Waits (a generous cap, no timing assertion) until a node with this description exists. */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.waitFor(description: String, substring: Boolean = false) {
    waitUntil(timeoutMillis = 15_000) {
        onAllNodes(hasContentDescription(description, substring = substring)).fetchSemanticsNodes().isNotEmpty()
    }
}

/** Taps the node TalkBack reads as `description` (scrolled into view first, where it scrolls). */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.tap(description: String) {
    waitFor(description)
    onNodeWithContentDescription(description).also { runCatching { it.performScrollTo() } }.performClick()
    waitForIdle()
}

/** Types into the field TalkBack reads as `field`. */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.type(field: String, text: String) {
    waitFor(field)
    onNodeWithContentDescription(field).also { runCatching { it.performScrollTo() } }.performTextInput(text)
}

/** Writes what the screen shows now to target/screenshots/NAME.png (for people; tests assert on semantics). */
@OptIn(ExperimentalTestApi::class)
fun SkikoComposeUiTest.screenshot(name: String) {
    val dir = File(System.getenv("LVZHI_SCREENSHOTS") ?: "target/screenshots").apply { mkdirs() }
    waitForIdle()
    ImageIO.write(onRoot().captureToImage().toAwtImage(), "png", File(dir, "$name.png"))
}
