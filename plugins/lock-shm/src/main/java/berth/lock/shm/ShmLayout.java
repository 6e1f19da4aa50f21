package berth.lock.shm;

/**
 * shm_lock.h's shm_struct_t on x86-64 glibc, where a pthread_mutex_t is 40 bytes aligned to 8:
 * {@code uint16 magic; uint16 unused; pthread_mutex_t segment_lock; uint32 num_bitmaps;
 * uint32 num_locks; lock_group_t locks[]}, and a lock group is {@code uint32 bitmap} (padded to 8)
 * then 32 mutexes.
 *
 * @param numBitmaps lock groups in the segment (num_locks rounded up to 32, divided by 32)
 */
record ShmLayout(int numBitmaps) {
    static final int MAGIC = 0x87D1;
    static final int MUTEX_SIZE = 40;
    static final int BITMAP_BITS = 32;
    static final long MAGIC_OFFSET = 0;
    static final long SEGMENT_LOCK_OFFSET = 8;
    static final long NUM_BITMAPS_OFFSET = SEGMENT_LOCK_OFFSET + MUTEX_SIZE;
    static final long NUM_LOCKS_OFFSET = NUM_BITMAPS_OFFSET + 4;
    static final long GROUPS_OFFSET = NUM_LOCKS_OFFSET + 4;
    /** The bitmap, padded to the mutexes' alignment, then 32 mutexes. */
    static final long GROUP_SIZE = 8 + (long) BITMAP_BITS * MUTEX_SIZE;

    /** The layout for {@code numLocks} locks, as podman rounds them up. */
    static ShmLayout forLocks(int numLocks) {
        return new ShmLayout((numLocks + BITMAP_BITS - 1) / BITMAP_BITS);
    }

    int numLocks() {
        return numBitmaps * BITMAP_BITS;
    }

    long size() {
        return GROUPS_OFFSET + numBitmaps * GROUP_SIZE;
    }

    long bitmapOffset(int group) {
        return GROUPS_OFFSET + group * GROUP_SIZE;
    }

    long mutexOffset(int number) {
        return bitmapOffset(number / BITMAP_BITS) + 8 + (long) (number % BITMAP_BITS) * MUTEX_SIZE;
    }
}
