package dev.tributary.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.Tributary;
import dev.tributary.docs.Deployment.Container;
import dev.tributary.docs.Deployment.Dockerfile;
import dev.tributary.exporter.kafka.KafkaExporterKeys;
import dev.tributary.internal.ConfigKeys;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.sidecar.elasticsearch.ElasticsearchConfigCheck;
import dev.tributary.sidecar.prometheus.PrometheusSidecarKeys;
import dev.tributary.topics.TopicSpec;
import dev.tributary.topics.TopicsFile;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ and docs/deploy.md without a Docker engine: files parse, every image we reference has a
 * Dockerfile that copies a jar its module really builds, every TRIBUTARY_* variable is accepted by
 * the configuration code of the program that reads it, and ports agree everywhere.
 */
class DeploymentTest {
  private static final String SIDECAR_PROMETHEUS = "sidecar-prometheus";
  private static final String SIDECAR_ELASTICSEARCH = "sidecar-elasticsearch";
  private static final String PAYMENT_SERVICE = "payment-service";
  private static final String KAFKA_EXPORTER = "kafka-exporter";
  private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS");
  private static final Pattern GETENV = Pattern.compile("getenv\\(\\s*\"([A-Z0-9_]+)\"");

  @Test
  void everyYamlAndJsonFileParses() {
    List<Path> yaml = Deployment.filesEndingWith(".yml", ".yaml");
    assertThat(yaml).hasSizeGreaterThanOrEqualTo(7);
    yaml.forEach(f -> assertThat(Deployment.yamlDocuments(f)).as("%s has documents", f).isNotEmpty());
    Deployment.filesEndingWith(".json").forEach(OperationsKit::json);
    for (Path f : Deployment.kubernetesFiles()) {
      for (JsonNode doc : Deployment.yamlDocuments(f)) {
        assertThat(doc.path("apiVersion").asText()).as("%s apiVersion", f.getFileName()).isNotBlank();
        assertThat(doc.path("kind").asText()).as("%s kind", f.getFileName()).isNotBlank();
        assertThat(doc.path("metadata").path("name").asText()).as("%s name", f.getFileName()).isNotBlank();
      }
    }
  }

  @Test
  void theImagesAreOursTheSidecarsAndTheApplication() {
    Set<String> images = new HashSet<>();
    Deployment.containers().forEach(c -> images.add(c.imageName()));
    assertThat(images).containsExactlyInAnyOrder(SIDECAR_PROMETHEUS, SIDECAR_ELASTICSEARCH, KAFKA_EXPORTER, PAYMENT_SERVICE);
  }

  @Test
  void everyImageHasADockerfileCopyingAJarItsModuleBuilds() throws IOException {
    Set<String> images = new HashSet<>();
    Deployment.containers().forEach(c -> images.add(c.imageName()));
    for (String image : images) {
      Path file = Deployment.dir().resolve(image).resolve("Dockerfile");
      assertThat(file).as("Dockerfile of tributary/%s", image).exists();
      Dockerfile d = Deployment.dockerfile(image);
      List<String[]> jars = d.copies().stream().filter(c -> c[0].endsWith(".jar")).toList();
      assertThat(jars).as("%s copies one jar", file).hasSize(1);
      String source = jars.get(0)[0];
      String target = jars.get(0)[1];
      Matcher m = Pattern.compile("(.+)/target/([^/]+)\\.jar").matcher(source);
      assertThat(m.matches()).as("%s copies <module>/target/<name>.jar, not %s", file, source).isTrue();
      String runs = String.join(" ", d.entrypoint());
      assertThat(runs.contains(target) || runs.contains(target.substring(0, target.lastIndexOf('/') + 1) + "*"))
          .as("%s runs the jar it copied (%s): %s", file, target, runs).isTrue();
      Path module = OperationsKit.root().resolve(m.group(1));
      if (!Files.isDirectory(module)) {
        continue; // the module has not landed on this branch yet; checked once it does
      }
      assertThat(jarsBuiltBy(module)).as("jars %s builds", module.resolve("pom.xml")).contains(m.group(2) + ".jar");
      Path jar = OperationsKit.root().resolve(source);
      if (Files.exists(jar)) { // after `mvn package`: what the image runs is in the jar
        try (JarFile j = new JarFile(jar.toFile())) {
          if (d.entrypoint().contains("-jar")) {
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class")).as("%s Main-Class", jar).isNotBlank();
          }
          List<List<String>> commands = new ArrayList<>();
          commands.add(d.entrypoint());
          Deployment.containers().stream().filter(c -> c.imageName().equals(image)).forEach(c -> commands.add(c.command()));
          for (List<String> command : commands) {
            if (command.contains("-cp")) {
              String mainClass = command.get(command.indexOf("-cp") + 2);
              assertThat(j.getEntry(mainClass.replace('.', '/') + ".class")).as("%s has %s", jar, mainClass).isNotNull();
            }
          }
        }
      }
    }
  }

