// libFuzzer's driver, for an executable that has its own main (SwiftPM names the entry point
// of an executable target itself, so libFuzzer's main cannot be used). Provided by
// libclang_rt.fuzzer, linked by -sanitize=fuzzer; only the fuzz build (REEL_LIBFUZZER) calls it.
#include <stddef.h>
#include <stdint.h>

typedef int (*reel_fuzz_callback)(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, reel_fuzz_callback callback);
