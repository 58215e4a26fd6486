package com.example.payments.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the demo started: its output goes to a log file, it is ready once a URL answers 200,
 * and {@link #close()} stops it by PID (SIGTERM, then SIGKILL after a grace period).
 */
final class ChildProcess implements AutoCloseable {
  static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final String SETSID = Demo.Builder.findOnPath("setsid");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final Process process;
  private final Path logFile;

  private ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} with the current environment minus every {@code TRIBUTARY_*} variable,
   * plus {@code env}. Where {@code setsid} exists the child runs in a session of its own (same PID):
   * Ctrl-C in a terminal signals the whole foreground process group at once, and the demo wants to
   * stop its parts itself, in order.
   */
  static ChildProcess start(String name, List<String> command, Map<String, String> env, Path logFile) {
    List<String> full = new ArrayList<>();
    if (SETSID != null) {
      full.add(SETSID);
    }
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    // the components reject unknown TRIBUTARY_* keys; none of the caller's may leak into them
    pb.environment().keySet().removeIf(k -> k.startsWith("TRIBUTARY_"));
    pb.environment().putAll(env);
    try {
      return new ChildProcess(name, pb.start(), logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /** Waits until GET {@code url} answers 200; fails with the end of the log if the process dies or time runs out. */
  ChildProcess awaitReady(String url, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; end of " + logFile
            + ":\n" + tail(30));
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " (pid " + process.pid() + ") did not answer " + url + " within "
            + timeout.toSeconds() + " s; end of " + logFile + ":\n" + tail(30));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }

  /**
   * Waits until the child printed a line starting with {@code prefix} and returns the rest of it;
   * fails with the end of the log if the process dies or time runs out.
   */
  String awaitLine(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (Files.exists(logFile)) {
          for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            if (line.startsWith(prefix)) {
              return line.substring(prefix.length()).trim();
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + logFile, e);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; end of " + logFile
            + ":\n" + tail(30));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " (pid " + process.pid() + ") did not print " + prefix + " within "
            + timeout.toSeconds() + " s; end of " + logFile + ":\n" + tail(30));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path logFile() {
    return logFile;
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** SIGTERM, wait up to {@link #STOP_GRACE}, then SIGKILL. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
