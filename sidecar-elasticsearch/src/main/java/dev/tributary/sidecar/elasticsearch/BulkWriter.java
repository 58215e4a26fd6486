package dev.tributary.sidecar.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends NDJSON {@code _bulk} requests and classifies every item of the answer:
 * <ul>
 *   <li><b>indexed</b>: 200/201, or 409 for {@code create} in data stream mode (the document with
 *       this id is already there: a replay);</li>
 *   <li><b>retry</b>: 429 and 5xx (the server is overloaded or recovering), and 401/403 (a
 *       privilege problem on one index that an operator fixes; dead-lettering every document would
 *       be worse);</li>
 *   <li><b>rejected</b>: any other status (mapping conflicts, malformed documents): dead-lettered with
 *       the server's error.</li>
 * </ul>
 * A request that gets no bulk answer at all (connection refused, timeout, a non-200 status for the
 * whole request) fails as a whole, and every item is retried, unless it is an {@link AccessProblem}
 * (401, 403, a failed TLS handshake), which stops the sidecar. Ids are explicit, so a retry or a
 * replay overwrites instead of duplicating.
 */
final class BulkWriter {
  /** The path and a response filter: only what the classification needs travels back. */
  static final String BULK_PATH = "/_bulk?filter_path=errors,items.*.status,items.*.error";
  static final String NDJSON = "application/x-ndjson";
  /** Elasticsearch's limit on {@code _id}: 512 bytes. */
  static final int MAX_ID_BYTES = 512;

  private static final JsonFactory JSON = new JsonFactory();
  /** Little-endian {@code long} view of a {@code byte[]}, for {@link #oneLine}. */
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LINE_FEEDS = ONES * '\n';
  private static final long CARRIAGE_RETURNS = ONES * '\r';
  private static final byte[] ACTION_SUFFIX = "\"}}\n".getBytes(StandardCharsets.US_ASCII);
  /** The largest bulk body buffer kept for the next bulk: twice the default {@code bulk.max.bytes}. */
  private static final int MAX_KEPT_BODY_BYTES = 10 * 1024 * 1024;
  /** Daily indices per service: a bound, not a working-set estimate. */
  private static final int MAX_CACHED_PREFIXES = 4096;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> MAPPING_ERRORS = Set.of("mapper_parsing_exception", "document_parsing_exception",
      "strict_dynamic_mapping_exception", "mapper_exception");

  /** What happened to one item. */
  enum Outcome { INDEXED, RETRY, REJECTED }

  /** One item's result: outcome, status, and for failures a DLQ reason code and the error text. */
  record ItemResult(Outcome outcome, int status, String reason, String error) {}

  /**
   * A bulk's result: either {@code items} (one per request item, in order) or a whole-request
   * {@code failure} (then {@code status} is the HTTP status, or 0 when there was no answer);
   * {@code accessProblem} is set when the failure is one retrying cannot fix ({@link AccessProblem}).
   */
  record Result(List<ItemResult> items, String failure, int status, String accessProblem) {
    Result(List<ItemResult> items, String failure, int status) {
      this(items, failure, status, null);
    }

    boolean failed() {
      return failure != null;
    }
  }

  private final SearchTransport transport;
  private final boolean create;
  /** The body buffer reused from bulk to bulk; used by the sending thread only. */
  private byte[] body = new byte[0];
  /** Action-line prefixes per index; used by the consume thread only. */
  private final Map<String, byte[]> actionPrefixes = new HashMap<>();

  BulkWriter(SearchTransport transport, boolean dataStreams) {
    this.transport = transport;
    this.create = dataStreams;
  }

  /**
   * The action line for a document: {@code {"index":{"_index":...,"_id":...}}\n} (or {@code create}).
   * Index names are sanitised ({@link IndexNaming}) and ids are usually plain ASCII: those are
   * written as bytes around a cached per-index prefix (one allocation per document, no generator);
   * anything that might need JSON escaping goes through Jackson.
   */
  byte[] actionLine(String index, String id) {
    byte[] prefix = actionPrefixes.get(index);
    if (prefix == null && isPlain(index)) {
      if (actionPrefixes.size() >= MAX_CACHED_PREFIXES) {
        actionPrefixes.clear();
      }
      prefix = ("{\"" + (create ? "create" : "index") + "\":{\"_index\":\"" + index + "\",\"_id\":\"")
          .getBytes(StandardCharsets.US_ASCII);
      actionPrefixes.put(index, prefix);
    }
    if (prefix != null && isPlain(id)) {
      int n = id.length();
      byte[] out = new byte[prefix.length + n + ACTION_SUFFIX.length];
      System.arraycopy(prefix, 0, out, 0, prefix.length);
      for (int i = 0; i < n; i++) {
        out[prefix.length + i] = (byte) id.charAt(i); // ASCII only, checked by isPlain
      }
      System.arraycopy(ACTION_SUFFIX, 0, out, prefix.length + n, ACTION_SUFFIX.length);
      return out;
    }
    return generatedActionLine(index, id);
  }

  /** Printable ASCII without {@code "} or {@code \}: written into JSON as it is. */
  private static boolean isPlain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  byte[] generatedActionLine(String index, String id) {
    ByteArrayBuilder out = new ByteArrayBuilder(64 + index.length() + id.length());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart(create ? "create" : "index");
      g.writeStringField("_index", index);
      g.writeStringField("_id", id);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.append('\n');
    return out.toByteArray();
  }

