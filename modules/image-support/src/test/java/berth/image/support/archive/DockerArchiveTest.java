package berth.image.support.archive;

import static berth.image.support.archive.ArchiveFixtures.copy;
import static berth.image.support.archive.ArchiveFixtures.readVerified;
import static berth.image.support.archive.ArchiveFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.transport.RawManifest;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.support.FileTrees;
import berth.testsupport.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker-archive: read what skopeo and podman write, write what skopeo and podman read. */
class DockerArchiveTest {
    private static Path work;
    private static Path layout;
    private static Path skopeoTar;
    private static Path tmp;

    @BeforeAll
    static void build() throws IOException {
        work = Files.createTempDirectory("berth-docker-archive-");
        layout = ArchiveFixtures.buildLayout(work);
        skopeoTar = work.resolve("skopeo.tar");
        Sys.ok(ArchiveFixtures.SKOPEO, "copy", "-q", "oci:" + layout + ":t", "docker-archive:" + skopeoTar + ":test/busy:1");
        tmp = work.resolve("tmp");
    }

    @AfterAll
    static void clean() {
        FileTrees.delete(work);
    }

    /** The diff IDs of the layout's image {@code tag}, from its config. */
    private static List<String> diffIds(String tag) throws IOException {
        try (OciLayoutSource src = new OciLayoutSource(layout, tag)) {
            RawManifest raw = src.manifest(Platform.host());
            ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
            JsonObject config = Json.parseObject(readVerified(src, m.config()));
            return config.obj("rootfs").strings("diff_ids");
        }
    }

    @Test
    void readsSkopeosArchiveByTagIndexAndAsTheOnlyImage() throws IOException {
        List<DockerArchiveImage> images = DockerArchiveSource.images(skopeoTar);
        assertEquals(1, images.size());
        assertEquals(List.of("docker.io/test/busy:1"), images.get(0).repoTags());
        for (String ref : new String[] {"test/busy:1", "docker.io/test/busy:1", "@0", null}) {
            try (DockerArchiveSource src = DockerArchiveSource.open(skopeoTar, ref, tmp)) {
                RawManifest raw = src.manifest(Platform.host());
                assertEquals(MediaTypes.DOCKER_MANIFEST, raw.mediaType());
                ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
                assertEquals(2, m.layers().size());
                assertEquals(diffIds("t"), m.layers().stream().map(Descriptor::digest).toList(), "layer digests are the diff IDs");
                for (Descriptor layer : m.layers()) {
                    assertEquals(MediaTypes.DOCKER_LAYER_GZIP, layer.mediaType(), "containers/image's label, whatever the bytes");
                    readVerified(src, layer);
                }
                readVerified(src, m.config());
            }
        }
        IOException e = assertThrows(IOException.class, () -> DockerArchiveSource.open(skopeoTar, "test/other:1", tmp));
        assertTrue(e.getMessage().contains(skopeoTar.toString()) && e.getMessage().contains("docker.io/test/other:1"), e.getMessage());
        e = assertThrows(IOException.class, () -> DockerArchiveSource.open(skopeoTar, "@1", tmp));
        assertTrue(e.getMessage().contains("only 1 manifest items"), e.getMessage());
    }

    @Test
    void readsGzipLayersAsTheirDiffIdsDecompressed() throws IOException {
        // a docker-archive whose layers are stored compressed (docker's legacy HEX/layer.tar paths)
        Map<String, byte[]> files = new LinkedHashMap<>();
        ImageManifest m;
        try (OciLayoutSource src = new OciLayoutSource(layout, "t")) {
            RawManifest raw = src.manifest(Platform.host());
            m = ImageManifest.parse(raw.bytes(), raw.mediaType());
            files.put(Digests.hex(m.config().digest()) + ".json", readVerified(src, m.config()));
            for (Descriptor l : m.layers()) {
                files.put("l" + Digests.hex(l.digest()).substring(0, 8) + "/layer.tar", readVerified(src, l));
            }
        }
        List<String> layerPaths = files.keySet().stream().filter(k -> k.endsWith("/layer.tar")).toList();
        files.put("manifest.json", Json.writeBytes(List.of(Map.of("Config", Digests.hex(m.config().digest()) + ".json",
                "RepoTags", List.of("localhost/gz:1"), "Layers", layerPaths))));
        Path gz = work.resolve("gzip-layers.tar");
        ArchiveFixtures.writeTar(gz, files);
        try (DockerArchiveSource src = DockerArchiveSource.open(gz, "localhost/gz:1", tmp)) {
            RawManifest raw = src.manifest(Platform.host());
            ImageManifest dm = ImageManifest.parse(raw.bytes(), raw.mediaType());
            assertEquals(diffIds("t"), dm.layers().stream().map(Descriptor::digest).toList());
            for (Descriptor layer : dm.layers()) {
                byte[] plain = readVerified(src, layer);
                assertNotEquals(0x1f, plain[0] & 0xff, "delivered decompressed");
            }
        }
    }

