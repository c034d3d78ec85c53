package cn.lvzhi.app

import android.annotation.SuppressLint
import android.content.Context
import android.graphics.ImageFormat
import android.graphics.SurfaceTexture
import android.hardware.camera2.CameraCaptureSession
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraDevice
import android.hardware.camera2.CameraManager
import android.hardware.camera2.CaptureRequest
import android.media.ImageReader
import android.os.Handler
import android.os.HandlerThread
import android.view.Surface
import android.view.TextureView
import androidx.compose.foundation.layout.Box
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.viewinterop.AndroidView
import cn.lvzhi.ui.LumaFrame
import cn.lvzhi.ui.QrCamera

/**
 * The back camera through the platform's Camera2 API: a preview on a TextureView and 640×480
 * YUV frames whose brightness plane goes to the screens' ZXing decoder. No Google camera
 * library: the platform's API is enough for reading a QR code. Used once the CAMERA permission
 * is granted ([AskForCamera] before that).
 */
class Camera2QrCamera(private val context: Context) : QrCamera {
    @Volatile private var preview: SurfaceTexture? = null

    @Composable
    override fun Preview(modifier: Modifier) {
        AndroidView(factory = { ctx ->
            TextureView(ctx).apply {
                surfaceTextureListener = object : TextureView.SurfaceTextureListener {
                    override fun onSurfaceTextureAvailable(s: SurfaceTexture, w: Int, h: Int) { preview = s }
                    override fun onSurfaceTextureSizeChanged(s: SurfaceTexture, w: Int, h: Int) {}
                    override fun onSurfaceTextureDestroyed(s: SurfaceTexture): Boolean { preview = null; return true }
                    override fun onSurfaceTextureUpdated(s: SurfaceTexture) {}
                }
            }
        }, modifier = modifier)
    }

    @SuppressLint("MissingPermission") // MainActivity asks for CAMERA before offering the camera.
    override fun start(onFrame: (LumaFrame) -> Unit): AutoCloseable {
        val thread = HandlerThread("lvzhi-camera").apply { start() }
        val handler = Handler(thread.looper)
        val manager = context.getSystemService(CameraManager::class.java)
        val id = manager.cameraIdList.firstOrNull {
            manager.getCameraCharacteristics(it).get(CameraCharacteristics.LENS_FACING) == CameraCharacteristics.LENS_FACING_BACK
        } ?: manager.cameraIdList.firstOrNull()
        val reader = ImageReader.newInstance(WIDTH, HEIGHT, ImageFormat.YUV_420_888, 2)
        reader.setOnImageAvailableListener({ r ->
            val image = r.acquireLatestImage() ?: return@setOnImageAvailableListener
            try {
                // The Y plane, row by row without the row stride's padding.
                val plane = image.planes[0]
                val luma = ByteArray(image.width * image.height)
                val buffer = plane.buffer
                for (row in 0 until image.height) {
                    buffer.position(row * plane.rowStride)
                    buffer.get(luma, row * image.width, image.width)
                }
                onFrame(LumaFrame(luma, image.width, image.height))
            } finally {
                image.close()
            }
        }, handler)
        var device: CameraDevice? = null
        if (id != null) {
            manager.openCamera(id, object : CameraDevice.StateCallback() {
                override fun onOpened(camera: CameraDevice) {
                    device = camera
                    val targets = listOfNotNull(reader.surface, preview?.let { it.setDefaultBufferSize(WIDTH, HEIGHT); Surface(it) })
                    @Suppress("DEPRECATION")
                    camera.createCaptureSession(targets, object : CameraCaptureSession.StateCallback() {
                        override fun onConfigured(session: CameraCaptureSession) {
                            val request = camera.createCaptureRequest(CameraDevice.TEMPLATE_PREVIEW).apply {
                                targets.forEach { addTarget(it) }
                                set(CaptureRequest.CONTROL_AF_MODE, CaptureRequest.CONTROL_AF_MODE_CONTINUOUS_PICTURE)
                            }.build()
                            session.setRepeatingRequest(request, null, handler)
                        }
                        override fun onConfigureFailed(session: CameraCaptureSession) {}
                    }, handler)
                }
                override fun onDisconnected(camera: CameraDevice) = camera.close()
                override fun onError(camera: CameraDevice, error: Int) = camera.close()
            }, handler)
        }
        return AutoCloseable {
            device?.close()
            reader.close()
            thread.quitSafely()
        }
    }

    private companion object {
        const val WIDTH = 640
        const val HEIGHT = 480
    }
}

/**
 * The camera before the member has allowed it: opening 扫码签到 asks, and once allowed the
 * activity hands the screens the real camera. Pasting the code works meanwhile.
 */
class AskForCamera(private val ask: () -> Unit) : QrCamera {
    @Composable
    override fun Preview(modifier: Modifier) {
        Box(modifier, contentAlignment = Alignment.Center) { Text("请允许“履职”使用相机，以扫描签到二维码") }
    }

    override fun start(onFrame: (LumaFrame) -> Unit): AutoCloseable {
        ask()
        return AutoCloseable {}
    }
}