  /**
   * The document id for an envelope identity ({@code instance:run:stream:seq}): the identity itself,
   * readable and searchable, or {@code sha256:<base64url>} of it when longer than Elasticsearch's
   * 512-byte limit.
   */
  static String documentId(String identity) {
    if (identity.length() <= MAX_ID_BYTES / 3) {
      return identity; // at most 3 UTF-8 bytes per char (4 per surrogate pair): short enough, no encoding needed
    }
    byte[] utf8 = identity.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_ID_BYTES) {
      return identity;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(utf8);
      return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A record value as one NDJSON line: JSON strings cannot hold raw line breaks, so any CR/LF is
   * whitespace between tokens and becomes a space (copying only when there is one). Runs on every
   * document, so it looks at eight bytes at a time until it finds a line break.
   */
  static byte[] oneLine(byte[] value) {
    int i = 0;
    for (int n = value.length - 8; i <= n; i += 8) {
      long w = (long) LONG.get(value, i);
      long lf = w ^ LINE_FEEDS;
      long cr = w ^ CARRIAGE_RETURNS;
      if (((((lf - ONES) & ~lf) | ((cr - ONES) & ~cr)) & HIGHS) != 0) {
        break; // a line break in this word (or a false alarm, which the loop below sorts out)
      }
    }
    byte[] out = null;
    for (; i < value.length; i++) {
      byte b = value[i];
      if (b == '\n' || b == '\r') {
        if (out == null) {
          out = value.clone();
        }
        out[i] = ' ';
      }
    }
    return out == null ? value : out;
  }

  /**
   * A buffer of at least {@code size} bytes for a bulk body: the last one again if it is large
   * enough (bulks are sent one at a time, each only after the previous one was answered), so a
   * bulk of a few MB is not allocated and zeroed for every request; one beyond
   * {@link #MAX_KEPT_BODY_BYTES} is not kept.
   */
  private byte[] body(int size) {
    if (body.length >= size) {
      return body;
    }
    byte[] b = new byte[size + size / 4];
    if (b.length <= MAX_KEPT_BODY_BYTES) {
      body = b;
    }
    return b;
  }

  /** Builds and sends one bulk of {@code items}; never throws except on interrupt. */
  Result send(List<BulkItem> items) throws InterruptedException {
    int size = 0;
    for (BulkItem item : items) {
      size += item.size();
    }
    byte[] body = body(size);
    int at = 0;
    for (BulkItem item : items) {
      System.arraycopy(item.action, 0, body, at, item.action.length);
      at += item.action.length;
      System.arraycopy(item.source, 0, body, at, item.source.length);
      at += item.source.length;
      body[at++] = '\n';
    }
    SearchTransport.Response response;
    try {
      response = transport.send("POST", BULK_PATH, body, size, NDJSON);
    } catch (IOException e) {
      return new Result(null, "no answer: " + e, 0, AccessProblem.fromException(e, transport.currentUrl()));
    }
    if (response.status() != 200) {
      return new Result(null, "bulk request answered " + response.status() + ": "
          + Templates.truncate(response.bodyText(), 500), response.status(),
          AccessProblem.fromStatus(response.status(), "POST /_bulk", response.bodyText()));
    }
    try {
      List<ItemResult> results = parse(response.body(), items.size());
      if (results.size() != items.size()) {
        return new Result(null, "bulk answer has " + results.size() + " items for " + items.size(), 200);
      }
      return new Result(results, null, 200);
    } catch (IOException | RuntimeException e) {
      return new Result(null, "unreadable bulk answer: " + e, 200);
    }
  }

  /** Parses a (filtered) bulk response; all items indexed if {@code errors} is false. */
  List<ItemResult> parse(byte[] body, int expected) throws IOException {
    List<ItemResult> results = new ArrayList<>(expected);
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("errors") && value == JsonToken.VALUE_FALSE) {
          List<ItemResult> all = new ArrayList<>(expected);
          ItemResult ok = new ItemResult(Outcome.INDEXED, 200, null, null);
          for (int i = 0; i < expected; i++) {
            all.add(ok);
          }
          return all;
        } else if (field.equals("items") && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            p.nextToken(); // the operation name
            p.nextToken(); // its object
            JsonNode op = MAPPER.readTree(p);
            p.nextToken(); // end of the item object
            results.add(classify(op));
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return results;
  }

  private ItemResult classify(JsonNode op) {
    int status = op.path("status").asInt(0);
    if (status == 200 || status == 201 || (create && status == 409)) {
      return new ItemResult(Outcome.INDEXED, status, null, null);
    }
    String error = describe(status, op.path("error"));
    if (status == 429 || status >= 500 || status == 401 || status == 403) {
      return new ItemResult(Outcome.RETRY, status, null, error);
    }
    String type = op.path("error").path("type").asText("");
    String text = op.path("error").path("reason").asText("");
    boolean mapping = MAPPING_ERRORS.contains(type)
        || (type.equals("illegal_argument_exception") && (text.contains("mapping") || text.contains("field")));
    String reason = mapping ? "mapping_conflict" : "rejected";
    return new ItemResult(Outcome.REJECTED, status, reason, error);
  }

  /** {@code status=400 type=... reason=... caused_by=type: reason}: what goes into the DLQ error header. */
  static String describe(int status, JsonNode error) {
    StringBuilder b = new StringBuilder("status=").append(status);
    if (error.isObject()) {
      b.append(" type=").append(error.path("type").asText("?"));
      b.append(" reason=").append(error.path("reason").asText(""));
      JsonNode cause = error.path("caused_by");
      if (cause.isObject()) {
        b.append(" caused_by=").append(cause.path("type").asText("?")).append(": ").append(cause.path("reason").asText(""));
      }
    } else if (!error.isMissingNode()) {
      b.append(" error=").append(error.asText());
    }
    return b.toString();
  }
}