    @Test
    void writesAMultiImageArchiveThatSkopeoAndPodmanLoadAndRun() throws IOException {
        Path out = work.resolve("ours.tar");
        try (OciLayoutSource t = new OciLayoutSource(layout, "t");
                OciLayoutSource t2 = new OciLayoutSource(layout, "t2");
                DockerArchiveDestination dst = new DockerArchiveDestination(out, tmp)) {
            copy(t, dst, "localhost/berth/busy:1");
            copy(t2, dst, "localhost/berth/busy:2");
            copy(t2, dst, "localhost/berth/busy:also2"); // a second tag of one image joins its RepoTags
            assertTrue(Files.notExists(out), "nothing under the target's name before commit");
            dst.commit();
        }
        // layout: plain tars named by diff ID, configs as HEX.json, two manifest.json items
        List<DockerArchiveImage> images = DockerArchiveSource.images(out);
        assertEquals(2, images.size());
        assertEquals(List.of("localhost/berth/busy:1"), images.get(0).repoTags());
        assertEquals(List.of("localhost/berth/busy:2", "localhost/berth/busy:also2"), images.get(1).repoTags());
        List<String> expectedLayers = diffIds("t").stream().map(d -> Digests.hex(d) + ".tar").toList();
        assertEquals(expectedLayers, images.get(0).layers());
        assertEquals(expectedLayers, images.get(1).layers());
        String tarList = Sys.ok("tar", "tf", out.toString());
        assertEquals(2 + 2 + 2, tarList.strip().split("\n").length, "2 layers stored once, 2 configs, manifest.json, repositories: " + tarList);
        Map<String, Object> repositories = Json.parseObject(Sys.ok("tar", "xOf", out.toString(), "repositories")).asMap();
        assertEquals(List.of("localhost/berth/busy"), List.copyOf(repositories.keySet()));

        // our own reader round-trips it
        try (DockerArchive archive = DockerArchive.open(out, tmp)) {
            for (DockerArchiveImage image : archive.images()) {
                try (DockerArchiveSource src = archive.source(image)) {
                    ImageManifest m = ImageManifest.parse(src.manifest(Platform.host()).bytes(), null);
                    for (Descriptor d : m.layers()) {
                        readVerified(src, d);
                    }
                }
            }
        }

        String inspect = Sys.ok(ArchiveFixtures.SKOPEO, "inspect", "docker-archive:" + out + ":localhost/berth/busy:2");
        assertTrue(inspect.contains("berth.test"), inspect);
        Sys.ok(ArchiveFixtures.SKOPEO, "inspect", "docker-archive:" + out + ":@0");

        try (ArchiveFixtures.Podman podman = new ArchiveFixtures.Podman()) {
            String loaded = podman.ok("load", "-i", out.toString());
            assertTrue(loaded.contains("localhost/berth/busy:1") && loaded.contains("localhost/berth/busy:2"), loaded);
            String id = podman.ok("image", "inspect", "--format", "{{.Id}}", "localhost/berth/busy:1").strip();
            assertEquals(Digests.hex(images.get(0).config().replace(".json", "")), id, "the image ID is the config digest");
            assertEquals("hello from layer two", podman.runContainer("localhost/berth/busy:1", "/bin/busybox", "cat", "/hello.txt").strip());

            // and what podman itself saves reads back, every blob verified
            Path saved = work.resolve("podman-saved.tar");
            podman.ok("save", "-o", saved.toString(), "localhost/berth/busy:2");
            try (DockerArchiveSource src = DockerArchiveSource.open(saved, "localhost/berth/busy:2", tmp)) {
                ImageManifest m = ImageManifest.parse(src.manifest(Platform.host()).bytes(), null);
                assertEquals(diffIds("t2"), m.layers().stream().map(Descriptor::digest).toList());
                for (Descriptor d : m.layers()) {
                    readVerified(src, d);
                }
                assertArrayEquals(readVerified(new OciLayoutSource(layout, "t2"), configOf("t2")), readVerified(src, m.config()));
            }
        }
    }

