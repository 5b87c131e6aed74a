internal import CReelShims

/// glibc gives each thread that allocates its own malloc arena (up to 8 × cores), and a
/// render has ~26 threads (stages, libavcodec's and x264's workers), so freed frames sit in
/// many arenas' free lists at once. Two arenas hold the same live frames with less slack:
/// the bench's 45 s job peaked 10 MiB lower (437 → 427 MiB, GLIBC_TUNABLES arena_max=2,
/// issue 16 notes) with no measurable CPU cost. Not an environment variable: a user's run
/// should get it too.
public enum MallocArenas {
    /// Caps the process's arenas at `limit` (first call only: it is a process-wide setting).
    public static func limitForRender() { _ = applied }
    public static let limit: Int32 = 2
    /// 1 when glibc took the setting (0 on another libc).
    private static let applied: Int32 = reel_limit_malloc_arenas(limit)
}
