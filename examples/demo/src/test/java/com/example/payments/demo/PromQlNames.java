package com.example.payments.demo;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: identifiers that are not functions (followed by
 * {@code (}), keywords, label names (inside braces or after {@code by}, {@code without}, {@code on},
 * {@code ignoring}, {@code group_left}, {@code group_right}), strings, durations, numbers or Grafana
 * variables. Good enough for the expressions of alert rules and dashboards; not a PromQL parser.
 */
final class PromQlNames {
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
      "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan", "start", "end");
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
  private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern LABEL_VALUES = Pattern.compile("\\blabel_values\\s*\\(([^,)]*)(?:,[^)]*)?\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

  private PromQlNames() {}

  static Set<String> metricNames(String expr) {
    String e = LABEL_VALUES.matcher(expr).replaceAll("$1");
    e = STRINGS.matcher(e).replaceAll(" ");
    e = BRACES.matcher(e).replaceAll(" ");
    e = BRACKETS.matcher(e).replaceAll(" ");
    e = GROUPING.matcher(e).replaceAll(" ");
    e = VARIABLES.matcher(e).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(e);
    while (m.find()) {
      String id = m.group(1);
      if (m.group(2) != null || KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      names.add(id);
    }
    return names;
  }

  /** {@code x_bucket}, {@code x_count}, {@code x_sum} belong to the family {@code x}. */
  static String family(String name) {
    for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
