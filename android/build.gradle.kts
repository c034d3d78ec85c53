// 履职 Android: :core holds the generated UniFFI bindings, the Rust library (built with
// cargo-ndk) and the Kotlin state holders; :ui the Compose screens (no Android classes: the
// desktop JVM builds and tests the same sources, scripts/test-compose); :app only the Activity
// and Android wiring.
plugins {
    id("com.android.application") version "8.7.3" apply false
    id("com.android.library") version "8.7.3" apply false
    id("org.jetbrains.kotlin.android") version "2.1.0" apply false
    id("org.jetbrains.kotlin.plugin.compose") version "2.1.0" apply false
}
