package berth.image.overlay;

import berth.kernel.spi.image.ImageStoreConfig;
import berth.kernel.model.PullListener;
import berth.kernel.model.PullOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A pull in its own process, for the crash tests: {@code PullMain GRAPHROOT RUNROOT REFERENCE}. */
public final class PullMain {
    private PullMain() {
    }

    public static void main(String[] args) {
        ImageStoreConfig config = new ImageStoreConfig(Path.of(args[0]), Path.of(args[1]), List.of(), Map.of("driver", "overlay"),
                System.err::println);
        try (OverlayImageStore store = OverlayImageStore.open(config)) {
            System.out.println(store.pull(args[2], new PullOptions(Boolean.FALSE, null, null, null, null, null, PullListener.NONE)).id());
        }
    }
}
