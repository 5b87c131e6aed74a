internal import CReelShims

/// glibc malloc settings for a render, where its defaults cost peak memory (issue 16 notes).
public enum ProcessMemory {
    /// glibc gives each thread that allocates its own malloc arena (up to 8 × cores), and a
    /// render has ~26 threads (stages, libavcodec's and x264's workers), so freed frames sit
    /// in many arenas' free lists at once. Two arenas hold the same live frames with less
    /// slack: the bench's 45 s job peaked 10 MiB lower (GLIBC_TUNABLES arena_max=2). Set in
    /// code, not the environment, so every run gets it. Process-wide; the first call sets it.
    public static func limitArenas() { _ = arenasLimited }
    public static let arenaLimit: Int32 = 2
    /// 1 when glibc took the setting (0 on another libc).
    private static let arenasLimited: Int32 = reel_limit_malloc_arenas(arenaLimit)

    /// Gives the pages of freed heap memory back to the system. The loudness passes' tapes
    /// (two 18 MB float tapes on the 45 s job) are freed before the first frame, but as
    /// thousands of small blocks inside the heap, which glibc keeps resident. (The 45 s job's
    /// peak, late in the render, was not measurably lower in one run; the render's start is.)
    /// Call after such a phase; costs one walk over the free lists.
    public static func returnFreedPages() { reel_return_freed_heap_pages() }
}