  /**
   * The jar names a module's pom produces: the shade plugin's finalName or outputFile, and the
   * plain artifactId-version.jar.
   */
  private static Set<String> jarsBuiltBy(Path module) throws IOException {
    String pom = Files.readString(module.resolve("pom.xml"));
    Set<String> names = new HashSet<>();
    Matcher finalName = Pattern.compile("<finalName>([^<$]+)</finalName>").matcher(pom);
    while (finalName.find()) {
      names.add(finalName.group(1) + ".jar");
    }
    Matcher outputFile = Pattern.compile("<outputFile>[^<]*/([^/<]+\\.jar)</outputFile>").matcher(pom);
    while (outputFile.find()) {
      names.add(outputFile.group(1));
    }
    String withoutParent = pom.replaceAll("(?s)<parent>.*?</parent>", "");
    Matcher artifactId = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(withoutParent);
    Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(pom);
    if (artifactId.find() && version.find()) {
      names.add(artifactId.group(1) + "-" + version.group(1) + ".jar");
    }
    return names;
  }

  @Test
  void composeBuildsEachImageFromItsDockerfile() {
    JsonNode services = OperationsKit.yaml(Deployment.compose()).path("services");
    services.fields().forEachRemaining(e -> {
      JsonNode build = e.getValue().path("build");
      if (!build.isMissingNode()) {
        Path context = Deployment.compose().getParent().resolve(build.path("context").asText()).normalize();
        assertThat(context).isEqualTo(OperationsKit.root());
        String image = e.getValue().path("image").asText();
        assertThat(context.resolve(build.path("dockerfile").asText()))
            .as("service %s", e.getKey())
            .isEqualTo(Deployment.dir().resolve(image.substring(Deployment.IMAGE_PREFIX.length()).replaceAll(":.*", "")).resolve("Dockerfile"));
      }
    });
  }

  @Test
  void everyTributaryVariableIsAConfigurationKeyOfTheProgramThatReadsIt() throws IOException {
    Set<String> paymentVariables = paymentServiceVariables();
    for (Container c : Deployment.containers()) {
      Map<String, String> env = new LinkedHashMap<>(Deployment.dockerfile(c.imageName()).env());
      env.putAll(c.env());
      env.keySet().removeAll(JVM_VARIABLES);
      switch (c.imageName()) {
        case SIDECAR_PROMETHEUS -> assertThatCode(() -> SidecarConfig.load(PrometheusSidecarKeys.all(), env))
            .as("%s environment %s", c.where(), env.keySet()).doesNotThrowAnyException();
        case SIDECAR_ELASTICSEARCH -> assertThatCode(() -> ElasticsearchConfigCheck.validate(env))
            .as("%s environment %s", c.where(), env.keySet()).doesNotThrowAnyException();
        case KAFKA_EXPORTER -> assertThatCode(() -> SidecarConfig.load(KafkaExporterKeys.all(), env))
            .as("%s environment %s", c.where(), env.keySet()).doesNotThrowAnyException();
        case PAYMENT_SERVICE -> {
          Map<String, String> sdk = new LinkedHashMap<>();
          env.forEach((k, v) -> {
            if (k.startsWith(ConfigKeys.ENV_PREFIX)) {
              sdk.put(k, v);
            } else if (paymentVariables != null) {
              assertThat(paymentVariables).as("%s: %s is read by examples/payment-service", c.where(), k).contains(k);
            }
          });
          assertThatCode(() -> ConfigKeys.applyEnvironment(Tributary.builder(), sdk, new Properties()))
              .as("%s SDK environment %s", c.where(), sdk.keySet()).doesNotThrowAnyException();
        }
        default -> throw new AssertionError("unexpected image " + c.image() + " in " + c.where());
      }
    }
  }

