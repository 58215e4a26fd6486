package dev.tributary.testkit;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL handling to check alert rules and Grafana dashboards against what a service
 * really exposes: the metric names an expression reads, and Grafana's template variables replaced
 * by values that {@code promtool} accepts. Not a PromQL parser.
 *
 * <pre>{@code
 * Set<String> names = PromQl.metricNames("sum by (le) (rate(http_seconds_bucket{job=\"a\"}[5m]))");
 * // [http_seconds_bucket]; PromQl.family("http_seconds_bucket") is "http_seconds"
 * }</pre>
 */
public final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan", "start", "end");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern LABEL_VALUES_CALL = Pattern.compile("\\blabel_values\\s*\\(([^,)]*)(?:,[^)]*)?\\)");
    private static final Pattern LABEL_VALUES_QUERY =
            Pattern.compile("^\\s*label_values\\(\\s*(.+?)\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQl() {}

    /**
     * The metric names {@code expr} reads, in order of appearance: identifiers that are not
     * functions, keywords, label names (inside braces or grouping clauses), strings, durations,
     * numbers or Grafana variables. The selector of a Grafana {@code label_values(selector, label)}
     * query counts; its label does not.
     */
    public static Set<String> metricNames(String expr) {
        String e = LABEL_VALUES_CALL.matcher(expr).replaceAll("$1");
        e = STRINGS.matcher(e).replaceAll(" ");
        e = BRACES.matcher(e).replaceAll(" ");
        e = BRACKETS.matcher(e).replaceAll(" ");
        e = GROUPING.matcher(e).replaceAll(" ");
        e = VARIABLES.matcher(e).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String id = m.group(1);
            if (m.group(2) == null && !KEYWORDS.contains(id.toLowerCase(Locale.ROOT))) {
                names.add(id);
            }
        }
        return names;
    }

    /** The family a sample name belongs to: {@code x_bucket}, {@code x_count} and {@code x_sum} belong to {@code x}. */
    public static String family(String name) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /**
     * A Grafana expression with its variables replaced so that promtool can parse it:
     * {@code $__rate_interval} and friends by durations, {@code $var} and {@code ${var}} by a regex
     * (so they belong inside {@code =~"..."} matchers).
     */
    public static String withoutGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h")
                .replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?}", ".*")
                .replaceAll("\\$[A-Za-z_][A-Za-z0-9_]*", ".*");
    }

    /** The series selector of a Grafana {@code label_values(selector, label)} variable query, or null. */
    public static String labelValuesSelector(String query) {
        Matcher m = LABEL_VALUES_QUERY.matcher(query);
        return m.matches() ? m.group(1) : null;
    }
}
