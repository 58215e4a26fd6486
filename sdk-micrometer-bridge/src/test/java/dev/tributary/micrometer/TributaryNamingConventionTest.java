package dev.tributary.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TributaryNamingConventionTest {
  private final TributaryNamingConvention convention = new TributaryNamingConvention();

  @ParameterizedTest(name = "{0} {1} [{2}] -> {3}")
  @CsvSource(nullValues = "null", value = {
      "jobs.completed,        COUNTER,              null,         jobs_completed_total",
      "jobs.completed.total,  COUNTER,              null,         jobs_completed_total",
      "jvm.gc.memory.allocated, COUNTER,            bytes,        jvm_gc_memory_allocated_bytes_total",
      "jvm.memory.used,       GAUGE,                bytes,        jvm_memory_used_bytes",
      "jvm.memory.used.bytes, GAUGE,                bytes,        jvm_memory_used_bytes",
      "jvm.threads.live,      GAUGE,                threads,      jvm_threads_live_threads",
      "queue.size,            GAUGE,                null,         queue_size",
      "process.uptime,        GAUGE,                seconds,      process_uptime_seconds",
      "http.server.requests,  TIMER,                seconds,      http_server_requests_seconds",
      "latency.seconds,       TIMER,                seconds,      latency_seconds",
      "batch.run,             LONG_TASK_TIMER,      seconds,      batch_run_seconds",
      "payload.size,          DISTRIBUTION_SUMMARY, bytes,        payload_size_bytes",
      "payload.size,          DISTRIBUTION_SUMMARY, null,         payload_size",
      "kafka.producer.record-send-rate, GAUGE,      null,         kafka_producer_record_send_rate",
      "myCounter,             COUNTER,              null,         myCounter_total",
      "2xx.responses,         COUNTER,              null,         m_2xx_responses_total",
      "cache:hits,            GAUGE,                null,         cache:hits",
      "odd name/with chars,   OTHER,                null,         odd_name_with_chars",
  })
  void namesArePrometheusStyle(String name, Meter.Type type, String baseUnit, String expected) {
    assertThat(convention.name(name, type, baseUnit)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "uri,          uri",
      "client.id,    client_id",
      "kafka-version, kafka_version",
      "1st,          m_1st",
      "__name__,     _name__",
      "cache:area,   cache_area",
  })
  void tagKeysAreValidLabelNames(String key, String expected) {
    assertThat(convention.tagKey(key)).isEqualTo(expected);
  }
}
