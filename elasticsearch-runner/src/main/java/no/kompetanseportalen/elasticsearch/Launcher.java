package no.kompetanseportalen.elasticsearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.node.Node;
import org.elasticsearch.node.PortalNode;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * Starts real Elasticsearch nodes (one cluster, one JVM) for the portal's development, tests and CI.
 *
 * <p>Usage: {@code Launcher <nodes> <data folder> <first http port>}. Node n (1-based) answers HTTP on
 * {@code first http port + n - 1} and talks to the others on transport port {@code first http port + 100
 * + n - 1}, on 127.0.0.1 only (9200 → 9300, 9210 → 9310: two clusters can run side by side).
 *
 * <p>Why not the cluster runner's own main class: {@code org.codelibs:elasticsearch-cluster-runner} for
 * Elasticsearch 8 is not on Maven Central (only up to 7.10.2.0), so the nodes are built here from
 * {@code org.elasticsearch:elasticsearch} and {@code org.elasticsearch.plugin:transport-netty4}, as a
 * {@link PortalNode} with {@link PortalAnalysisPlugin} and {@link PortalExpressionPlugin}. The resilience tests
 * need to stop and start single nodes, so the launcher watches a control folder: an empty file
 * {@code control/stop-2} stops node 2, {@code control/start-2} starts it again; the file is removed
 * when that is done.
 */
public final class Launcher {

    private static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class, PortalAnalysisPlugin.class, PortalExpressionPlugin.class);

    private Launcher() {
    }

    public static void main(final String[] args) throws Exception {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        final Path base = Paths.get(args.length > 1 ? args[1] : "var/elasticsearch").toAbsolutePath();
        final int firstHttpPort = args.length > 2 ? Integer.parseInt(args[2]) : 9200;

        final int firstTransportPort = firstHttpPort + 100;
        final List<String> seedHosts = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            seedHosts.add("127.0.0.1:" + (firstTransportPort + n - 1));
            names.add("node-" + n);
        }
        final List<Settings> settings = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            final Path home = base.resolve("node-" + n);
            Files.createDirectories(home.resolve("config"));
            final Settings.Builder builder = Settings.builder()
                .put("cluster.name", "kompetanse-" + firstHttpPort)
                .put("node.name", "node-" + n)
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", String.valueOf(firstHttpPort + n - 1))
                .put("transport.port", String.valueOf(firstTransportPort + n - 1))
                // Test machines have small disks now and then: never turn indices read-only for that.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.destructive_requires_name", false);
            if (count == 1) {
                builder.put("discovery.type", "single-node");
            } else {
                builder.putList("discovery.seed_hosts", seedHosts).putList("cluster.initial_master_nodes", names);
            }
            settings.add(builder.build());
        }

        LogConfigurator.configureESLogging();
        LogConfigurator.configureWithoutConfig(settings.get(0));

        final List<Node> nodes = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            nodes.add(start(settings.get(n - 1), base.resolve("node-" + n)));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(Launcher::stop)));

        final Path control = base.resolve("control");
        Files.createDirectories(control);
        System.out.println("Elasticsearch: " + count + " node(s) from http://127.0.0.1:" + firstHttpPort);

        while (true) {
            for (int n = 1; n <= count; n++) {
                final Path stop = control.resolve("stop-" + n);
                if (Files.exists(stop)) {
                    stop(nodes.get(n - 1));
                    Files.delete(stop);
                    System.out.println("Elasticsearch: node " + n + " stopped");
                }
                final Path start = control.resolve("start-" + n);
                if (Files.exists(start)) {
                    if (nodes.get(n - 1).isClosed()) {
                        nodes.set(n - 1, start(settings.get(n - 1), base.resolve("node-" + n)));
                    }
                    Files.delete(start);
                    System.out.println("Elasticsearch: node " + n + " started");
                }
            }
            Thread.sleep(200);
        }
    }

    private static Node start(final Settings settings, final Path home) throws Exception {
        final Node node = new PortalNode(settings, home.resolve("config"), PLUGINS);
        node.start();
        return node;
    }

    private static void stop(final Node node) {
        try {
            if (!node.isClosed()) {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            }
        } catch (final Exception e) {
            System.err.println("Elasticsearch: a node did not stop cleanly: " + e);
        }
    }
}
