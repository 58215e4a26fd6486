package dev.tributary.sidecar.elasticsearch;

import dev.tributary.sidecar.ConsumerControl;
import dev.tributary.sidecar.DeadLetterWriter;
import dev.tributary.sidecar.RecordHandler;
import dev.tributary.accounting.SequenceTracker;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.EnvelopeException;
import dev.tributary.wire.EnvelopeHeader;
import dev.tributary.wire.EnvelopeType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns polled records into bulk requests and reports, per partition, the contiguous prefix of
 * offsets that Elasticsearch acknowledged (or that went to the dead-letter topic, acknowledged by
 * Kafka): only that is committed, so a crash at any point re-reads at most what was not yet
 * confirmed, and the deterministic ids make the re-read overwrite instead of duplicate.
 *
 * <h2>Flow, all on the consume thread</h2>
 * <ol>
 *   <li>Each record is checked as a whole and its header read ({@link EnvelopeCodec.Decoder#header}):
 *       a log or event envelope's value, unchanged, becomes the document,
 *       with the id {@code instance:run:stream:seq} and the index from {@link IndexNaming}; its
 *       identity goes through a {@link SequenceTracker} (gaps and duplicates per service). A JSON
 *       object without a {@code tributary} member (a foreign producer's) is indexed as it is, with
 *       the id {@code topic-partition-offset} ({@link ForeignDocument}). Anything else (not JSON,
 *       a broken or future-version envelope, a metric or health envelope) is dead-lettered with the
 *       codec's reason ({@code malformed_json}, ..., {@code unexpected_type}).</li>
 *   <li>Before the first bulk, the templates are installed (retried with back-off until they are).</li>
 *   <li>A bulk is sent when {@code bulk.max.actions} or {@code bulk.max.bytes} is reached, when the
 *       oldest document waited {@code bulk.interval}, or at once when the consumer is caught up (the
 *       poll returned less than a full batch): low latency when idle, full bulks under load.</li>
 *   <li>Items answered 429/5xx are retried with per-item exponential back-off and jitter; a request
 *       without an answer (server down, timeout) backs off as a whole and marks Elasticsearch
 *       unavailable; other item failures go to the dead-letter topic with the server's error.</li>
 *   <li>Back-pressure: while Elasticsearch is unavailable or the buffer is over its bound, all
 *       assigned partitions are paused; they resume when a request succeeds again and the buffer is
 *       below half its bound.</li>
 * </ol>
 * At most one bulk is in flight, on the {@code tributary-elasticsearch-bulk} thread; all
 * bookkeeping (offsets, retries, dead letters) stays on the consume thread, which hands a batch over
 * and takes its result back through a {@link Future}. Waiting for a bulk is bounded by the request
 * timeout, far below {@code max.poll.interval.ms}.
 */
final class IndexingHandler implements RecordHandler {
  private static final Logger LOG = LoggerFactory.getLogger(IndexingHandler.class);
  /** How long one handle() may keep sending bulks before it returns to poll. */
  private static final long FLUSH_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final Duration DLQ_ACK_TIMEOUT = Duration.ofSeconds(10);
  private static final long SEQUENCE_EVICTION_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** A bound on waiting for a bulk in flight, far above any request timeout. */
  private static final long COLLECT_TIMEOUT_MINUTES = 10;

  /** Everything the handler needs from the configuration. */
  record Options(int maxActions, int maxBytes, Duration interval, int maxBufferedRecords, long maxBufferedBytes,
      Duration initialBackoff, Duration maxBackoff, int maxAttempts, int maxPollRecords, String logsTopic) {}

  private final Options options;
  /** Checks each envelope and reads its header only: the record value, unchanged, is the document. */
  private final EnvelopeCodec.Decoder decoder = EnvelopeCodec.create().newDecoder();
  private final IndexNaming naming;
  private final BulkWriter writer;
  private final SearchTransport transport;
  private final Templates templates; // null: do not install
  private final DeadLetterWriter deadLetters;
  private final ElasticsearchMetrics metrics;
  private final LongSupplier nanoTime;
  private final Backoff backoff;

  private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
  /** Gaps and duplicates in the senders' sequences, one tracker per owned partition. */
  private final Map<TopicPartition, SequenceTracker> sequences = new HashMap<>();
  private final SequenceTracker.Listener sequenceListener;
  private long lastSequenceEvictionNanos;
  private final ArrayDeque<BulkItem> fresh = new ArrayDeque<>();
  private long freshBytes; // the sum of the fresh items' sizes
  private final List<BulkItem> retrying = new ArrayList<>();
  private final List<BulkItem> deadLettering = new ArrayList<>(); // written, awaiting Kafka's ack
  private final List<DeadLetter> deadLetterQueue = new ArrayList<>(); // to (re)write
  private int buffered;
  private long bufferedBytes;
  private long oldestFreshNanos;

  private boolean templatesInstalled;
  private boolean available = true;
  private int consecutiveFailures;
  private long nextRequestNanos;
  private boolean pausedByUs;
  private long nextDeadLetterNanos;

  private Future<BulkWriter.Result> inFlight;
  private List<BulkItem> inFlightBatch;
  private long inFlightStart;
  private ExecutorService sender; // created on the first bulk, shut down by close()

  private volatile boolean draining;
  private final CountDownLatch drained = new CountDownLatch(1);
  private volatile boolean ready;
  private volatile String stoppedBy; // an AccessProblem: nothing is sent any more
  private final Consumer<String> onAccessProblem;

  private record DeadLetter(BulkItem item, String reason, String error) {}

  IndexingHandler(Options options, IndexNaming naming, SearchTransport transport, Templates templates,
      DeadLetterWriter deadLetters, ElasticsearchMetrics metrics, SequenceTracker.Listener sequenceListener,
      Consumer<String> onAccessProblem, LongSupplier nanoTime) {
    this.options = options;
    this.naming = naming;
    this.transport = transport;
    this.writer = new BulkWriter(transport, naming.dataStreams());
    this.templates = templates;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.sequenceListener = sequenceListener;
    this.onAccessProblem = onAccessProblem;
    this.nanoTime = nanoTime;
    this.lastSequenceEvictionNanos = nanoTime.getAsLong();
    this.backoff = new Backoff(options.initialBackoff(), options.maxBackoff());
    this.templatesInstalled = templates == null;
    this.ready = templatesInstalled;
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records, ConsumerControl control)
      throws InterruptedException {
    if (stoppedBy != null) {
      // Records of this last poll are not booked: the committed offsets stay where they are.
      control.pause(control.assignment());
      metrics.paused(control.paused().size());
      return Map.of();
    }
    long now = nanoTime.getAsLong();
    for (TopicPartition tp : records.partitions()) {
      OffsetTracker tracker = trackers.computeIfAbsent(tp, p -> new OffsetTracker());
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (tracker.isNew(r.offset())) { // a rewind re-delivers what is already in hand
          ingest(r, tp, tracker, now);
        }
      }
    }
    if (!templatesInstalled && now - nextRequestNanos >= 0) {
      installTemplates();
    }
    if (templatesInstalled) {
      boolean caughtUp = draining || records.count() < options.maxPollRecords();
      flush(caughtUp);
    }
    writeDeadLetters();
    evictIdleSequences(now);
    backPressure(control);
    metrics.buffered(buffered, bufferedBytes);
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetTracker> e : trackers.entrySet()) {
      long offset = e.getValue().committableIfAdvanced();
      if (offset >= 0) {
        commit.put(e.getKey(), new OffsetAndMetadata(offset));
      }
    }
    if (draining && buffered == 0) {
      drained.countDown();
    }
    return commit;
  }

  // --- ingest ----------------------------------------------------------------------------------

  private void ingest(ConsumerRecord<byte[], byte[]> r, TopicPartition tp, OffsetTracker tracker, long now) {
    OffsetTracker.Slot slot = tracker.add(r.offset());
    byte[] value = r.value();
    String kind;
    String index;
    String id;
    try {
      EnvelopeHeader header = decoder.header(value);
      if (header.type() == EnvelopeType.LOG) {
        kind = "logs";
        index = naming.logs(header.service(), header.timestamp());
      } else if (header.type() == EnvelopeType.EVENT) {
        kind = "events";
        index = naming.events(header.domain(), header.timestamp());
      } else {
        deadLetter(new BulkItem(r, tp, slot, "none", null, null, new byte[0], new byte[0]), "unexpected_type",
            "a " + header.type().wireName() + " envelope is not indexed (only log and event envelopes are)", now);
        return;
      }
      id = BulkWriter.documentId(header.identity());
      sequences.computeIfAbsent(tp, p -> SequenceTracker.builder().listener(sequenceListener).build())
          .observe(header.service(), header.instance(), header.run(), header.stream(), header.seq(),
              TimeUnit.NANOSECONDS.toMillis(now));
    } catch (EnvelopeException e) {
      ForeignDocument foreign = e.reason() == EnvelopeException.Reason.MALFORMED_JSON
          || e.reason() == EnvelopeException.Reason.UNSUPPORTED_VERSION ? null : ForeignDocument.parse(value);
      if (foreign == null) {
        deadLetter(new BulkItem(r, tp, slot, "none", null, null, new byte[0], new byte[0]), e.reason().code(),
            e.getMessage(), now);
        return;
      }
      long timestamp = foreign.timestampMillis() >= 0 ? foreign.timestampMillis() : Math.max(0, r.timestamp());
      if (r.topic().equals(options.logsTopic())) {
        kind = "logs";
        index = naming.logs(foreign.serviceName() == null ? ForeignDocument.UNKNOWN_SERVICE : foreign.serviceName(),
            timestamp);
      } else {
        kind = "events";
        index = naming.events(ForeignDocument.domain(r.topic()), timestamp);
      }
      id = ForeignDocument.id(r.topic(), r.partition(), r.offset());
    } catch (RuntimeException e) { // never crash on bad input
      deadLetter(new BulkItem(r, tp, slot, "none", null, null, new byte[0], new byte[0]), "invalid_value",
          e.toString(), now);
      return;
    }
    BulkItem item = new BulkItem(r, tp, slot, kind, index, id, writer.actionLine(index, id), BulkWriter.oneLine(value));
    if (fresh.isEmpty()) {
      oldestFreshNanos = now;
    }
    fresh.addLast(item);
    freshBytes += item.size();
    buffered++;
    bufferedBytes += item.size();
  }

  private void deadLetter(BulkItem item, String reason, String error, long now) {
    if (item.index == null) { // never buffered as a document
      buffered++;
      bufferedBytes += item.record.value() == null ? 0 : item.record.value().length;
    }
    deadLetterQueue.add(new DeadLetter(item, reason, error));
  }

  /** Idle runs (a sender that stopped) are settled once a second: their missing numbers become gaps. */
  private void evictIdleSequences(long now) {
    if (now - lastSequenceEvictionNanos >= SEQUENCE_EVICTION_INTERVAL_NANOS) {
      lastSequenceEvictionNanos = now;
      long millis = TimeUnit.NANOSECONDS.toMillis(now);
      sequences.values().forEach(s -> s.evictIdle(millis));
    }
  }

  // --- templates -------------------------------------------------------------------------------

  private void installTemplates() throws InterruptedException {
    try {
      templates.install(transport);
      templatesInstalled = true;
      metrics.templates(true);
      succeeded();
      LOG.info("index and component templates installed");
    } catch (Templates.TemplateException e) {
      metrics.templates(false);
      String problem = AccessProblem.fromStatus(e.status, "PUT " + e.template, e.body);
      if (problem != null) {
        stop(problem);
        return;
      }
      failed(e.getMessage(), e.status);
    } catch (java.io.IOException e) {
      metrics.templates(false);
      String problem = AccessProblem.fromException(e, transport.currentUrl());
      if (problem != null) {
        stop(problem);
        return;
      }
      failed("templates not installed, no answer: " + e, 0);
    }
  }

  // --- bulks -----------------------------------------------------------------------------------

  /**
   * Sends what is due, one bulk in flight at a time. Under load (the poll returned a full batch) the
   * last bulk is left in flight and the consume thread goes back to poll and decode the next batch
   * while Elasticsearch indexes: double buffering, so the server, not this thread, sets the pace.
   * When caught up there is nothing better to do, so the bulk is awaited at once (lowest latency,
   * and the offsets are committed right away).
   */
  private void flush(boolean caughtUp) throws InterruptedException {
    long start = nanoTime.getAsLong();
    if (inFlight != null && inFlight.isDone()) {
      collect();
    }
    while (stoppedBy == null) {
      long now = nanoTime.getAsLong();
      if (inFlight != null) {
        if (!hasBatch(now, caughtUp)) {
          break;
        }
        collect(); // the next bulk waits for this one: at most one in flight
        continue;
      }
      if (now - nextRequestNanos < 0 || now - start > FLUSH_BUDGET_NANOS) {
        break;
      }
      List<BulkItem> batch = takeBatch(now, caughtUp);
      if (batch.isEmpty()) {
        break;
      }
      inFlightBatch = batch;
      inFlightStart = nanoTime.getAsLong();
      inFlight = sender().submit(() -> writer.send(batch));
    }
    if (inFlight != null && (caughtUp || draining || stoppedBy != null)) {
      collect();
    }
  }

  private ExecutorService sender() {
    if (sender == null) {
      sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tributary-elasticsearch-bulk");
        t.setDaemon(true);
        return t;
      });
    }
    return sender;
  }

  /** Waits for the bulk in flight (bounded: the request has its own timeout) and books its result. */
  private void collect() throws InterruptedException {
    List<BulkItem> batch = inFlightBatch;
    BulkWriter.Result result;
    try {
      result = inFlight.get(COLLECT_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      result = new BulkWriter.Result(null, "bulk failed: " + e.getCause(), 0);
    } catch (TimeoutException e) {
      inFlight.cancel(true);
      result = new BulkWriter.Result(null, "no bulk answer within " + COLLECT_TIMEOUT_MINUTES + " minutes", 0);
    } finally {
      inFlight = null;
      inFlightBatch = null;
    }
    complete(batch, result, inFlightStart, nanoTime.getAsLong());
  }

  private void complete(List<BulkItem> batch, BulkWriter.Result result, long t0, long t1) {
    double seconds = (t1 - t0) / 1e9;
    if (result.accessProblem() != null) {
      metrics.bulk("failed", seconds);
      for (BulkItem item : batch) {
        retrying.add(item); // kept, never sent again: not committed, re-read after the fix
      }
      stop(result.accessProblem());
      return;
    }
    if (result.failed()) {
      metrics.bulk("failed", seconds);
      metrics.retries(result.status(), batch.size());
      for (BulkItem item : batch) {
        item.notBefore = t1;
        retrying.add(item);
      }
      failed(result.failure(), result.status());
      return;
    }
    succeeded();
    boolean partial = false;
    int indexedLogs = 0;
    int indexedEvents = 0;
    for (int i = 0; i < batch.size(); i++) {
      BulkItem item = batch.get(i);
      BulkWriter.ItemResult r = result.items().get(i);
      switch (r.outcome()) {
        case INDEXED -> {
          item.slot.done();
          release(item);
          if (item.kind.equals("logs")) {
            indexedLogs++;
          } else {
            indexedEvents++;
          }
        }
        case RETRY -> {
          partial = true;
          item.attempts++;
          metrics.retry(r.status());
          boolean forever = r.status() == 429 || r.status() == 503 || r.status() == 401 || r.status() == 403;
          if (!forever && options.maxAttempts() > 0 && item.attempts >= options.maxAttempts()) {
            deadLetter(item, "retries_exhausted", r.error() + " (after " + item.attempts + " attempts)", t1);
          } else {
            item.notBefore = t1 + backoff.delayNanos(item.attempts);
            retrying.add(item);
            if (item.attempts == 1 || item.attempts % 10 == 0) {
              LOG.warn("document {} in {} will be retried (attempt {}): {}", item.id, item.index, item.attempts, r.error());
            }
          }
        }
        case REJECTED -> {
          partial = true;
          deadLetter(item, r.reason(), r.error(), t1);
        }
      }
    }
    if (indexedLogs > 0) {
      metrics.indexed("logs", indexedLogs);
    }
    if (indexedEvents > 0) {
      metrics.indexed("events", indexedEvents);
    }
    metrics.bulk(partial ? "partial" : "ok", seconds);
  }

  /** Whether {@link #takeBatch} would return something now. */
  private boolean hasBatch(long now, boolean caughtUp) {
    for (BulkItem item : retrying) {
      if (now - item.notBefore >= 0) {
        return true;
      }
    }
    if (fresh.isEmpty()) {
      return false;
    }
    return fresh.size() >= options.maxActions() || freshBytes >= options.maxBytes() || caughtUp
        || now - oldestFreshNanos >= options.interval().toNanos();
  }

  /**
   * The next bulk: due retries first, then fresh documents, up to the count and byte limits; empty
   * if nothing is due and the fresh documents may still wait for a fuller bulk.
   */
  private List<BulkItem> takeBatch(long now, boolean caughtUp) {
    List<BulkItem> batch = new ArrayList<>();
    long bytes = 0;
    for (Iterator<BulkItem> it = retrying.iterator(); it.hasNext() && batch.size() < options.maxActions(); ) {
      BulkItem item = it.next();
      if (now - item.notBefore >= 0 && (batch.isEmpty() || bytes + item.size() <= options.maxBytes())) {
        batch.add(item);
        bytes += item.size();
        it.remove();
      }
    }
    if (batch.isEmpty() && !fresh.isEmpty()) {
      boolean full = fresh.size() >= options.maxActions() || freshBytes >= options.maxBytes();
      boolean due = caughtUp || now - oldestFreshNanos >= options.interval().toNanos();
      if (!full && !due) {
        return batch;
      }
    }
    while (!fresh.isEmpty() && batch.size() < options.maxActions()) {
      BulkItem item = fresh.peekFirst();
      if (!batch.isEmpty() && bytes + item.size() > options.maxBytes()) {
        break;
      }
      batch.add(fresh.pollFirst());
      bytes += item.size();
      freshBytes -= item.size();
    }
    if (!fresh.isEmpty()) {
      oldestFreshNanos = now; // an approximation: the rest waited at most as long as these
    }
    return batch;
  }

  private void release(BulkItem item) {
    buffered--;
    bufferedBytes -= item.index == null ? (item.record.value() == null ? 0 : item.record.value().length) : item.size();
  }

  private void succeeded() {
    if (!available) {
      LOG.info("Elasticsearch answers again after {} failed attempt(s)", consecutiveFailures);
    }
    available = true;
    ready = templatesInstalled;
    consecutiveFailures = 0;
    nextRequestNanos = nanoTime.getAsLong();
    metrics.up(true);
  }

  private void failed(String why, int status) {
    consecutiveFailures++;
    long delay = backoff.delayNanos(consecutiveFailures);
    nextRequestNanos = nanoTime.getAsLong() + delay;
    if (available || consecutiveFailures % 10 == 0) {
      LOG.warn("Elasticsearch request failed ({} in a row), retrying in {} ms: {}", consecutiveFailures,
          TimeUnit.NANOSECONDS.toMillis(delay), why);
    }
    available = false;
    ready = false;
    if (status == 0) {
      metrics.up(false);
    }
  }

  /**
   * An {@link AccessProblem}: retrying cannot help, so the handler stops sending, pauses every
   * partition, commits nothing further, and reports the cause once. What it holds is re-read from
   * the committed offsets after the operator fixes the configuration and restarts the sidecar.
   */
  private void stop(String problem) {
    if (stoppedBy != null) {
      return;
    }
    stoppedBy = problem;
    available = false;
    ready = false;
    metrics.up(false);
    drained.countDown(); // nothing more will be indexed: a shutdown need not wait
    onAccessProblem.accept(problem);
  }

  /** The access problem that stopped the handler, or {@code null}. */
  String stoppedBy() {
    return stoppedBy;
  }

  // --- dead letters ----------------------------------------------------------------------------

  private void writeDeadLetters() {
    if (deadLetterQueue.isEmpty() || nanoTime.getAsLong() - nextDeadLetterNanos < 0) {
      return;
    }
    List<DeadLetter> batch = new ArrayList<>(deadLetterQueue);
    for (DeadLetter d : batch) {
      deadLetters.write(d.item().record, d.reason(), d.error());
      if (d.item().attempts == 0) {
        LOG.warn("dead-lettered {} ({}): {}", DeadLetterWriter.origin(d.item().record), d.reason(), d.error());
      }
    }
    if (deadLetters.awaitPending(DLQ_ACK_TIMEOUT)) {
      for (DeadLetter d : batch) {
        d.item().slot.done();
        release(d.item());
      }
      deadLetterQueue.clear();
    } else {
      // Which ones failed is unknown: write them all again later (the DLQ is at-least-once).
      for (DeadLetter d : batch) {
        d.item().attempts++;
      }
      nextDeadLetterNanos = nanoTime.getAsLong() + backoff.delayNanos(batch.get(0).item().attempts);
    }
  }

  // --- back-pressure ---------------------------------------------------------------------------

  private void backPressure(ConsumerControl control) {
    boolean over = buffered >= options.maxBufferedRecords() || bufferedBytes >= options.maxBufferedBytes();
    boolean under = buffered <= options.maxBufferedRecords() / 2 && bufferedBytes <= options.maxBufferedBytes() / 2;
    Set<TopicPartition> assigned = control.assignment();
    if (draining || !available || !templatesInstalled || over) {
      Set<TopicPartition> toPause = new HashSet<>(assigned);
      toPause.removeAll(control.paused());
      if (!toPause.isEmpty()) {
        if (!pausedByUs) {
          LOG.info("pausing {} partition(s): {}", assigned.size(), draining ? "shutting down"
              : !available || !templatesInstalled ? "Elasticsearch unavailable" : "buffer full (" + buffered + " documents)");
        }
        control.pause(toPause);
      }
      pausedByUs = true;
    } else if (pausedByUs && under) {
      control.resume(control.paused());
      pausedByUs = false;
      LOG.info("resumed {} partition(s)", assigned.size());
    }
    metrics.paused(control.paused().size());
  }

  // --- rebalance and shutdown ------------------------------------------------------------------

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    // What is not acknowledged is dropped: the next owner re-reads it from the committed offset,
    // and the ids make that an overwrite.
    if (inFlight != null) {
      try {
        collect(); // book what Elasticsearch acknowledged before dropping the rest
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Set<TopicPartition> gone = new HashSet<>(partitions);
    dropIf(fresh, gone);
    freshBytes = 0;
    for (BulkItem item : fresh) {
      freshBytes += item.size();
    }
    dropIf(retrying, gone);
    deadLetterQueue.removeIf(d -> {
      if (gone.contains(d.item().partition)) {
        release(d.item());
        return true;
      }
      return false;
    });
    partitions.forEach(trackers::remove);
    partitions.forEach(sequences::remove); // the next owner starts a baseline of its own
  }

  private void dropIf(Collection<BulkItem> items, Set<TopicPartition> gone) {
    items.removeIf(item -> {
      if (gone.contains(item.partition)) {
        release(item);
        return true;
      }
      return false;
    });
  }

  /**
   * Asks the handler to stop taking records and index what it holds; returns once that is done and
   * the offsets are handed to the loop, or after {@code timeout}.
   */
  boolean drain(Duration timeout) throws InterruptedException {
    draining = true;
    return drained.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the bulk thread (after the consume loop has stopped). */
  void close() {
    if (sender != null) {
      sender.shutdownNow();
    }
  }

  /** Templates installed and the last request answered. */
  boolean isReady() {
    return ready;
  }
}
