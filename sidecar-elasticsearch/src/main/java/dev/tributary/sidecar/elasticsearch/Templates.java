package dev.tributary.sidecar.elasticsearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The component and index templates the sidecar installs at start, with ECS-friendly mappings.
 * {@code PUT _component_template} and {@code PUT _index_template} replace what is there, so
 * installing is idempotent; the same bodies are accepted by Elasticsearch 8, 9 and OpenSearch 2
 * (no {@code match_only_text}, {@code wildcard} or other features one of them lacks).
 *
 * <ul>
 *   <li>{@value #BASE}: settings and the fields every envelope has ({@code @timestamp},
 *       {@code tributary.*}, {@code service.*}, {@code trace.id}, {@code span.id},
 *       {@code correlation.id}, {@code labels.*} as keywords); strings without a mapping become
 *       {@code keyword} (ignore_above 1024), date detection is off, and
 *       {@code index.mapping.ignore_malformed} keeps a document whose {@code fields.x} number
 *       turned into a word (the field is then not indexed for that document, but kept in
 *       {@code _source}); {@code index.mapping.total_fields.limit} bounds dynamic fields.</li>
 *   <li>{@value #LOGS}: {@code log.*}, {@code message} (text with a keyword sub-field),
 *       {@code error.*}, {@code process.thread.name}, {@code tags}.</li>
 *   <li>{@value #EVENTS}: {@code event.domain}, {@code event.name}, {@code event.entity_id}.</li>
 * </ul>
 */
final class Templates {
  static final String BASE = "tributary-base-mappings";
  static final String LOGS = "tributary-logs-mappings";
  static final String EVENTS = "tributary-events-mappings";
  static final String LOGS_TEMPLATE = "tributary-logs";
  static final String EVENTS_TEMPLATE = "tributary-events";
  /** Bumped when the bodies change; stored in {@code _meta.version}. */
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final IndexNaming naming;
  private final int priority;
  private final int replicas;
  private final int fieldsLimit;

  Templates(IndexNaming naming, int priority, int replicas, int fieldsLimit) {
    this.naming = naming;
    this.priority = priority;
    this.replicas = replicas;
    this.fieldsLimit = fieldsLimit;
  }

  /** The requests, in install order: path to body. */
  Map<String, byte[]> requests() {
    Map<String, byte[]> r = new LinkedHashMap<>();
    r.put("/_component_template/" + BASE, bytes(component(baseSettings(), baseMappings())));
    r.put("/_component_template/" + LOGS, bytes(component(null, logMappings())));
    r.put("/_component_template/" + EVENTS, bytes(component(null, eventMappings())));
    r.put("/_index_template/" + logsTemplateName(), bytes(indexTemplate(naming.logsTemplatePattern(), LOGS)));
    r.put("/_index_template/" + eventsTemplateName(), bytes(indexTemplate(naming.eventsTemplatePattern(), EVENTS)));
    return r;
  }

  /**
   * The log index template's name: {@value #LOGS_TEMPLATE}, or {@code tributary-logs-ds} in data
   * stream mode. Separate names let both modes live in one cluster: Elasticsearch refuses to turn a
   * template that data streams use into one without {@code data_stream}.
   */
  String logsTemplateName() {
    return naming.dataStreams() ? LOGS_TEMPLATE + "-ds" : LOGS_TEMPLATE;
  }

  /** The event index template's name: {@value #EVENTS_TEMPLATE}, or {@code tributary-events-ds}. */
  String eventsTemplateName() {
    return naming.dataStreams() ? EVENTS_TEMPLATE + "-ds" : EVENTS_TEMPLATE;
  }

  /** Installs all templates; throws with the server's answer if one is refused. */
  void install(SearchTransport transport) throws IOException, InterruptedException {
    for (Map.Entry<String, byte[]> e : requests().entrySet()) {
      SearchTransport.Response response = transport.send("PUT", e.getKey(), e.getValue(), "application/json");
      if (response.status() != 200) {
        throw new TemplateException(response.status(), e.getKey(), response.bodyText(), "PUT " + e.getKey() + " answered "
            + response.status() + ": " + truncate(response.bodyText(), 1000));
      }
    }
  }

  /** A template the server refused (as opposed to a server that did not answer). */
  static final class TemplateException extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String template; // the path, e.g. /_component_template/tributary-base-mappings
    final String body;

    TemplateException(int status, String template, String body, String message) {
      super(message);
      this.status = status;
      this.template = template;
      this.body = body;
    }
  }

  private ObjectNode indexTemplate(String pattern, String component) {
    ObjectNode t = JSON.createObjectNode();
    t.putArray("index_patterns").add(pattern);
    // Overlapping patterns of equal priority are refused, and logs-*-*.*.* overlaps logs-*-default.
    t.put("priority", naming.dataStreams() ? priority + 1 : priority);
    ArrayNode composed = t.putArray("composed_of");
    composed.add(BASE);
    composed.add(component);
    if (naming.dataStreams()) {
      t.putObject("data_stream");
    }
    ObjectNode meta = t.putObject("_meta");
    meta.put("managed_by", "tributary");
    meta.put("version", VERSION);
    return t;
  }

  private static ObjectNode component(ObjectNode settings, ObjectNode mappings) {
    ObjectNode c = JSON.createObjectNode();
    ObjectNode template = c.putObject("template");
    if (settings != null) {
      template.set("settings", settings);
    }
    template.set("mappings", mappings);
    ObjectNode meta = c.putObject("_meta");
    meta.put("managed_by", "tributary");
    meta.put("version", VERSION);
    return c;
  }

  private ObjectNode baseSettings() {
    ObjectNode s = JSON.createObjectNode();
    s.put("index.mapping.ignore_malformed", true);
    s.put("index.mapping.total_fields.limit", fieldsLimit);
    if (replicas >= 0) {
      s.put("index.number_of_replicas", replicas);
    }
    return s;
  }

  private static ObjectNode baseMappings() {
    ObjectNode m = JSON.createObjectNode();
    m.put("date_detection", false);
    ArrayNode dynamic = m.putArray("dynamic_templates");
    dynamic.add(dynamicString("labels_as_keywords", "labels.*", keyword(0)));
    dynamic.add(dynamicString("strings_as_keywords", null, keyword(1024)));
    ObjectNode p = m.putObject("properties");
    put(p, "@timestamp", type("date"));
    put(p, "tributary.schema", keyword(0));
    put(p, "tributary.type", keyword(0));
    put(p, "tributary.run", keyword(0));
    put(p, "tributary.stream", keyword(0));
    put(p, "tributary.seq", type("long"));
    for (String f : List.of("service.name", "service.version", "service.environment", "service.node.name",
        "trace.id", "span.id", "correlation.id")) {
      put(p, f, keyword(0));
    }
    put(p, "labels", type("object"));
    return m;
  }

  private static ObjectNode logMappings() {
    ObjectNode m = JSON.createObjectNode();
    ObjectNode p = m.putObject("properties");
    put(p, "log.level", keyword(0));
    put(p, "log.logger", keyword(0));
    put(p, "log.origin.file.name", keyword(0));
    put(p, "log.origin.file.line", type("long"));
    put(p, "log.origin.function", keyword(0));
    ObjectNode message = type("text");
    message.putObject("fields").set("keyword", keyword(1024));
    put(p, "message", message);
    put(p, "process.thread.name", keyword(0));
    put(p, "error.type", keyword(0));
    put(p, "error.message", type("text"));
    put(p, "error.stack_trace", type("text"));
    put(p, "tags", keyword(0));
    put(p, "fields", type("object"));
    return m;
  }

  private static ObjectNode eventMappings() {
    ObjectNode m = JSON.createObjectNode();
    ObjectNode p = m.putObject("properties");
    put(p, "event.domain", keyword(0));
    put(p, "event.name", keyword(0));
    put(p, "event.entity_id", keyword(0));
    put(p, "attributes", type("object"));
    return m;
  }

  private static ObjectNode dynamicString(String name, String pathMatch, ObjectNode mapping) {
    ObjectNode outer = JSON.createObjectNode();
    ObjectNode t = outer.putObject(name);
    if (pathMatch != null) {
      t.put("path_match", pathMatch);
    }
    t.put("match_mapping_type", "string");
    t.set("mapping", mapping);
    return outer;
  }

  private static ObjectNode keyword(int ignoreAbove) {
    ObjectNode k = type("keyword");
    if (ignoreAbove > 0) {
      k.put("ignore_above", ignoreAbove);
    }
    return k;
  }

  private static ObjectNode type(String type) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", type);
    return n;
  }

  /** Puts a mapping at a dotted path, nesting {@code properties} objects (portable to every server). */
  private static void put(ObjectNode properties, String dottedPath, ObjectNode mapping) {
    String[] parts = dottedPath.split("\\.");
    ObjectNode at = properties;
    for (int i = 0; i < parts.length - 1; i++) {
      ObjectNode field = at.has(parts[i]) ? (ObjectNode) at.get(parts[i]) : at.putObject(parts[i]);
      at = field.has("properties") ? (ObjectNode) field.get("properties") : field.putObject("properties");
    }
    at.set(parts[parts.length - 1], mapping);
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
