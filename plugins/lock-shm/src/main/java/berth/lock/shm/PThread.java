package berth.lock.shm;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** The pthread calls of shm_lock.c, bound by JNA direct mapping (libc holds them since glibc 2.34). */
final class PThread {
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    static final int EOWNERDEAD = 130;
    static final int PTHREAD_PROCESS_SHARED = 1;
    static final int PTHREAD_MUTEX_ROBUST = 1;

    static {
        Native.register(PThread.class, Platform.C_LIBRARY_NAME);
    }

    private PThread() {
    }

    static native int pthread_mutex_lock(Pointer mutex);

    static native int pthread_mutex_trylock(Pointer mutex);

    static native int pthread_mutex_unlock(Pointer mutex);

    static native int pthread_mutex_consistent(Pointer mutex);

    static native int pthread_mutex_init(Pointer mutex, Pointer attr);

    static native int pthread_mutexattr_init(Pointer attr);

    static native int pthread_mutexattr_setpshared(Pointer attr, int pshared);

    static native int pthread_mutexattr_setrobust(Pointer attr, int robust);

    static native int pthread_mutexattr_destroy(Pointer attr);
}
