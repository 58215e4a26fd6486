package dev.tributary.testkit.elasticsearch;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * An Elasticsearch plugin with the four analysis components of Elasticsearch's
 * {@code analysis-common} module that its own {@code .security} index needs ({@code pattern_capture},
 * {@code uax_url_email}, {@code lowercase}, {@code unique}), built on the same Lucene classes. The
 * {@code integ-test-zip} distribution ships without that module, so without this plugin a server with
 * security on cannot create its {@code .security} index, and with it no API key ("Unknown filter type
 * [pattern_capture]"). {@code SearchServer} installs it into such a distribution's server; it is
 * never loaded in the test JVM, only in the server's.
 */
public final class AnalysisCommonSubset extends Plugin implements AnalysisPlugin {

    /** The default of {@code uax_url_email}'s {@code max_token_length}, as in Elasticsearch. */
    private static final int DEFAULT_MAX_TOKEN_LENGTH = 255;

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "pattern_capture", AnalysisPlugin.requiresAnalysisSettings(AnalysisCommonSubset::patternCapture),
                "lowercase", AnalysisCommonSubset::lowercase,
                "unique", AnalysisCommonSubset::unique);
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("uax_url_email", (indexSettings, environment, name, settings) -> {
            int maxTokenLength = settings.getAsInt("max_token_length", DEFAULT_MAX_TOKEN_LENGTH);
            return TokenizerFactory.newFactory(name, () -> {
                UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
                tokenizer.setMaxTokenLength(maxTokenLength);
                return tokenizer;
            });
        });
    }

    private static TokenFilterFactory patternCapture(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        List<String> regexes = settings.getAsList("patterns");
        if (regexes.isEmpty()) {
            throw new IllegalArgumentException("filter [" + name + "] of type [pattern_capture] needs [patterns]");
        }
        Pattern[] patterns = regexes.stream().map(Pattern::compile).toArray(Pattern[]::new);
        boolean preserveOriginal = settings.getAsBoolean("preserve_original", true);
        return new Filter(name, in -> new PatternCaptureGroupTokenFilter(in, preserveOriginal, patterns), false);
    }

    private static TokenFilterFactory lowercase(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        if (settings.get("language") != null) {
            throw new IllegalArgumentException("filter [" + name + "]: the test kit's [lowercase] has no [language] variants");
        }
        return new Filter(name, LowerCaseFilter::new, true);
    }

    private static TokenFilterFactory unique(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        boolean onlyOnSamePosition = settings.getAsBoolean("only_on_same_position", false);
        return new Filter(name, in -> onlyOnSamePosition ? new RemoveDuplicatesTokenFilter(in) : new UniqueTokenFilter(in), false);
    }

    /** A token filter factory of a name and a function; {@code normalizes}: usable in a normalizer. */
    private record Filter(String name, UnaryOperator<TokenStream> create, boolean normalizes) implements TokenFilterFactory {
        @Override
        public TokenStream create(TokenStream tokenStream) {
            return create.apply(tokenStream);
        }

        @Override
        public TokenStream normalize(TokenStream tokenStream) {
            return normalizes ? create(tokenStream) : tokenStream;
        }
    }

    /** Drops a token whose text an earlier token of the same stream had ({@code unique}'s default). */
    static final class UniqueTokenFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);

        UniqueTokenFilter(TokenStream in) {
            super(in);
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                if (!seen.contains(term.buffer(), 0, term.length())) {
                    seen.add(Arrays.copyOf(term.buffer(), term.length()));
                    return true;
                }
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }
}
