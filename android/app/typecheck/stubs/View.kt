// A stub for type-checking the app shell here (scripts/test-compose): androidx is served only
// from Google's repository, which this machine cannot reach. Signatures as androidx documents
// them; nothing here runs or ships (Gradle builds the app with the real libraries).
package androidx.compose.ui.viewinterop

import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier

@Composable
fun <T : android.view.View> AndroidView(factory: (android.content.Context) -> T, modifier: Modifier = Modifier, update: (T) -> Unit = {}) {}
