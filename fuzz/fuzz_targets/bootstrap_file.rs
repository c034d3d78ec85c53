#![no_main]
// See lvzhi_tests::fuzz_targets::bootstrap_file for what must hold.
libfuzzer_sys::fuzz_target!(|data: &[u8]| lvzhi_tests::fuzz_targets::bootstrap_file(data));
