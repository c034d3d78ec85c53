package cn.lvzhi.ui

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.border
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.compositionLocalOf
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp
import cn.lvzhi.core.LvzhiApp
import cn.lvzhi.state.CheckInState
import cn.lvzhi.state.CheckInUi
import cn.lvzhi.state.qrOf
import com.google.zxing.BinaryBitmap
import com.google.zxing.DecodeHintType
import com.google.zxing.PlanarYUVLuminanceSource
import com.google.zxing.ReaderException
import com.google.zxing.common.HybridBinarizer
import com.google.zxing.qrcode.QRCodeReader

/** One camera frame's brightness plane (the Y of YUV), row by row, `width` bytes a row. */
class LumaFrame(val luma: ByteArray, val width: Int, val height: Int)

/**
 * The platform's camera for scanning (Camera2 in the Android app). It shows what it sees and
 * delivers frames until the handle it returns is closed; frames arrive on its own thread.
 */
interface QrCamera {
    @Composable
    fun Preview(modifier: Modifier)

    fun start(onFrame: (LumaFrame) -> Unit): AutoCloseable
}

/** The camera, where the platform has one; without it, 扫码签到 offers pasting only. */
val LocalQrCamera = compositionLocalOf<QrCamera?> { null }

/** Reads a QR code in a camera frame with ZXing; null when the frame holds none it can read. */
object QrDecoder {
    private val hints = mapOf(DecodeHintType.TRY_HARDER to true, DecodeHintType.CHARACTER_SET to "UTF-8")

    fun decode(frame: LumaFrame): String? {
        val source = PlanarYUVLuminanceSource(frame.luma, frame.width, frame.height, 0, 0, frame.width, frame.height, false)
        return try {
            QRCodeReader().decode(BinaryBitmap(HybridBinarizer(source)), hints).text
        } catch (e: ReaderException) {
            null
        }
    }
}

/**
 * 扫码签到: the camera reads the code staff show (it names the meeting) and the core checks in
 * at once, offline; pasting the code is kept for a phone without a camera.
 */
@Composable
fun CheckInScreen(app: LvzhiApp, onBack: () -> Unit, onOpenMeeting: (String) -> Unit) {
    val state = remember { CheckInState(app) }
    val ui by state.ui.collectAsState()
    val camera = LocalQrCamera.current
    var pasted by remember { mutableStateOf("") }
    if (camera != null && ui !is CheckInUi.Done) {
        DisposableEffect(camera) {
            val handle = camera.start { frame -> QrDecoder.decode(frame)?.let { state.submit(it) } }
            onDispose { handle.close() }
        }
    }
    Column(Modifier.padding(Space.l).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(Space.m)) {
        BackButton(onBack)
        Text(S.SCAN_CHECK_IN, style = MaterialTheme.typography.titleLarge)
        when (val u = ui) {
            is CheckInUi.Done -> {
                val text = S.checkedIn(u.title)
                Text(text, style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.primary, modifier = Modifier.semantics { contentDescription = text })
                ActionButton("查看会议") { onOpenMeeting(u.meetingId) }
                return@Column
            }
            is CheckInUi.Failed -> ErrorText(u.message)
            CheckInUi.Waiting -> Unit
        }
        if (camera != null) {
            Box(Modifier.fillMaxWidth().aspectRatio(1f).border(2.dp, MaterialTheme.colorScheme.primary), contentAlignment = Alignment.Center) {
                camera.Preview(Modifier.fillMaxWidth().aspectRatio(1f))
            }
            Text(S.CHECK_IN_AIM, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.semantics { contentDescription = S.CHECK_IN_AIM })
        } else {
            Text(S.CHECK_IN_NO_CAMERA, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.semantics { contentDescription = S.CHECK_IN_NO_CAMERA })
        }
        OutlinedTextField(
            pasted, { pasted = it },
            label = { Text(S.CHECK_IN_CODE) },
            modifier = Modifier.fillMaxWidth().semantics { contentDescription = S.CHECK_IN_CODE },
        )
        Button(onClick = { state.submit(pasted) }, modifier = Modifier.semantics { contentDescription = "粘贴签到码后签到" }) { Text(S.CHECK_IN_NOW) }
    }
}

/** A QR code drawn from the core's modules, with its light margin; read out as [description]. */
@Composable
fun QrImage(text: String, description: String, side: Dp = 240.dp) {
    val matrix = remember(text) { qrOf(text) } ?: return ErrorText("签到码过长，无法生成二维码")
    val n = matrix.size.toInt()
    Canvas(Modifier.size(side).background(Color.White).semantics { contentDescription = description }) {
        val cell = size.width / (n + 8)
        for (y in 0 until n) for (x in 0 until n) {
            if (matrix.dark[y * n + x]) drawRect(Color.Black, Offset((x + 4) * cell, (y + 4) * cell), Size(cell, cell))
        }
    }
}
