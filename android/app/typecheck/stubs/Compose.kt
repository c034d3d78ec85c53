// A stub for type-checking the app shell here (scripts/test-compose): androidx is served only
// from Google's repository, which this machine cannot reach. Signatures as androidx documents
// them; nothing here runs or ships (Gradle builds the app with the real libraries).
package androidx.activity.compose

import androidx.activity.ComponentActivity
import androidx.activity.result.contract.ActivityResultContract
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionContext

fun ComponentActivity.setContent(parent: CompositionContext? = null, content: @Composable () -> Unit) {}

class ManagedActivityResultLauncher<I, O> { fun launch(input: I) {} }

@Composable
fun <I, O> rememberLauncherForActivityResult(contract: ActivityResultContract<I, O>, onResult: (O) -> Unit): ManagedActivityResultLauncher<I, O> = ManagedActivityResultLauncher()
