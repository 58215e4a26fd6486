package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sidecar.elasticsearch.BulkWriter.ItemResult;
import dev.tributary.sidecar.elasticsearch.BulkWriter.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkWriterTest {
  private final BulkWriter index = new BulkWriter(null, false);
  private final BulkWriter create = new BulkWriter(null, true);

  @Test
  void theWrittenActionLineIsTheOneJacksonWouldGenerate() {
    for (BulkWriter writer : new BulkWriter[] {index, create}) {
      for (String id : new String[] {"i-1:run:logs:7", "a\"b", "back\\slash", "tab\there", "ünïcode", "", "x".repeat(300)}) {
        for (String target : new String[] {"logs-a-2026.01.01", "events-payment-2026.01.02"}) {
          assertThat(new String(writer.actionLine(target, id), StandardCharsets.UTF_8)).as(id)
              .isEqualTo(new String(writer.generatedActionLine(target, id), StandardCharsets.UTF_8));
        }
      }
    }
  }

  @Test
  void actionLinesCarryTheIndexAndTheExplicitIdEscaped() {
    assertThat(new String(index.actionLine("logs-a-2026.01.01", "i-1:run:logs:7"), StandardCharsets.UTF_8))
        .isEqualTo("{\"index\":{\"_index\":\"logs-a-2026.01.01\",\"_id\":\"i-1:run:logs:7\"}}\n");
    assertThat(new String(create.actionLine("logs-a-default", "a\"b"), StandardCharsets.UTF_8))
        .isEqualTo("{\"create\":{\"_index\":\"logs-a-default\",\"_id\":\"a\\\"b\"}}\n");
  }

  @Test
  void idsAreTheIdentityUnlessLongerThanElasticsearchAllows() {
    assertThat(BulkWriter.documentId("pod-1:3f2a:logs:42")).isEqualTo("pod-1:3f2a:logs:42");
    String multiByte = "\u20ac".repeat(170); // 510 UTF-8 bytes: kept; 171 would be 513
    assertThat(BulkWriter.documentId(multiByte)).isEqualTo(multiByte);
    assertThat(BulkWriter.documentId(multiByte + "\u20ac")).startsWith("sha256:");
    String longId = BulkWriter.documentId("x".repeat(600) + ":run:logs:1");
    assertThat(longId).startsWith("sha256:").hasSize(7 + 43);
    assertThat(BulkWriter.documentId("x".repeat(600) + ":run:logs:1")).isEqualTo(longId);
    assertThat(BulkWriter.documentId("x".repeat(600) + ":run:logs:2")).isNotEqualTo(longId);
  }

  @Test
  void prettyPrintedValuesBecomeOneNdjsonLine() {
    byte[] pretty = "{\n  \"a\": \"b\"\r\n}".getBytes(StandardCharsets.UTF_8);
    assertThat(new String(BulkWriter.oneLine(pretty), StandardCharsets.UTF_8)).isEqualTo("{   \"a\": \"b\"  }");
    byte[] compact = "{\"a\":\"b\\n\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(BulkWriter.oneLine(compact)).isSameAs(compact);
  }

  @Test
  void everyLineBreakAnywhereBecomesASpaceAndNothingElseChanges() {
    byte[] fillers = {'x', ' ', (byte) 0x8A, (byte) 0x8D, 0x0B, 0x1A, 0x2D, (byte) 0xFF};
    for (int length = 0; length <= 40; length++) {
      for (byte filler : fillers) {
        byte[] plain = new byte[length];
        java.util.Arrays.fill(plain, filler);
        assertThat(BulkWriter.oneLine(plain)).isSameAs(plain);
        for (int at = 0; at < length; at++) {
          for (byte lineBreak : new byte[] {'\n', '\r'}) {
            byte[] value = plain.clone();
            value[at] = lineBreak;
            if (at + 9 < length) {
              value[at + 9] = (byte) ('\n' + '\r' - lineBreak); // a second one, in a later word
            }
            byte[] expected = value.clone();
            for (int i = 0; i < length; i++) {
              if (expected[i] == '\n' || expected[i] == '\r') {
                expected[i] = ' ';
              }
            }
            assertThat(BulkWriter.oneLine(value)).as("length %d, break at %d", length, at).isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void anAnswerWithoutErrorsIndexesEveryItem() throws Exception {
    List<ItemResult> r = index.parse(bytes("{\"errors\":false,\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":200}}]}"), 2);
    assertThat(r).extracting(ItemResult::outcome).containsExactly(Outcome.INDEXED, Outcome.INDEXED);
  }

  @Test
  void itemsAreClassifiedRetryRejectOrIndexedInOrder() throws Exception {
    String answer = "{\"errors\":true,\"items\":["
        + "{\"index\":{\"status\":201}},"
        + "{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"}}},"
        + "{\"index\":{\"status\":400,\"error\":{\"type\":\"document_parsing_exception\",\"reason\":\"[1:71] object mapping for [fields.a] tried to parse field [a] as object, but found a concrete value\"}}},"
        + "{\"index\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse\",\"caused_by\":{\"type\":\"json_parse_exception\",\"reason\":\"bad\"}}}},"
        + "{\"index\":{\"status\":503,\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"primary shard is not active\"}}},"
        + "{\"index\":{\"status\":500,\"error\":{\"type\":\"exception\",\"reason\":\"boom\"}}},"
        + "{\"index\":{\"status\":403,\"error\":{\"type\":\"security_exception\",\"reason\":\"unauthorized\"}}},"
        + "{\"index\":{\"status\":400,\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"only write ops with an op_type of create are allowed in data streams\"}}},"
        + "{\"index\":{\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\",\"reason\":\"exists\"}}}"
        + "]}";
    List<ItemResult> r = index.parse(bytes(answer), 9);
    assertThat(r).extracting(ItemResult::outcome).containsExactly(Outcome.INDEXED, Outcome.RETRY, Outcome.REJECTED,
        Outcome.REJECTED, Outcome.RETRY, Outcome.RETRY, Outcome.RETRY, Outcome.REJECTED, Outcome.REJECTED);
    assertThat(r.get(2).reason()).isEqualTo("mapping_conflict");
    assertThat(r.get(2).error()).isEqualTo("status=400 type=document_parsing_exception reason=[1:71] object mapping for "
        + "[fields.a] tried to parse field [a] as object, but found a concrete value");
    assertThat(r.get(3).reason()).isEqualTo("mapping_conflict");
    assertThat(r.get(3).error()).endsWith("caused_by=json_parse_exception: bad");
    assertThat(r.get(7).reason()).isEqualTo("rejected");
    assertThat(r.get(8).reason()).isEqualTo("rejected");
  }

  @Test
  void aConflictOnCreateMeansTheDocumentIsAlreadyThere() throws Exception {
    List<ItemResult> r = create.parse(bytes("{\"errors\":true,\"items\":[{\"create\":{\"status\":409,\"error\":"
        + "{\"type\":\"version_conflict_engine_exception\",\"reason\":\"document already exists\"}}},{\"create\":{\"status\":201}}]}"), 2);
    assertThat(r).extracting(ItemResult::outcome).containsExactly(Outcome.INDEXED, Outcome.INDEXED);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
