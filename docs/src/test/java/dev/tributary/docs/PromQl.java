package dev.tributary.docs;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL handling for the docs tests: the metric names an expression selects, and
 * Grafana's template variables replaced by values promtool accepts.
 */
final class PromQl {
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
  private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
  private static final Pattern LABEL_LISTS =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.$])([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "by", "without",
      "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN", "atan2");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\(\\s*(.+?)\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$");

  private PromQl() {}

  /** The metric names selected by {@code expr}, in order of appearance. */
  static Set<String> metricNames(String expr) {
    String s = STRING.matcher(expr).replaceAll("\"\"");
    s = BRACES.matcher(s).replaceAll(" ");
    s = BRACKETS.matcher(s).replaceAll(" ");
    s = LABEL_LISTS.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      boolean function = m.group(2) != null;
      if (!function && !KEYWORDS.contains(m.group(1))) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * A Grafana expression with its variables replaced so that promtool can parse it:
   * {@code $__rate_interval} and friends by durations, {@code $var} / {@code ${var}} by a regex
   * (they only appear inside {@code =~"..."} matchers in our dashboards).
   */
  static String withoutGrafanaVariables(String expr) {
    return expr.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h")
        .replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?}", ".*")
        .replaceAll("\\$[A-Za-z_][A-Za-z0-9_]*", ".*");
  }

  /** The series selector of a {@code label_values(selector, label)} variable query, or null. */
  static String labelValuesSelector(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    return m.matches() ? m.group(1) : null;
  }
}
