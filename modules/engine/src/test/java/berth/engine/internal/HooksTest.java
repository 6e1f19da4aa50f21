package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.spi.hook.HookContext;
import berth.kernel.spi.hook.HookInvocation;
import berth.kernel.spi.hook.HookProvider;
import berth.kernel.spi.hook.HookSet;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.InProcessHook;
import berth.kernel.spi.hook.SpecHook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HooksTest {
    private final Container c = Fixtures.container(Fixtures.id('a'), "web", List.of());
    private final List<String> warnings = new ArrayList<>();
    private final List<String> called = new ArrayList<>();

    /** A hook provider written for this test, as a vendor would write one. */
    private static HookProvider provider(String id, Function<HookContext, HookSet> hooks) {
        return new HookProvider() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public HookSet hooksFor(HookContext context) {
                return hooks.apply(context);
            }
        };
    }

    private InProcessHook inProcess(String name, HookStage stage, boolean fails) {
        return new InProcessHook() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<HookStage> stages() {
                return Set.of(stage);
            }

            @Override
            public void run(HookInvocation i) {
                called.add(name + "@" + i.ociStatus());
                if (fails) {
                    throw new IllegalStateException(name + " says no");
                }
            }
        };
    }

    private static SpecHook spec(HookStage stage, String path, String source) {
        return new SpecHook(stage, path, List.of(path), List.of(), 0, source);
    }

    @Test
    void hooksOfEveryProviderAreMergedInStageOrder() {
        Hooks hooks = new Hooks(() -> List.of(
                provider("files", x -> new HookSet(List.of(spec(HookStage.POSTSTOP, "/bin/b", "/etc/hooks/b.json"),
                        spec(HookStage.PRESTART, "/bin/a", "")), List.of(), List.of("hook file x.json skipped"))),
                provider("java", x -> new HookSet(List.of(), List.of(inProcess("audit", HookStage.PRESTART, false))))),
                warnings::add);
        ContainerHooks h = hooks.hooksFor(c.config(), true);
        assertEquals(List.of("prestart: /bin/a (files)", "prestart: audit (java)", "poststop: /etc/hooks/b.json (files)"), h.applied());
        assertEquals(List.of("hook file x.json skipped"), warnings);
    }

    @Test
    void aFailingProviderFailsInitButOnlyWarnsLater() {
        Hooks hooks = new Hooks(() -> List.of(provider("broken", x -> {
            throw new IllegalStateException("no hooks dir");
        })), warnings::add);
        BerthException e = assertThrows(BerthException.class, () -> hooks.hooksFor(c.config(), true));
        assertEquals(ErrorCode.HOOK_FAILED, e.code());
        assertTrue(e.getMessage().contains("hook provider broken failed for container web"), e.getMessage());
        Hooks later = new Hooks(() -> List.of(provider("broken", x -> {
            throw new IllegalStateException("no hooks dir");
        })), warnings::add);
        assertEquals(List.of(), later.hooksFor(c.config(), false).applied());
        assertTrue(warnings.get(0).endsWith("its hooks are skipped"), warnings.toString());
    }

    @Test
    void inProcessHooksFailTheStartUntilStartContainerAndWarnAfter() {
        Hooks hooks = new Hooks(List::of, warnings::add);
        ContainerHooks h = new ContainerHooks(List.of(), List.of(new ContainerHooks.ProvidedHook("java", inProcess("gate", HookStage.START_CONTAINER, true)),
                new ContainerHooks.ProvidedHook("java", inProcess("bye", HookStage.POSTSTOP, true))), List.of(), List.of());
        BerthException e = assertThrows(BerthException.class, () -> hooks.run(h, HookStage.START_CONTAINER, c, Path.of("/b"), 1, 0));
        assertTrue(e.getMessage().startsWith("startContainer hook gate (java) failed for container web: gate says no"), e.getMessage());
        hooks.run(h, HookStage.POSTSTOP, c, Path.of("/b"), 0, 3);
        assertEquals(List.of("gate@created", "bye@stopped"), called);
        assertEquals(1, warnings.size());
    }

    @Test
    void aRuntimeErrorAboutAHookNamesTheHookFile() {
        ContainerHooks h = new ContainerHooks(List.of(spec(HookStage.PRESTART, "/bin/first", "/etc/h/1.json"),
                spec(HookStage.PRESTART, "/bin/second", "/etc/h/2.json")), List.of(), List.of(), List.of());
        BerthException runc = new BerthException(ErrorCode.RUNTIME_ERROR, "error running hook #1: exit status 1");
        BerthException named = h.explain(runc);
        assertEquals(ErrorCode.HOOK_FAILED, named.code());
        assertTrue(named.getMessage().contains("(failing hook: prestart hook /bin/second from /etc/h/2.json)"), named.getMessage());
        BerthException unrelated = new BerthException(ErrorCode.RUNTIME_ERROR, "no such file");
        assertEquals(unrelated, h.explain(unrelated));
    }
}