    private static Descriptor configOf(String tag) throws IOException {
        try (OciLayoutSource src = new OciLayoutSource(layout, tag)) {
            RawManifest raw = src.manifest(Platform.host());
            return ImageManifest.parse(raw.bytes(), raw.mediaType()).config();
        }
    }

    @Test
    void zstdAndGzipLayersAreStoredDecompressedUnderTheirDiffIds() throws IOException {
        // an OCI image whose first layer is zstd and second gzip, as a registry may serve them
        Path mixed = work.resolve("mixed-layout");
        ImageManifest original;
        try (OciLayoutSource t = new OciLayoutSource(layout, "t"); OciLayoutDestination dst = new OciLayoutDestination(mixed)) {
            RawManifest raw = t.manifest(Platform.host());
            original = ImageManifest.parse(raw.bytes(), raw.mediaType());
            byte[] config = readVerified(t, original.config());
            dst.putBlob(original.config(), new java.io.ByteArrayInputStream(config));
            byte[] plain;
            try (InputStream in = new java.util.zip.GZIPInputStream(t.blob(original.layers().get(0)))) {
                plain = in.readAllBytes();
            }
            java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
            try (var out = new com.github.luben.zstd.ZstdOutputStream(z)) {
                out.write(plain);
            }
            byte[] zstd = z.toByteArray();
            Descriptor zl = new Descriptor(MediaTypes.OCI_LAYER_ZSTD, Digests.of(zstd), zstd.length);
            dst.putBlob(zl, new java.io.ByteArrayInputStream(zstd));
            Descriptor gl = original.layers().get(1);
            dst.putBlob(gl, new java.io.ByteArrayInputStream(readVerified(t, gl)));
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schemaVersion", 2L);
            doc.put("mediaType", MediaTypes.OCI_MANIFEST);
            doc.put("config", Map.of("mediaType", MediaTypes.OCI_CONFIG, "digest", original.config().digest(), "size", original.config().size()));
            doc.put("layers", List.of(Map.of("mediaType", zl.mediaType(), "digest", zl.digest(), "size", zl.size()),
                    Map.of("mediaType", gl.mediaType(), "digest", gl.digest(), "size", gl.size())));
            byte[] manifest = Json.writeBytes(doc);
            dst.putManifest(new RawManifest(manifest, MediaTypes.OCI_MANIFEST, Digests.of(manifest)), "mixed");
            dst.commit();
        }
        Path out = work.resolve("mixed.tar");
        try (OciLayoutSource src = new OciLayoutSource(mixed, "mixed"); DockerArchiveDestination dst = new DockerArchiveDestination(out, tmp)) {
            copy(src, dst, "localhost/berth/mixed:1");
            dst.commit();
        }
        List<String> expected = diffIds("t").stream().map(d -> Digests.hex(d) + ".tar").toList();
        assertEquals(expected, DockerArchiveSource.images(out).get(0).layers());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith("berth-layer-")).count(), "staged layers removed");
        }
        try (ArchiveFixtures.Podman podman = new ArchiveFixtures.Podman()) {
            podman.ok("load", "-i", out.toString());
            String layers = podman.ok("image", "inspect", "--format", "{{range .RootFS.Layers}}{{.}} {{end}}", "localhost/berth/mixed:1").strip();
            assertEquals(String.join(" ", diffIds("t")), layers);
        }
    }

    @Test
    void legacyLayerPathsThroughSymlinksAreFollowed() throws IOException {
        // skopeo's archive also has docker's v1 directories, whose layer.tar links to the real file:
        // rewrite manifest.json to name those links instead
        DockerArchiveImage image = DockerArchiveSource.images(skopeoTar).get(0);
        Map<String, String> linkToTarget = new LinkedHashMap<>();
        Path legacy = work.resolve("legacy.tar");
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(skopeoTar));
                var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(legacy))) {
            out.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            List<String> later = new java.util.ArrayList<>();
            while ((e = in.getNextEntry()) != null) {
                if (e.getName().equals("manifest.json")) {
                    continue;
                }
                if (e.isSymbolicLink()) {
                    linkToTarget.put(e.getName(), e.getLinkName().replace("../", ""));
                }
                out.putArchiveEntry(e);
                in.transferTo(out);
                out.closeArchiveEntry();
            }
            for (String layer : image.layers()) {
                later.add(linkToTarget.entrySet().stream().filter(x -> x.getValue().equals(layer)).findFirst().orElseThrow().getKey());
            }
            byte[] manifest = Json.writeBytes(List.of(Map.of("Config", image.config(), "RepoTags", image.repoTags(), "Layers", later)));
            var m = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("manifest.json");
            m.setSize(manifest.length);
            out.putArchiveEntry(m);
            out.write(manifest);
            out.closeArchiveEntry();
        }
        assertEquals(2, linkToTarget.size());
        try (DockerArchiveSource src = DockerArchiveSource.open(legacy, null, tmp)) {
            assertTrue(src.image().layers().stream().allMatch(l -> l.endsWith("/layer.tar")), src.image().layers().toString());
            ImageManifest m = ImageManifest.parse(src.manifest(Platform.host()).bytes(), null);
            assertEquals(diffIds("t"), m.layers().stream().map(Descriptor::digest).toList());
            for (Descriptor d : m.layers()) {
                readVerified(src, d);
            }
        }
    }

    @Test
    void aTruncatedArchiveIsAnErrorNamingIt() throws IOException {
        byte[] whole = Files.readAllBytes(skopeoTar);
        Path cut = work.resolve("truncated.tar");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        IOException e = assertThrows(IOException.class, () -> {
            try (DockerArchiveSource src = DockerArchiveSource.open(cut, null, tmp)) {
                src.manifest(Platform.host());
            }
        });
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aManifestNamingAMissingLayerIsAnErrorNamingIt() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] config = readVerified(new OciLayoutSource(layout, "t"), configOf("t"));
        files.put("c.json", config);
        files.put("a.tar", Sys.ok("true").getBytes()); // empty placeholder entry
        files.put("manifest.json", Json.writeBytes(List.of(Map.of("Config", "c.json", "RepoTags", List.of(), "Layers", List.of("a.tar", "missing.tar")))));
        Path bad = work.resolve("missing-layer.tar");
        ArchiveFixtures.writeTar(bad, files);
        try (DockerArchiveSource src = DockerArchiveSource.open(bad, null, tmp)) {
            IOException e = assertThrows(IOException.class, () -> src.manifest(Platform.host()));
            assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("missing.tar"), e.getMessage());
        }
        files.put("manifest.json", utf8("[{\"Config\":\"nope.json\",\"Layers\":[]}]"));
        ArchiveFixtures.writeTar(bad, files);
        try (DockerArchiveSource src = DockerArchiveSource.open(bad, null, tmp)) {
            IOException e = assertThrows(IOException.class, () -> src.manifest(Platform.host()));
            assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
        }
    }

    @Test
    void aLayerWhoseBytesDoNotMatchItsDiffIdFailsTheRead() throws IOException {
        // flip one byte inside the first layer's data, keeping every size
        byte[] whole = Files.readAllBytes(skopeoTar);
        DockerArchiveImage image = DockerArchiveSource.images(skopeoTar).get(0);
        long offset;
        try (TarIndex index = TarIndex.open(skopeoTar, tmp)) {
            offset = dataOffset(index, image.layers().get(0));
        }
        whole[(int) offset + 1000] ^= 0x55;
        Path bad = work.resolve("bad-layer.tar");
        Files.write(bad, whole);
        try (DockerArchiveSource src = DockerArchiveSource.open(bad, null, tmp)) {
            ImageManifest m = ImageManifest.parse(src.manifest(Platform.host()).bytes(), null);
            IOException e = assertThrows(IOException.class, () -> {
                try (InputStream in = src.blob(m.layers().get(0))) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            });
            assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("digest mismatch"), e.getMessage());
        }
    }

    /** Where a file's data starts in the tarball: found by searching for its first bytes. */
    private static long dataOffset(TarIndex index, String name) throws IOException {
        byte[] head;
        try (InputStream in = index.open(name)) {
            head = in.readNBytes(512);
        }
        byte[] whole = Files.readAllBytes(index.tarball());
        outer:
        for (int i = 0; i + head.length <= whole.length; i += 512) {
            for (int j = 0; j < head.length; j++) {
                if (whole[i + j] != head[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("data of " + name + " not found");
    }

    @Test
    void notATarballIsAnErrorNamingIt() throws IOException {
        Path junk = work.resolve("junk.tar");
        Files.write(junk, utf8("this is not a tar archive at all, just text that goes on".repeat(20)));
        IOException e = assertThrows(IOException.class, () -> DockerArchiveSource.open(junk, null, tmp));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    }
}
