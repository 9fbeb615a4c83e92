package org.elasticsearch.plugins;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.elasticsearch.env.Environment;

/**
 * Plugins (Elasticsearch's modules among them) instantiated from classes on the class path.
 *
 * <p>A distribution loads each module from its own folder with its own class loader; Maven Central
 * gives the modules as ordinary jars, so here they are loaded like any class. It lives in
 * Elasticsearch's package because {@code LoadedPlugin} and {@code loadPlugin} are package-private.
 */
public final class ClassPathPluginsService extends PluginsService {

    private static final ThreadLocal<Environment> ENVIRONMENT = new ThreadLocal<>();
    private static final ThreadLocal<Collection<Class<? extends Plugin>>> CLASSES = new ThreadLocal<>();

    private List<LoadedPlugin> loaded;

    public static PluginsService create(final Environment environment, final PluginsLoader loader,
            final Collection<Class<? extends Plugin>> classes) {
        ENVIRONMENT.set(environment);
        CLASSES.set(classes);
        try {
            final ClassPathPluginsService service = new ClassPathPluginsService(environment, loader);
            service.plugins();
            return service;
        } finally {
            ENVIRONMENT.remove();
            CLASSES.remove();
        }
    }

    private ClassPathPluginsService(final Environment environment, final PluginsLoader loader) {
        super(environment.settings(), environment.configDir(), loader);
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        if (loaded == null) {
            // The base class's constructor may ask before this object's fields exist: read the
            // arguments from the thread that is constructing it.
            final Environment environment = ENVIRONMENT.get();
            final List<LoadedPlugin> plugins = new ArrayList<>();
            for (final Class<? extends Plugin> type : CLASSES.get()) {
                final PluginDescriptor descriptor = new PluginDescriptor(type.getName(), "class path plugin", "NA",
                    org.elasticsearch.Build.current().version(), "17", type.getName(), null, List.of(),
                    false, false, false, false);
                final Plugin plugin = loadPlugin(type, environment.settings(), environment.configDir());
                plugins.add(new LoadedPlugin(descriptor, plugin, type.getClassLoader()));
            }
            loaded = List.copyOf(plugins);
        }
        return loaded;
    }
}
