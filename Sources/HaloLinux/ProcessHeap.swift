import CHaloLinux

/// The C heap of this process.
public enum ProcessHeap {
    /// Gives freed heap pages back to the kernel (malloc_trim): after a one-time burst of
    /// allocations, such as parsing the configuration, they would otherwise stay resident.
    public static func releaseFreeMemory() {
        halo_release_free_memory()
    }
}
