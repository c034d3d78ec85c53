// 履职 Android: :core holds the generated UniFFI bindings, the Rust library (built with
// cargo-ndk) and the Kotlin state holders; :app holds the Jetpack Compose screens.
plugins {
    id("com.android.application") version "8.7.3" apply false
    id("com.android.library") version "8.7.3" apply false
    id("org.jetbrains.kotlin.android") version "2.1.0" apply false
    id("org.jetbrains.kotlin.plugin.compose") version "2.1.0" apply false
}
