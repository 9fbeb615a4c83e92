package no.kompetanseportalen.elasticsearch;

import java.io.IOException;
import java.text.ParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.lucene.expressions.Expression;
import org.apache.lucene.expressions.js.JavascriptCompiler;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.search.DoubleValues;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.ScriptPlugin;
import org.elasticsearch.script.DocReader;
import org.elasticsearch.script.LeafReaderContextSupplier;
import org.elasticsearch.script.ScoreScript;
import org.elasticsearch.script.ScriptContext;
import org.elasticsearch.script.ScriptEngine;
import org.elasticsearch.script.ScriptException;
import org.elasticsearch.search.lookup.SearchLookup;

/**
 * Score scripts in the {@code expression} language of Elasticsearch's {@code lang-expression} module.
 *
 * <p>Why this exists: as for {@link PortalAnalysisPlugin}, Maven Central carries Elasticsearch's server
 * but not its {@code lang-expression} (nor {@code lang-painless}) module, which every stock cluster
 * has. The portal's search request bounds each concept's score with a score script
 * ({@code search/backends/elastic/request.py}); this plugin gives the test node that language, compiled
 * by the same Lucene class the module uses ({@link JavascriptCompiler}), so the request is the same on
 * both. Only what the portal uses is here: score scripts whose variables are {@code _score}, numeric
 * {@code params} and {@code doc['field'].value} of a numeric field (its first value, 0 for a page
 * without one, as the module reads it). A script with any other variable (the module's
 * {@code doc['field'].min()} and the like) is refused with an error, as a script the module cannot
 * compile is on any cluster.
 */
public final class PortalExpressionPlugin extends Plugin implements ScriptPlugin {

    @Override
    public ScriptEngine getScriptEngine(final Settings settings, final Collection<ScriptContext<?>> contexts) {
        return new ExpressionEngine();
    }

    private static final class ExpressionEngine implements ScriptEngine {

        @Override
        public String getType() {
            return "expression";
        }

        @Override
        public Set<ScriptContext<?>> getSupportedContexts() {
            return Set.of(ScoreScript.CONTEXT);
        }

        @Override
        public <T> T compile(final String name, final String source, final ScriptContext<T> context, final Map<String, String> options) {
            if (!context.equals(ScoreScript.CONTEXT)) {
                throw new IllegalArgumentException("expression scripts cannot be used for context [" + context.name + "]");
            }
            final Expression expression;
            try {
                expression = JavascriptCompiler.compile(source);
            } catch (final ParseException | IllegalArgumentException e) {
                throw new ScriptException("compile error", e, List.of(), source, "expression");
            }
            final ScoreScript.Factory factory = (params, lookup) -> leafFactory(expression, params, lookup);
            return context.factoryClazz.cast(factory);
        }
    }

    private static final Pattern DOC_VALUE = Pattern.compile("doc\\['([^']+)'\\]\\.value");

    /**
     * The expression's variables bound once per search: {@code _score} per page, each param a constant,
     * each {@code doc['field'].value} read per page from the field's doc values.
     */
    private static ScoreScript.LeafFactory leafFactory(final Expression expression, final Map<String, Object> params,
            final SearchLookup lookup) {
        final double[] constants = new double[expression.variables.length];
        final boolean[] isScore = new boolean[expression.variables.length];
        final String[] fields = new String[expression.variables.length];
        for (int i = 0; i < expression.variables.length; i++) {
            final String variable = expression.variables[i];
            final Matcher field = DOC_VALUE.matcher(variable);
            if ("_score".equals(variable)) {
                isScore[i] = true;
            } else if (params.get(variable) instanceof Number number) {
                constants[i] = number.doubleValue();
            } else if (field.matches()) {
                fields[i] = field.group(1);
            } else {
                throw new IllegalArgumentException("unknown variable [" + variable + "] in expression [" + expression.sourceText
                    + "]: this node binds _score, numeric params and doc['field'].value only");
            }
        }
        return new ScoreScript.LeafFactory() {
            @Override
            public boolean needs_score() {
                return true;
            }

            @Override
            public boolean needs_termStats() {
                return false;
            }

            @Override
            public ScoreScript newInstance(final DocReader reader) throws IOException {
                // The page's score is read once per page, however often the expression names it
                // (the module does the same): each read scores the wrapped query again.
                final Value score = new Value(0);
                final DoubleValues[] values = new DoubleValues[constants.length];
                final DocValue[] docValues = new DocValue[constants.length];
                final LeafReader leaf = ((LeafReaderContextSupplier) reader).getLeafReaderContext().reader();
                for (int i = 0; i < values.length; i++) {
                    if (fields[i] != null) {
                        docValues[i] = new DocValue(leaf, fields[i]);
                        values[i] = docValues[i];
                    } else {
                        values[i] = isScore[i] ? score : new Value(constants[i]);
                    }
                }
                return new ScoreScript(params, lookup, reader) {
                    @Override
                    public double execute(final ExplanationHolder explanation) {
                        score.value = get_score();
                        for (final DocValue docValue : docValues) {
                            if (docValue != null) {
                                docValue.read(_getDocId());
                            }
                        }
                        return expression.evaluate(values);
                    }
                };
            }
        };
    }

    /** A numeric field's first value on the page being scored; 0 on a page without one. */
    private static final class DocValue extends Value {
        private final LeafReader leaf;
        private final String field;
        private SortedNumericDocValues values;

        DocValue(final LeafReader leaf, final String field) throws IOException {
            super(0);
            this.leaf = leaf;
            this.field = field;
            this.values = DocValues.getSortedNumeric(leaf, field);
        }

        void read(final int doc) {
            try {
                // Doc values move forward only; a page before the last one read (a rescore, an
                // explanation) starts them again.
                if (values.docID() > doc) {
                    values = DocValues.getSortedNumeric(leaf, field);
                }
                value = values.advanceExact(doc) ? values.nextValue() : 0;
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static class Value extends DoubleValues {
        protected double value;

        Value(final double value) {
            this.value = value;
        }

        @Override
        public double doubleValue() {
            return value;
        }

        @Override
        public boolean advanceExact(final int doc) {
            return true;
        }
    }
}