  /** A misspelt variable must fail the check above, or it proves nothing. */
  @Test
  void aMisspeltVariableIsRejected() {
    assertThatCode(() -> SidecarConfig.load(PrometheusSidecarKeys.all(), Map.of("TRIBUTARY_MAX_SERIE", "10")))
        .hasMessageContaining("TRIBUTARY_MAX_SERIE");
    assertThatCode(() -> ElasticsearchConfigCheck.validate(Map.of("TRIBUTARY_ELASTICSEARCH_URLS", "http://x:9200")))
        .hasMessageContaining("TRIBUTARY_ELASTICSEARCH_URLS");
    assertThatCode(() -> ConfigKeys.applyEnvironment(Tributary.builder(), Map.of("TRIBUTARY_SERVICE", "x"), new Properties()))
        .hasMessageContaining("TRIBUTARY_SERVICE");
  }

  @Test
  void portsAgreeBetweenDockerfilesManifestsAndScrapeConfiguration() {
    Map<String, List<Integer>> defaults = Map.of(
        SIDECAR_PROMETHEUS, List.of(PrometheusSidecarKeys.DEFAULT_HTTP_PORT),
        SIDECAR_ELASTICSEARCH, List.of(ElasticsearchConfigCheck.defaultHttpPort()),
        KAFKA_EXPORTER, List.of(KafkaExporterKeys.DEFAULT_HTTP_PORT, KafkaExporterKeys.DEFAULT_WEBHOOK_PORT));
    for (Container c : Deployment.containers()) {
      if (!c.command().isEmpty()) {
        continue; // a one-shot job (topics, load generator) serves nothing
      }
      Dockerfile d = Deployment.dockerfile(c.imageName());
      List<Integer> expected = defaults.get(c.imageName());
      if (expected != null) {
        Map<String, String> env = new LinkedHashMap<>(d.env());
        env.putAll(c.env());
        List<Integer> configured = Stream.of("TRIBUTARY_HTTP_PORT", "TRIBUTARY_WEBHOOK_PORT")
            .filter(env::containsKey).map(k -> Integer.parseInt(env.get(k))).toList();
        assertThat(configured).as("%s TRIBUTARY_*_PORT", c.where()).containsExactlyElementsOf(expected);
      } else {
        List<String> entry = d.entrypoint();
        expected = List.of(Integer.parseInt(entry.get(entry.indexOf("--port") + 1)));
      }
      assertThat(d.exposed()).as("%s EXPOSE", d.file()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(c.ports()).as("%s ports", c.where()).containsExactlyInAnyOrderElementsOf(expected);
    }
    // Kubernetes: probes and Services point at a declared container port
    for (Path file : Deployment.kubernetesFiles()) {
      Map<String, Integer> named = new LinkedHashMap<>();
      List<JsonNode> docs = Deployment.yamlDocuments(file);
      for (JsonNode doc : docs) {
        for (JsonNode c : doc.path("spec").path("template").path("spec").path("containers")) {
          c.path("ports").forEach(p -> named.put(p.path("name").asText(), p.path("containerPort").asInt()));
          for (String probe : List.of("livenessProbe", "readinessProbe")) {
            JsonNode port = c.path(probe).path("httpGet").path("port");
            if (!port.isMissingNode()) {
              assertThat(port.isInt() ? named.containsValue(port.asInt()) : named.containsKey(port.asText()))
                  .as("%s %s port %s", file.getFileName(), probe, port).isTrue();
            }
          }
        }
      }
      for (JsonNode doc : docs) {
        if (doc.path("kind").asText().equals("Service")) {
          for (JsonNode p : doc.path("spec").path("ports")) {
            JsonNode target = p.path("targetPort");
            assertThat(target.isInt() ? named.containsValue(target.asInt()) : named.containsKey(target.asText()))
                .as("%s Service %s targetPort %s", file.getFileName(), doc.path("metadata").path("name").asText(), target)
                .isTrue();
          }
        }
      }
    }
    // Prometheus scrapes, and Alertmanager posts to, compose services on ports they expose
    for (JsonNode job : OperationsKit.yaml(OperationsKit.operations().resolve("prometheus.yml")).path("scrape_configs")) {
      for (JsonNode sd : job.path("dns_sd_configs")) {
        for (JsonNode name : sd.path("names")) {
          assertComposeServiceExposes(name.asText(), sd.path("port").asText(), "scrape job " + job.path("job_name"));
        }
      }
      for (JsonNode sc : job.path("static_configs")) {
        for (JsonNode target : sc.path("targets")) {
          String[] hostPort = target.asText().split(":");
          assertComposeServiceExposes(hostPort[0], hostPort[1], "scrape job " + job.path("job_name"));
        }
      }
    }
    for (JsonNode receiver : OperationsKit.yaml(OperationsKit.operations().resolve("alertmanager.yml")).path("receivers")) {
      if (receiver.path("name").asText().equals("alert-publisher")) {
        URI url = URI.create(receiver.path("webhook_configs").path(0).path("url").asText());
        assertThat(url.getPort()).isEqualTo(KafkaExporterKeys.DEFAULT_WEBHOOK_PORT);
        assertThat(url.getPath()).isEqualTo("/alerts");
        assertComposeServiceExposes(url.getHost(), Integer.toString(url.getPort()), "alertmanager.yml alert-publisher");
      }
    }
  }

  private static void assertComposeServiceExposes(String name, String port, String user) {
    JsonNode service = OperationsKit.yaml(Deployment.compose()).path("services").path(name);
    assertThat(service.isMissingNode()).as("compose service %s used by %s", name, user).isFalse();
    assertThat(Deployment.strings(service.path("expose"))).as("compose service %s used by %s", name, user).contains(port);
  }

  @Test
  void theTopicsFilesDeclareCoPartitionedTopicsForEverythingTheSidecarsRead() throws IOException {
    TopicsFile compose = TopicsFile.parse(Deployment.dir().resolve("topics.json"));
    String embedded = null;
    for (JsonNode doc : Deployment.yamlDocuments(Deployment.dir().resolve("kubernetes/topics-job.yaml"))) {
      if (doc.path("kind").asText().equals("ConfigMap")) {
        embedded = doc.path("data").path("topics.json").asText();
      }
    }
    assertThat(embedded).isNotNull();
    TopicsFile kubernetes = TopicsFile.parse(new ByteArrayInputStream(embedded.getBytes(StandardCharsets.UTF_8)));
    Consumer<TopicsFile> covers = file -> {
      for (TopicSpec t : TopicsFile.defaults().topics()) {
        assertThat(file.topic(t.name())).as("%s declares %s", file.source(), t.name()).isPresent();
        assertThat(file.topic(t.name()).get().partitions()).isEqualTo(t.partitions());
      }
      assertThat(file.topic("health.events").get().copartitionedWith()).contains("metrics.events");
      assertThat(file.topic("payment.events")).isPresent();
    };
    covers.accept(compose);
    covers.accept(kubernetes);
    assertThat(namesAndPartitions(kubernetes)).as("same topics in compose and Kubernetes")
        .isEqualTo(namesAndPartitions(compose));
  }

  private static List<String> namesAndPartitions(TopicsFile file) {
    return file.topics().stream().map(t -> t.name() + "/" + t.partitions()).toList();
  }

  @Test
  void theDeploymentGuideLinksEveryFileOfDeploy() throws IOException {
    String guide = Files.readString(OperationsKit.docs().resolve("deploy.md"));
    for (Path f : Deployment.filesEndingWith("Dockerfile", ".yml", ".yaml", ".json")) {
      String relative = OperationsKit.root().relativize(f).toString();
      assertThat(guide).as("docs/deploy.md mentions %s", relative).contains(relative.replace("deploy/", ""));
    }
  }

  /** The variables examples/payment-service reads with System.getenv, or null before it landed. */
  private static Set<String> paymentServiceVariables() throws IOException {
    Path sources = OperationsKit.root().resolve("examples/payment-service/src/main/java");
    if (!Files.isDirectory(sources)) {
      return null;
    }
    Set<String> names = new HashSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = GETENV.matcher(Files.readString(f));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }
}
