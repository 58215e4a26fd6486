package dev.tributary.redaction;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Rules that remove sensitive data from telemetry before it leaves the process: values of named
 * fields, text matching patterns, and two built-in detectors, payment card numbers (13 to 19
 * digits, optionally grouped by spaces or hyphens, that pass the Luhn check) and e-mail addresses.
 *
 * <pre>{@code
 * Tributary client = Tributary.builder()
 *     ...
 *     .redaction(Redaction.builder()
 *         .fieldNames("password", "iban", "authorization")
 *         .pattern("\\bDE\\d{20}\\b")
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>The client applies the rules on its own I/O thread, when it turns a record into an envelope,
 * never on the caller's thread: to log messages, labels (the appender's MDC), fields, exception
 * messages and stack-trace text, and to event attributes. A matched value or piece of text is
 * replaced by {@link #replacement()} ({@value #DEFAULT_REPLACEMENT} by default). Field names match
 * case-insensitively and ignoring {@code _ - .} ({@code cardNumber} matches {@code card_number}),
 * at any depth of nested maps; a named field's value is replaced whole, whatever its type.
 *
 * <p>{@link #defaults()}, what a client uses unless told otherwise, has the two built-ins on and
 * nothing else: shipping a card number to a log store is a PCI DSS incident, and checking costs one
 * pass over the text. {@link #none()} turns everything off.
 */
public final class Redaction {
  /** What a redacted value or piece of text becomes by default: {@value}. */
  public static final String DEFAULT_REPLACEMENT = "[REDACTED]";

  private static final Redaction NONE = new Redaction(Set.of(), List.of(), false, false, DEFAULT_REPLACEMENT);
  private static final Redaction DEFAULTS = new Redaction(Set.of(), List.of(), true, true, DEFAULT_REPLACEMENT);

  private final Set<String> fieldNames; // normalised
  private final List<Pattern> patterns;
  private final boolean cardNumbers;
  private final boolean emailAddresses;
  private final String replacement;

  private Redaction(Set<String> fieldNames, List<Pattern> patterns, boolean cardNumbers, boolean emailAddresses,
      String replacement) {
    this.fieldNames = fieldNames;
    this.patterns = patterns;
    this.cardNumbers = cardNumbers;
    this.emailAddresses = emailAddresses;
    this.replacement = replacement;
  }

  /** No rule at all, not even the built-ins: the client then spends nothing on redaction. */
  public static Redaction none() {
    return NONE;
  }

  /** The built-in card number and e-mail address detectors, nothing else; the client's default. */
  public static Redaction defaults() {
    return DEFAULTS;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder starting from these rules. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.fieldNames.addAll(fieldNames);
    b.patterns.addAll(patterns);
    b.cardNumbers = cardNumbers;
    b.emailAddresses = emailAddresses;
    b.replacement = replacement;
    return b;
  }

  /** Whether there is no rule: then every method returns its argument unchanged. */
  public boolean isEmpty() {
    return fieldNames.isEmpty() && patterns.isEmpty() && !cardNumbers && !emailAddresses;
  }

  /** What matched text and named fields' values become. */
  public String replacement() {
    return replacement;
  }

  /**
   * Applies the patterns and built-ins to free text (a message, a stack trace).
   *
   * @return {@code text} itself if nothing matched, else a copy with every match replaced
   */
  public String text(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    if (cardNumbers) {
      result = Detectors.cardNumbers(result, replacement);
    }
    if (emailAddresses) {
      result = Detectors.emailAddresses(result, replacement);
    }
    for (Pattern p : patterns) {
      Matcher m = p.matcher(result);
      if (m.find()) {
        result = m.replaceAll(Matcher.quoteReplacement(replacement));
      }
    }
    return result;
  }

  /** Whether values of a field with this name are replaced whole. */
  public boolean isRedactedField(String name) {
    return !fieldNames.isEmpty() && name != null && fieldNames.contains(normalise(name));
  }

  /**
   * Redacts a map of fields or attributes: named fields' values replaced, text rules applied to
   * every other string (and to numbers that are card numbers), nested maps and collections too.
   *
   * @return {@code fields} itself if nothing changed, else a new map in the same order
   */
  public Map<String, Object> fields(Map<String, Object> fields) {
    if (fields == null || fields.isEmpty() || isEmpty()) {
      return fields;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) redactMap(fields, 0);
    return result;
  }

  /**
   * Redacts labels (flat string values, e.g. the appender's MDC).
   *
   * @return {@code labels} itself if nothing changed, else a new map in the same order
   */
  public Map<String, String> labels(Map<String, String> labels) {
    if (labels == null || labels.isEmpty() || isEmpty()) {
      return labels;
    }
    Map<String, String> copy = null;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String value = e.getValue();
      String redacted = isRedactedField(e.getKey()) ? replacement : text(value);
      if (!Objects.equals(redacted, value)) {
        if (copy == null) {
          copy = new LinkedHashMap<>(labels);
        }
        copy.put(e.getKey(), redacted);
      }
    }
    return copy == null ? labels : copy;
  }

  private static final int MAX_DEPTH = 32;
  /** The smallest 13-digit number. */
  private static final long MIN_CARD_VALUE = 1_000_000_000_000L;

  private Map<?, ?> redactMap(Map<?, ?> map, int depth) {
    Map<Object, Object> copy = null;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object value = e.getValue();
      Object redacted = isRedactedField(String.valueOf(e.getKey())) ? replacement : redactValue(value, depth + 1);
      if (redacted != value) {
        if (copy == null) {
          copy = new LinkedHashMap<>(map);
        }
        copy.put(e.getKey(), redacted);
      }
    }
    return copy == null ? map : copy;
  }

  private Object redactValue(Object value, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      return value;
    }
    if (value instanceof String s) {
      String r = text(s);
      return r.equals(s) ? value : r;
    }
    if (value instanceof Long || value instanceof BigInteger) {
      // Only numbers of 13 digits or more can be card numbers: no string is made for the others.
      boolean large = value instanceof Long l ? Math.abs(l) >= MIN_CARD_VALUE
          : ((BigInteger) value).bitLength() >= 40;
      if (cardNumbers && large) {
        String digits = value.toString();
        return Detectors.isCardNumber(digits, 0, digits.length()) ? replacement : value;
      }
      return value;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      return redactMap(map, depth);
    }
    if (value instanceof Collection<?> items) {
      List<Object> copy = null;
      int i = 0;
      for (Object item : items) {
        Object r = redactValue(item, depth + 1);
        if (r != item && copy == null) {
          copy = new ArrayList<>(items);
        }
        if (copy != null) {
          copy.set(i, r);
        }
        i++;
      }
      return copy == null ? value : copy;
    }
    if (value instanceof Object[] array) {
      return redactValue(Arrays.asList(array), depth);
    }
    if (value instanceof Enum<?> e) {
      // Written as its name, so the name is what is checked.
      String name = e.name();
      String r = text(name);
      return r.equals(name) ? value : r;
    }
    // Anything else is written as its toString(). That text is read once, checked, and returned in
    // place of the value, so what is written is what was checked even if toString() changes.
    String s;
    try {
      s = String.valueOf(value);
    } catch (RuntimeException | StackOverflowError e) {
      // A text that cannot be read cannot be checked: the value is redacted whole, the record kept.
      return replacement;
    }
    return text(s);
  }

  static String normalise(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '_' && c != '-' && c != '.') {
        b.append(Character.toLowerCase(c));
      }
    }
    return b.toString();
  }

  /** Names the rules (field names, patterns, built-ins); they are not secrets. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (cardNumbers) {
      parts.add("cardNumbers");
    }
    if (emailAddresses) {
      parts.add("emailAddresses");
    }
    if (!fieldNames.isEmpty()) {
      parts.add("fieldNames=" + fieldNames);
    }
    if (!patterns.isEmpty()) {
      parts.add("patterns=" + patterns);
    }
    return "Redaction" + parts;
  }

  /** Configures {@link Redaction}. */
  public static final class Builder {
    private final Set<String> fieldNames = new LinkedHashSet<>();
    private final List<Pattern> patterns = new ArrayList<>();
    private boolean cardNumbers;
    private boolean emailAddresses;
    private String replacement = DEFAULT_REPLACEMENT;

    private Builder() {}

    /** Fields (and labels, at any depth) whose values are replaced whole; case and {@code _ - .} ignored. */
    public Builder fieldNames(String... names) {
      for (String name : names) {
        Objects.requireNonNull(name, "field name");
        if (name.isBlank()) {
          throw new IllegalArgumentException("a redacted field name must not be blank");
        }
        fieldNames.add(normalise(name.trim()));
      }
      return this;
    }

    /**
     * A regular expression ({@link Pattern} syntax) whose every match in text is replaced.
     *
     * @throws IllegalArgumentException naming the pattern if it does not compile, or matches the empty string
     */
    public Builder pattern(String regex) {
      Objects.requireNonNull(regex, "pattern");
      Pattern p;
      try {
        p = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("redaction pattern '" + regex + "' is invalid: " + e.getDescription(), e);
      }
      if (p.matcher("").matches()) {
        throw new IllegalArgumentException("redaction pattern '" + regex + "' matches the empty string");
      }
      patterns.add(p);
      return this;
    }

    /** Whether payment card numbers (Luhn-checked) are redacted; default on. */
    public Builder cardNumbers(boolean enabled) {
      this.cardNumbers = enabled;
      return this;
    }

    /** Whether e-mail addresses are redacted; default on. */
    public Builder emailAddresses(boolean enabled) {
      this.emailAddresses = enabled;
      return this;
    }

    /** What matches become; default {@value #DEFAULT_REPLACEMENT}. */
    public Builder replacement(String replacement) {
      this.replacement = Objects.requireNonNull(replacement, "replacement");
      return this;
    }

    /** The rules. */
    public Redaction build() {
      return new Redaction(Set.copyOf(fieldNames), List.copyOf(patterns), cardNumbers, emailAddresses, replacement);
    }
  }
}
