package dev.tributary.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads deploy/: the compose file, the Kubernetes manifests and the Dockerfiles. */
final class Deployment {
  static final String IMAGE_PREFIX = "tributary/";

  private Deployment() {}

  static Path dir() {
    return OperationsKit.root().resolve("deploy");
  }

  static Path compose() {
    return dir().resolve("docker-compose.yml");
  }

  static List<Path> kubernetesFiles() {
    return OperationsKit.files(dir().resolve("kubernetes"), ".yaml");
  }

  /** Every file of deploy/ with one of the suffixes, recursively. */
  static List<Path> filesEndingWith(String... suffixes) {
    try (Stream<Path> s = Files.walk(dir())) {
      return s.filter(Files::isRegularFile)
          .filter(p -> Stream.of(suffixes).anyMatch(x -> p.getFileName().toString().endsWith(x)))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> yamlDocuments(Path file) {
    try (MappingIterator<JsonNode> it = OperationsKit.YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      List<JsonNode> docs = new ArrayList<>();
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /** A container that runs one of our images, wherever it is declared. */
  record Container(String where, String image, Map<String, String> env, List<String> command, List<Integer> ports,
      JsonNode node) {
    String imageName() {
      String name = image.substring(IMAGE_PREFIX.length());
      int colon = name.indexOf(':');
      return colon < 0 ? name : name.substring(0, colon);
    }
  }

  /** Compose services and Kubernetes containers whose image is one of ours. */
  static List<Container> containers() {
    List<Container> out = new ArrayList<>();
    JsonNode services = OperationsKit.yaml(compose()).path("services");
    services.fields().forEachRemaining(e -> {
      JsonNode service = e.getValue();
      String image = service.path("image").asText("");
      if (image.startsWith(IMAGE_PREFIX)) {
        Map<String, String> env = new LinkedHashMap<>();
        service.path("environment").fields().forEachRemaining(v -> env.put(v.getKey(), v.getValue().asText()));
        List<Integer> ports = new ArrayList<>();
        service.path("expose").forEach(p -> ports.add(Integer.parseInt(p.asText())));
        service.path("ports").forEach(p -> ports.add(Integer.parseInt(p.asText().replaceAll(".*:", ""))));
        out.add(new Container("docker-compose.yml service " + e.getKey(), image, env, strings(service.path("entrypoint")),
            ports, service));
      }
    });
    for (Path file : kubernetesFiles()) {
      for (JsonNode doc : yamlDocuments(file)) {
        for (JsonNode c : doc.path("spec").path("template").path("spec").path("containers")) {
          String image = c.path("image").asText("");
          if (image.startsWith(IMAGE_PREFIX)) {
            Map<String, String> env = new LinkedHashMap<>();
            for (JsonNode v : c.path("env")) {
              env.put(v.path("name").asText(), v.has("value") ? v.path("value").asText() : "from-" + v.path("valueFrom").fieldNames().next());
            }
            List<Integer> ports = new ArrayList<>();
            c.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
            out.add(new Container(file.getFileName() + " " + doc.path("kind").asText() + " "
                + doc.path("metadata").path("name").asText() + " container " + c.path("name").asText(), image, env,
                strings(c.path("command")), ports, c));
          }
        }
      }
    }
    return out;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** What a Dockerfile declares. */
  record Dockerfile(Path file, List<String[]> copies, Map<String, String> env, List<Integer> exposed,
      List<String> entrypoint) {}

  private static final Pattern JSON_ARRAY_ITEM = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

  static Dockerfile dockerfile(String imageName) {
    Path file = dir().resolve(imageName).resolve("Dockerfile");
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank() || line.stripLeading().startsWith("#")) {
          continue;
        }
        if (line.endsWith("\\")) {
          current.append(line, 0, line.length() - 1).append(' ');
        } else {
          logical.add(current.append(line).toString().trim());
          current.setLength(0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String[]> copies = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    List<Integer> exposed = new ArrayList<>();
    List<String> entrypoint = new ArrayList<>();
    for (String line : logical) {
      String[] parts = line.split("\\s+", 2);
      String args = parts.length > 1 ? parts[1] : "";
      switch (parts[0].toUpperCase(java.util.Locale.ROOT)) {
        case "COPY" -> copies.add(args.split("\\s+"));
        case "ENV" -> {
          Matcher m = ENV_PAIR.matcher(args);
          while (m.find()) {
            env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
          }
        }
        case "EXPOSE" -> Stream.of(args.split("\\s+")).forEach(p -> exposed.add(Integer.parseInt(p.replace("/tcp", ""))));
        case "ENTRYPOINT" -> {
          Matcher m = JSON_ARRAY_ITEM.matcher(args);
          while (m.find()) {
            entrypoint.add(m.group(1));
          }
        }
        default -> { }
      }
    }
    return new Dockerfile(file, copies, env, exposed, entrypoint);
  }
}
