pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
        // The Huawei and Honor push SDKs (android/app/PUSH.md), each asked only for its own groups.
        maven("https://developer.huawei.com/repo/") { content { includeGroupByRegex("com\\.huawei\\..*") } }
        maven("https://developer.hihonor.com/repo") { content { includeGroupByRegex("com\\.hihonor\\..*") } }
    }
}
rootProject.name = "Lvzhi"
include(":core", ":ui", ":app")
