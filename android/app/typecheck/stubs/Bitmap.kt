// A stub for type-checking the app shell here (scripts/test-compose): androidx is served only
// from Google's repository, which this machine cannot reach. Signatures as androidx documents
// them; nothing here runs or ships (Gradle builds the app with the real libraries).
package androidx.compose.ui.graphics

external fun android.graphics.Bitmap.asImageBitmap(): ImageBitmap
