package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** podman's rules (specgen makeCommand) for how --entrypoint, a command and -e meet the image's config. */
class ImageDefaultsTest {
    static final ImageConfig IMAGE = new ImageConfig("nobody", List.of("PATH=/bin", "A=image"), List.of("/entry", "x"),
            List.of("default", "args"), "/work", "SIGQUIT", List.of("80/tcp"), List.of(), Map.of("l", "image", "m", "image"));

    @Test
    void imageEntrypointThenImageCmdWhenTheUserGivesNeither() {
        assertEquals(List.of("/entry", "x", "default", "args"), ImageDefaults.command(IMAGE, null, List.of(), "img"));
    }

    @Test
    void aUserCommandReplacesCmdButKeepsTheEntrypoint() {
        assertEquals(List.of("/entry", "x", "mine"), ImageDefaults.command(IMAGE, null, List.of("mine"), "img"));
    }

    @Test
    void aUserEntrypointDropsTheImageCmd() {
        assertEquals(List.of("/bin/sh"), ImageDefaults.command(IMAGE, List.of("/bin/sh"), List.of(), "img"));
        assertEquals(List.of("/bin/sh", "-c", "true"), ImageDefaults.command(IMAGE, List.of("/bin/sh"), List.of("-c", "true"), "img"));
    }

    @Test
    void anEmptyEntrypointClearsTheImagesAndTheCommandRunsAlone() {
        assertEquals(List.of("echo", "hi"), ImageDefaults.command(IMAGE, List.of(""), List.of("echo", "hi"), "img"));
    }

    @Test
    void nothingToRunIsAnErrorNamingTheImage() {
        BerthException e = assertThrows(BerthException.class, () -> ImageDefaults.command(ImageConfig.EMPTY, null, List.of(), "alpine"));
        assertTrue(e.getMessage().contains("alpine"), e.getMessage());
    }

    @Test
    void userEnvironmentOverridesTheImagesByKey() {
        assertEquals(List.of("PATH=/bin", "A=user", "B=new"), ImageDefaults.env(IMAGE, List.of("A=user", "B=new")));
    }

    @Test
    void userLabelsOverrideTheImages() {
        assertEquals(Map.of("l", "user", "m", "image"), ImageDefaults.labels(IMAGE, Map.of("l", "user")));
    }

    @Test
    void userValueWinsElseTheImagesElseNone() {
        assertEquals("/mine", ImageDefaults.orImage("/mine", "/work"));
        assertEquals("/work", ImageDefaults.orImage(null, "/work"));
        assertEquals(null, ImageDefaults.orImage("", ""));
    }

    @Test
    void aContainerShowsTheImageNameTheUserMeant() {
        ImageInfo i = new ImageInfo("abc", List.of("docker.io/library/alpine:latest", "localhost/mine:1"), "sha256:x", List.of(),
                null, 0, "linux", "amd64", "", List.of(), "", "", ImageConfig.EMPTY);
        assertEquals("docker.io/library/alpine:latest", ContainerFactory.imageName(i, "alpine"));
        assertEquals("localhost/mine:1", ContainerFactory.imageName(i, "mine:1"));
        assertEquals("docker.io/library/alpine:latest", ContainerFactory.imageName(i, "abc"));
    }
}
