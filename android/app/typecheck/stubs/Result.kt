// A stub for type-checking the app shell here (scripts/test-compose): androidx is served only
// from Google's repository, which this machine cannot reach. Signatures as androidx documents
// them; nothing here runs or ships (Gradle builds the app with the real libraries).
package androidx.activity.result.contract

abstract class ActivityResultContract<I, O>

class ActivityResultContracts {
    open class GetContent : ActivityResultContract<String, android.net.Uri?>()
}
