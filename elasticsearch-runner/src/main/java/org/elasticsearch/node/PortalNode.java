package org.elasticsearch.node;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClassPathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

/**
 * A real Elasticsearch node whose modules come from the class path instead of a distribution's
 * {@code modules/} folder.
 *
 * <p>It lives in Elasticsearch's own package because the hook for that ({@link NodeServiceProvider},
 * {@link NodeConstruction}) is package-private; it is the same hook Elasticsearch's test framework
 * uses ({@code MockNode}), without the test framework (whose randomised bootstrap refuses to run as
 * root, as CI does, and which swaps in test services). Every service of the node is the real one.
 */
public final class PortalNode extends Node {

    public PortalNode(final Settings settings, final Path configPath, final Collection<Class<? extends Plugin>> plugins) {
        super(construct(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), configPath,
            () -> settings.get("node.name")), plugins));
    }

    private static NodeConstruction construct(final Environment environment, final Collection<Class<? extends Plugin>> plugins) {
        final PluginsLoader loader = PluginsLoader.createPluginsLoader(Set.of(), Set.of(), Map.of(), false);
        return NodeConstruction.prepareConstruction(environment, loader, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(final Environment env, final PluginsLoader pluginsLoader) {
                return ClassPathPluginsService.create(env, pluginsLoader, plugins);
            }
        }, true);
    }
}
