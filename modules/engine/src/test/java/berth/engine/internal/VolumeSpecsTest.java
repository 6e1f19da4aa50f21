package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.MountSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** podman's reading of {@code -v} and {@code --mount} (pkg/specgenutil/volumes.go), and the OCI options of the result. */
class VolumeSpecsTest {
    private static BerthException refused(ErrorCode code, Runnable r) {
        BerthException e = assertThrows(BerthException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void aNameIsAVolumeAPathIsABindAndALonePathIsAnonymous() {
        VolumeSpecs.Pending named = VolumeSpecs.parseVolume("data:/srv:ro,noexec");
        assertEquals("data", named.volumeName());
        assertEquals(new MountSpec(VolumeSpecs.TYPE, "", "/srv", List.of("ro", "noexec")), named.spec());
        VolumeSpecs.Pending bind = VolumeSpecs.parseVolume("/tmp/x/../y:/in");
        assertNull(bind.volumeName());
        assertEquals(new MountSpec("bind", "/tmp/y", "/in", List.of()), bind.spec());
        VolumeSpecs.Pending anon = VolumeSpecs.parseVolume("/cache");
        assertEquals("", anon.volumeName(), "an empty name: a new anonymous volume");
        assertEquals("/cache", anon.spec().destination());
    }

    @Test
    void volumeOptionsAreCheckedAsPodmanDoes() {
        assertEquals(List.of("z", "U", "nosuid", "nodev", "exec"), VolumeSpecs.options("z,U,nosuid,nodev,exec"));
        BerthException e = refused(ErrorCode.MOUNT_OPTION_INVALID, () -> VolumeSpecs.parseVolume("v:/a:bogus"));
        assertEquals("unknown mount option \"bogus\": invalid mount option", e.getMessage());
        e = refused(ErrorCode.MOUNT_OPTION_DUPLICATE, () -> VolumeSpecs.parseVolume("v:/a:ro,rw"));
        assertEquals("only one of 'rw' and 'ro' can be used: duplicate mount option passed", e.getMessage());
        refused(ErrorCode.INVALID_ARGUMENT, () -> VolumeSpecs.parseVolume("v:relative"));
        refused(ErrorCode.INVALID_ARGUMENT, () -> VolumeSpecs.parseVolume("a:/b:ro:extra"));
        refused(ErrorCode.INVALID_ARGUMENT, () -> VolumeSpecs.parseVolume(":/b"));
    }

    @Test
    void mountFlagTakesPodmansKeys() {
        VolumeSpecs.Pending v = VolumeSpecs.parseMount("type=volume,src=web,dst=/srv,ro=true,nosuid");
        assertEquals("web", v.volumeName());
        assertEquals(new MountSpec(VolumeSpecs.TYPE, "", "/srv", List.of("ro", "nosuid")), v.spec());
        VolumeSpecs.Pending anon = VolumeSpecs.parseMount("type=volume,target=/a");
        assertEquals("", anon.volumeName());
        VolumeSpecs.Pending b = VolumeSpecs.parseMount("type=bind,source=/etc,target=/e,readonly,bind-propagation=rshared");
        assertEquals(new MountSpec("bind", "/etc", "/e", List.of("ro", "rshared")), b.spec());
        assertEquals(List.of("rbind", "rshared", "ro", "nosuid", "nodev"), VolumeSpecs.ociOptions(b.spec()));
        VolumeSpecs.Pending t = VolumeSpecs.parseMount("type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=1777");
        assertEquals(new MountSpec("tmpfs", "tmpfs", "/t", List.of("rw", "noexec", "nosuid", "nodev", "size=1m", "mode=1777")), t.spec());
    }

    @Test
    void malformedMountFlagsGivePodmansErrors() {
        assertEquals("incorrect mount format: should be --mount type=<bind|tmpfs|volume>,[src=<host-dir|volume-name>,]"
                        + "target=<ctr-dir>[,options]: invalid argument",
                refused(ErrorCode.INVALID_ARGUMENT, () -> VolumeSpecs.parseMount("source=/a,target=/b")).getMessage());
        assertEquals("invalid filesystem type \"foo\": invalid argument",
                refused(ErrorCode.INVALID_ARGUMENT, () -> VolumeSpecs.parseMount("type=foo,target=/b")).getMessage());
        assertEquals("must set volume destination: invalid argument",
                refused(ErrorCode.INVALID_ARGUMENT, () -> VolumeSpecs.parseMount("type=volume,source=x")).getMessage());
        assertEquals("bogus: invalid mount option",
                refused(ErrorCode.MOUNT_OPTION_INVALID, () -> VolumeSpecs.parseMount("type=volume,target=/a,bogus=1")).getMessage());
        assertEquals("source: must provide an argument for option",
                refused(ErrorCode.MOUNT_ARGUMENT_MISSING, () -> VolumeSpecs.parseMount("type=volume,source=,target=/a")).getMessage());
        refused(ErrorCode.MOUNT_ARGUMENT_MISSING, () -> VolumeSpecs.parseMount("type=bind,target=/a,ro,rw"));
        refused(ErrorCode.INVALID_ARGUMENT, () -> VolumeSpecs.parseMount("type=tmpfs,source=x,target=/a"));
        refused(ErrorCode.MOUNT_ARGUMENT_MISSING, () -> VolumeSpecs.parseMount("type=bind,target=/a"));
    }

    @Test
    void volumeMountsExecByDefaultAndHonourSuidDevNoexec() {
        assertEquals(List.of("rbind", "rprivate", "rw", "nosuid", "nodev"),
                VolumeSpecs.ociOptions(new MountSpec(VolumeSpecs.TYPE, "/v", "/d", List.of())));
        assertEquals(List.of("rbind", "rprivate", "ro", "suid", "dev", "noexec"),
                VolumeSpecs.ociOptions(new MountSpec(VolumeSpecs.TYPE, "/v", "/d", List.of("ro", "suid", "dev", "noexec"))));
    }

    @Test
    void anImagesVolumePathsAreCleanedAndRelativeOnesIgnored() {
        assertEquals("/data", VolumeSpecs.imageVolumePath("/data/"));
        assertEquals("/a/c", VolumeSpecs.imageVolumePath("/a/b/../c"));
        assertEquals("/", VolumeSpecs.imageVolumePath("/"));
        assertEquals(null, VolumeSpecs.imageVolumePath("data"));
        assertEquals(null, VolumeSpecs.imageVolumePath(null));
    }
}
