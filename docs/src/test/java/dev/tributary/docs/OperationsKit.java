package dev.tributary.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the operations kit lives, and reading its YAML and JSON files. */
final class OperationsKit {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private OperationsKit() {}

  static Path docs() {
    String dir = System.getProperty("docs.dir");
    return dir != null ? Path.of(dir) : Path.of("").toAbsolutePath();
  }

  /** The repository root (the parent of docs/). */
  static Path root() {
    return docs().getParent();
  }

  static Path operations() {
    return docs().resolve("operations");
  }

  static Path alerts() {
    return operations().resolve("alerts");
  }

  static Path alertTests() {
    return alerts().resolve("tests");
  }

  static Path runbooks() {
    return operations().resolve("runbooks");
  }

  static Path dashboards() {
    return operations().resolve("dashboards");
  }

  /** Files of {@code dir} whose name ends with {@code suffix}, sorted; none if the folder is missing. */
  static List<Path> files(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> ruleFiles() {
    return files(alerts(), ".rules.yml");
  }

  static List<Path> ruleTestFiles() {
    return files(alertTests(), ".test.yml");
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** One alerting rule of a rule file. */
  record Alert(Path file, String name, JsonNode rule) {
    String expr() {
      return rule.path("expr").asText();
    }

    String annotation(String key) {
      return rule.path("annotations").path(key).asText("");
    }

    String label(String key) {
      return rule.path("labels").path(key).asText("");
    }
  }

  static List<Alert> alertsOf(Path ruleFile) {
    List<Alert> out = new ArrayList<>();
    for (JsonNode group : yaml(ruleFile).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          out.add(new Alert(ruleFile, rule.get("alert").asText(), rule));
        }
      }
    }
    return out;
  }

  static List<Alert> allAlerts() {
    return ruleFiles().stream().flatMap(f -> alertsOf(f).stream()).toList();
  }
}
