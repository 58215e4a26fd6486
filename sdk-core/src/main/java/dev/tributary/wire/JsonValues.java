package dev.tributary.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Free-form values ({@code fields}, {@code attributes}) between Java objects and JSON.
 *
 * <p>Writing accepts what applications put there: strings, numbers, booleans, maps, collections,
 * arrays, temporals and enums are written as their JSON counterparts; anything else as its
 * {@code toString()}. A {@code toString()} that throws, and nesting deeper than {@link #MAX_DEPTH}
 * (cycles), are written as a placeholder string instead of failing the record.
 */
final class JsonValues {
  static final int MAX_DEPTH = 16;

  private JsonValues() {}

  static void write(JsonGenerator gen, Object value, int depth) throws IOException {
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof String s) {
      gen.writeString(s);
    } else if (value instanceof Boolean b) {
      gen.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      gen.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      EnvelopeWriter.writeDouble(gen, ((Number) value).doubleValue());
    } else if (value instanceof BigInteger bi) {
      gen.writeNumber(bi);
    } else if (value instanceof BigDecimal bd) {
      gen.writeNumber(bd);
    } else if (depth >= MAX_DEPTH) {
      gen.writeString("[nested too deep]");
    } else if (value instanceof Map<?, ?> map) {
      gen.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        gen.writeFieldName(String.valueOf(entry.getKey()));
        write(gen, entry.getValue(), depth + 1);
      }
      gen.writeEndObject();
    } else if (value instanceof Collection<?> items) {
      gen.writeStartArray();
      for (Object item : items) {
        write(gen, item, depth + 1);
      }
      gen.writeEndArray();
    } else if (value instanceof Object[] items) {
      gen.writeStartArray();
      for (Object item : items) {
        write(gen, item, depth + 1);
      }
      gen.writeEndArray();
    } else if (value instanceof Enum<?> e) {
      gen.writeString(e.name());
    } else if (value instanceof CharSequence || value instanceof TemporalAccessor || value instanceof Number) {
      gen.writeString(value.toString());
    } else {
      gen.writeString(safeToString(value));
    }
  }

  private static String safeToString(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException | StackOverflowError e) {
      return "[toString() of " + value.getClass().getName() + " failed: " + e + "]";
    }
  }

  /** Reads the value at the parser's current token: objects become insertion-ordered maps. */
  static Object read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, read(p));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(read(p));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected token " + t);
    }
  }
}
