package dev.tributary.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The wire format's golden examples, read from docs/wire-format/examples (the single source). */
public final class Golden {
  private Golden() {}

  public static Path dir() {
    String docs = System.getProperty("docs.dir");
    Path base = docs != null ? Path.of(docs) : Path.of("..", "docs");
    return base.resolve("wire-format").resolve("examples");
  }

  /** The file's content without the trailing newline: exactly what goes into a record value. */
  public static byte[] bytes(String name) {
    try {
      String text = Files.readString(dir().resolve(name), StandardCharsets.UTF_8);
      return text.stripTrailing().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> names() {
    try (Stream<Path> files = Files.list(dir())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
