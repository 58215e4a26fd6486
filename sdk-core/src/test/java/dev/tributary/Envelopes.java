package dev.tributary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.accounting.SequenceTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads envelope identities from consumed records, for the fault tests' loss accounting. */
final class Envelopes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Envelopes() {}

  static JsonNode parse(ConsumerRecord<String, String> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException("not an envelope: " + record.value(), e);
    }
  }

  static String run(JsonNode envelope) {
    return envelope.path("tributary").path("run").asText();
  }

  static long seq(JsonNode envelope) {
    return envelope.path("tributary").path("seq").asLong();
  }

  /**
   * A tracker fed with every record of a drained topic, then finished. A drain reads partition after
   * partition, so the out-of-order window is the whole input and the range budget generous: the
   * counts are decided at {@code finish()}, exactly.
   */
  static SequenceTracker track(List<ConsumerRecord<String, String>> records) {
    SequenceTracker tracker = SequenceTracker.builder().runsStartAt(1).window(Integer.MAX_VALUE)
        .maxRangesPerRun(1 << 20).build();
    for (ConsumerRecord<String, String> r : records) {
      JsonNode e = parse(r);
      tracker.observe(e.path("service").path("name").asText(), e.path("service").path("node").path("name").asText(),
          run(e), e.path("tributary").path("stream").asText(), seq(e), 0);
    }
    tracker.finish();
    return tracker;
  }
}
