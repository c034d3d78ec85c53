#![no_main]
// See lvzhi_tests::fuzz_targets::tokenizer for what must hold.
libfuzzer_sys::fuzz_target!(|data: &[u8]| lvzhi_tests::fuzz_targets::tokenizer(data));
