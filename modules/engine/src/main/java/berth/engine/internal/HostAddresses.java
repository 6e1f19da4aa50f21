package berth.engine.internal;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's own addresses, in the kernel's order (getifaddrs: IPv4 before IPv6, interfaces by
 * index), as Go's net.InterfaceAddrs lists them for podman. One native call, where the JDK's
 * NetworkInterface cost about 100 ms of a cold JVM.
 */
final class HostAddresses {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    // struct ifaddrs on 64-bit Linux: ifa_next at 0, ifa_addr at 24
    private static final int IFA_NEXT = 0;
    private static final int IFA_ADDR = 24;

    private HostAddresses() {
    }

    private static final class Lib {
        static final NativeLibrary C = NativeLibrary.getInstance("libc.so.6");
        static final Function GETIFADDRS = C.getFunction("getifaddrs");
        static final Function FREEIFADDRS = C.getFunction("freeifaddrs");
    }

    /** Every address of every interface, loopback included; empty when they cannot be read. */
    static List<InetAddress> all() {
        List<InetAddress> out = new ArrayList<>();
        PointerByReference head = new PointerByReference();
        if (Lib.GETIFADDRS.invokeInt(new Object[] {head}) != 0) {
            return out;
        }
        try {
            for (Pointer p = head.getValue(); p != null; p = p.getPointer(IFA_NEXT)) {
                Pointer sa = p.getPointer(IFA_ADDR);
                if (sa == null) {
                    continue;
                }
                int family = sa.getShort(0) & 0xffff;
                try {
                    if (family == AF_INET) {
                        out.add(InetAddress.getByAddress(sa.getByteArray(4, 4)));
                    } else if (family == AF_INET6) {
                        out.add(InetAddress.getByAddress(sa.getByteArray(8, 16)));
                    }
                } catch (UnknownHostException e) {
                    // a length getByAddress refuses: not an address
                }
            }
        } finally {
            Lib.FREEIFADDRS.invokeVoid(new Object[] {head.getValue()});
        }
        return out;
    }

    /** c/common's getLocalIP: the first non-loopback IPv4 address, else the last non-loopback IPv6 one, else "". */
    static String localIp(List<InetAddress> all) {
        String v6 = "";
        for (InetAddress a : all) {
            if (a.isLoopbackAddress()) {
                continue;
            }
            if (a.getAddress().length == 4) {
                return a.getHostAddress();
            }
            v6 = a.getHostAddress();
        }
        return v6;
    }
}
