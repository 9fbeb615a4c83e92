package no.kompetanseportalen.elasticsearch;

import java.io.IOException;
import java.io.Reader;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.compound.DictionaryCompoundWordTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.tartarus.snowball.ext.NorwegianStemmer;

/**
 * The analysis components of Elasticsearch's {@code analysis-common} module that the portal's index uses.
 *
 * <p>Why this exists: Maven Central carries Elasticsearch's server and its {@code transport-netty4}
 * module for 8.x, but not {@code analysis-common} (Elastic ships that module only inside its
 * distribution, and the cluster runner's repackaged modules for 8.x are not on Maven Central either).
 * A stock cluster in production has that module; this plugin gives the test node the same components
 * under the same names and settings, built on the same Lucene classes the module uses, so the
 * portal's index definition ({@code search/documents.py}) is identical on both. Only what the portal
 * uses is here: the {@code mapping} char filter, and the {@code lowercase}, {@code stemmer}
 * (Norwegian), {@code pattern_replace} and {@code dictionary_decompounder} token filters. Anything else fails index creation
 * loudly, as an unknown filter does on any cluster.
 */
public final class PortalAnalysisPlugin extends Plugin implements AnalysisPlugin {

    private static final Pattern RULE = Pattern.compile("^(.+?)\\s*=>\\s*(.*)$");

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return Map.of("mapping", withSettings((indexSettings, environment, name, settings) -> {
            final NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
            final List<String> rules = settings.getAsList("mappings");
            if (rules.isEmpty()) {
                throw new IllegalArgumentException("mapping requires [mappings] to be configured");
            }
            for (final String rule : rules) {
                final Matcher m = RULE.matcher(rule);
                if (!m.matches()) {
                    throw new IllegalArgumentException("Invalid mapping rule : [" + rule + "]");
                }
                builder.add(m.group(1).strip(), m.group(2).strip());
            }
            final NormalizeCharMap map = builder.build();
            return new MappingFactory(name, map);
        }));
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "lowercase", (indexSettings, environment, name, settings) -> new LowercaseFactory(name),
            "stemmer", withSettings((indexSettings, environment, name, settings) -> {
                final String language = settings.get("language", settings.get("name", "english"));
                if (!"norwegian".equals(language)) {
                    throw new IllegalArgumentException("stemmer language [" + language + "] is not available on this node");
                }
                return new AbstractTokenFilterFactory(name, settings) {
                    @Override
                    public TokenStream create(final TokenStream stream) {
                        return new SnowballFilter(stream, new NorwegianStemmer());
                    }
                };
            }),
            "pattern_replace", withSettings((indexSettings, environment, name, settings) -> {
                final Pattern pattern = Pattern.compile(settings.get("pattern"));
                final String replacement = settings.get("replacement", "");
                final boolean all = settings.getAsBoolean("all", true);
                return new AbstractTokenFilterFactory(name, settings) {
                    @Override
                    public TokenStream create(final TokenStream stream) {
                        return new PatternReplaceFilter(stream, pattern, replacement, all);
                    }
                };
            }),
            "dictionary_decompounder", withSettings((indexSettings, environment, name, settings) -> {
                final CharArraySet words = new CharArraySet(settings.getAsList("word_list"), true);
                final int minWord = settings.getAsInt("min_word_size", DictionaryCompoundWordTokenFilter.DEFAULT_MIN_WORD_SIZE);
                final int minSub = settings.getAsInt("min_subword_size", DictionaryCompoundWordTokenFilter.DEFAULT_MIN_SUBWORD_SIZE);
                final int maxSub = settings.getAsInt("max_subword_size", DictionaryCompoundWordTokenFilter.DEFAULT_MAX_SUBWORD_SIZE);
                final boolean longest = settings.getAsBoolean("only_longest_match", false);
                return new AbstractTokenFilterFactory(name, settings) {
                    @Override
                    public TokenStream create(final TokenStream stream) {
                        return new DictionaryCompoundWordTokenFilter(stream, words, minWord, minSub, maxSub, longest);
                    }
                };
            }));
    }

    /** Components that cannot exist without their settings are only built where an index configures them. */
    private static <T> AnalysisProvider<T> withSettings(final AnalysisProvider<T> provider) {
        return new AnalysisProvider<T>() {
            @Override
            public T get(final IndexSettings indexSettings, final Environment environment, final String name, final Settings settings)
                    throws IOException {
                return provider.get(indexSettings, environment, name, settings);
            }

            @Override
            public boolean requiresAnalysisSettings() {
                return true;
            }
        };
    }

    private static final class MappingFactory extends AbstractCharFilterFactory implements NormalizingCharFilterFactory {
        private final NormalizeCharMap map;

        MappingFactory(final String name, final NormalizeCharMap map) {
            super(name);
            this.map = map;
        }

        @Override
        public Reader create(final Reader reader) {
            return new MappingCharFilter(map, reader);
        }
    }

    private static final class LowercaseFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        LowercaseFactory(final String name) {
            super(name, Settings.EMPTY);
        }

        @Override
        public TokenStream create(final TokenStream stream) {
            return new LowerCaseFilter(stream);
        }
    }
}
