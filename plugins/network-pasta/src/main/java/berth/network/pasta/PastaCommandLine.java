package berth.network.pasta;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.PortMapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The arguments of one container's {@code pasta}, made as podman 5 makes them
 * (containers/common libnetwork/pasta): {@code --config-net}, the options of containers.conf
 * ({@code pasta_options}), then the container's own ({@code --network pasta:OPT,OPT,...}), then one
 * {@code -t}/{@code -u} per published port, and the defaults the user did not override: a DNS forwarder
 * at {@value #DNS_FORWARD_IPV4}, no automatic port forwarding either way ({@code -t none -u none -T none
 * -U none}), {@code --no-map-gw} (unless the pseudo-option {@code --map-gw} asks for the gateway to
 * reach the host) and {@code --quiet} (unless {@code -d}, {@code --debug} or {@code --trace}).
 *
 * @param args everything after the pasta binary
 * @param dnsForward the addresses pasta answers DNS on inside the namespace, for the container's resolv.conf
 */
record PastaCommandLine(List<String> args, List<String> dnsForward) {
    /** Link-local, so it collides with no network a user has; podman's choice too. */
    static final String DNS_FORWARD_IPV4 = "169.254.1.1";

    /**
     * Options berth sets itself and a user must not: pasta must daemonise once the namespace is
     * configured (that is how setup knows it is ready), write its PID where teardown looks, and join the
     * namespace the engine made.
     */
    private static final Set<String> RESERVED = Set.of("-f", "--foreground", "-P", "--pid", "--netns", "--userns", "--netns-only",
            "-F", "--fd", "-h", "--help", "--version");

    PastaCommandLine {
        args = List.copyOf(args);
        dnsForward = List.copyOf(dnsForward);
    }

    /**
     * @param configured {@code pasta_options} of containers.conf (a list joined with commas)
     * @param own the text after {@code pasta:} in the container's network mode
     * @param runAsRoot add {@code --runas 0:0} unless the user chose: started as root, pasta 2023.03 drops
     *        to "nobody" before it joins the namespace, and then cannot join it
     */
    static PastaCommandLine build(String configured, String own, List<PortMapping> ports, Path netns, Path pidFile, boolean runAsRoot) {
        List<String> options = new ArrayList<>(split(configured));
        options.addAll(split(own));
        for (String o : options) {
            String name = o.contains("=") && o.startsWith("--") ? o.substring(0, o.indexOf('=')) : o;
            if (RESERVED.contains(name)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "pasta option " + o + " is not allowed: berth sets "
                        + "--netns, --pid and the daemon mode of pasta itself");
            }
        }
        boolean mapGateway = options.remove("--map-gw"); // podman's pseudo-option, not pasta's
        while (options.remove("--map-gw")) {
            // once is enough
        }
        boolean tcpPorts = false;
        boolean udpPorts = false;
        boolean tcpNamespacePorts = false;
        boolean udpNamespacePorts = false;
        boolean quiet = true;
        boolean runAs = false;
        List<String> dnsForward = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            String name = o.startsWith("--") && o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
            switch (name) {
                case "-t", "--tcp-ports" -> tcpPorts = true;
                case "-u", "--udp-ports" -> udpPorts = true;
                case "-T", "--tcp-ns" -> tcpNamespacePorts = true;
                case "-U", "--udp-ns" -> udpNamespacePorts = true;
                case "-d", "--debug", "--trace" -> quiet = false;
                case "--runas" -> runAs = true;
                case "--dns-forward" -> {
                    if (!name.equals(o)) {
                        dnsForward.add(o.substring(o.indexOf('=') + 1));
                    } else if (i + 1 < options.size()) {
                        dnsForward.add(options.get(i + 1));
                    }
                }
                default -> {
                }
            }
        }
        List<String> args = new ArrayList<>();
        args.add("--config-net");
        if (runAsRoot && !runAs) {
            args.add("--runas");
            args.add("0:0");
        }
        args.addAll(options);
        for (PortMapping p : ports) {
            args.add(p.protocol().equals("udp") ? "-u" : "-t");
            args.add(portSpec(p));
            tcpPorts |= p.protocol().equals("tcp");
            udpPorts |= p.protocol().equals("udp");
        }
        if (dnsForward.isEmpty()) {
            args.add("--dns-forward");
            args.add(DNS_FORWARD_IPV4);
            dnsForward.add(DNS_FORWARD_IPV4);
        }
        addUnless(tcpPorts, args, "-t", "none");
        addUnless(udpPorts, args, "-u", "none");
        addUnless(tcpNamespacePorts, args, "-T", "none");
        addUnless(udpNamespacePorts, args, "-U", "none");
        if (!mapGateway) {
            args.add("--no-map-gw");
        }
        if (quiet) {
            args.add("--quiet");
        }
        args.add("--pid");
        args.add(pidFile.toString());
        args.add("--netns");
        args.add(netns.toString());
        return new PastaCommandLine(args, dnsForward);
    }

    /** pasta's {@code [ADDRESS/]HOSTPORT:CONTAINERPORT}; an IPv6 address needs no brackets before the slash. */
    static String portSpec(PortMapping p) {
        return (p.hostIp().isEmpty() ? "" : p.hostIp() + "/") + p.hostPort() + ":" + p.containerPort();
    }

    /** Comma-separated options, as podman splits {@code --network pasta:...} and a joined list; empty items dropped. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String s : text.split(",")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static void addUnless(boolean given, List<String> args, String option, String value) {
        if (!given) {
            args.add(option);
            args.add(value);
        }
    }
}
