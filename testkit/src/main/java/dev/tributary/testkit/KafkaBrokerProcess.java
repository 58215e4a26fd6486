package dev.tributary.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker in a child JVM, started through {@link KafkaBrokerMain}: for benchmarks that must
 * not share a heap with the broker, and for tests that kill the broker the hard way.
 *
 * <pre>{@code
 * try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start("--partitions", "3")) {
 *     String bootstrap = kafka.bootstrapServers();
 *     // ...
 * }
 * }</pre>
 *
 * <p>The child runs the {@code java} binary of this JVM with this JVM's class path (unless
 * {@linkplain Builder#classpath(String) given}), so the test kit and Kafka must be on it. Its
 * standard output and error go to {@link #logFile()} in the broker's directory. It is started with
 * {@code --exit-on-stdin-eof} and a pipe as standard input, so it also ends when this JVM dies
 * without closing it.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** How long {@link #start(String...)} waits for the child's bootstrap line by default. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How long {@link #close()} waits after SIGTERM before killing the child: longer than the
     * child's own bounded shutdown ({@link KafkaBroker#SHUTDOWN_TIMEOUT}).
     */
    public static final Duration STOP_TIMEOUT = KafkaBroker.SHUTDOWN_TIMEOUT.plusSeconds(10);

    /** JVM options the child gets before any given ones: the broker needs far less than the default heap. */
    public static final List<String> DEFAULT_JAVA_OPTIONS = List.of("-Xmx512m");

    private static final String LOG_FILE = "broker-process.log";
    private static final String ARGS_FILE = "broker-process.args";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final int TAIL_LINES = 30;

    private final Process process;
    private final String bootstrapServers;
    private final Path directory;
    private final boolean ownsDirectory;
    private final Object closeLock = new Object();
    private boolean closed; // guarded by closeLock

    private KafkaBrokerProcess(Process process, String bootstrapServers, Path directory, boolean ownsDirectory) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.directory = directory;
        this.ownsDirectory = ownsDirectory;
    }

    /**
     * Starts a broker process with the given {@link KafkaBrokerMain} options and waits until it
     * announced its address.
     *
     * @param args options for {@link KafkaBrokerMain}, such as {@code "--port", "9092"}
     * @return the running broker process; close it when done
     * @throws IllegalStateException if the child exits or does not announce its address within
     *     {@link #DEFAULT_STARTUP_TIMEOUT}; the message shows the end of its log
     */
    public static KafkaBrokerProcess start(String... args) {
        return builder().args(args).start();
    }

    /**
     * Returns a builder to set the class path, JVM options or startup timeout of the child.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the address the child announced, for {@code bootstrap.servers}.
     *
     * @return {@code "127.0.0.1:<port>"}
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Returns the process id of the child JVM.
     *
     * @return the child's pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Returns whether the child is still running.
     *
     * @return {@code true} until the child exited
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Returns the broker's directory (its {@code --log-dir}); a temporary one is deleted by
     * {@link #close()}.
     *
     * @return the directory holding the broker's data and {@link #logFile()}
     */
    public Path logDir() {
        return directory;
    }

    /**
     * Returns the file receiving the child's standard output and error.
     *
     * @return the log file in {@link #logDir()}
     */
    public Path logFile() {
        return directory.resolve(LOG_FILE);
    }

    /**
     * Returns a reader of this broker's topics.
     *
     * @return a reader connected to {@link #bootstrapServers()}
     */
    public TopicReader reader() {
        return TopicReader.create(bootstrapServers);
    }

    /**
     * Stops the child with SIGTERM (a clean broker shutdown), kills it if it has not exited within
     * {@link #STOP_TIMEOUT}, and deletes the temporary directory. Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                stop(process);
            } finally {
                if (ownsDirectory) {
                    BrokerDirectory.deleteRecursively(directory);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaBrokerProcess[pid " + pid() + ", " + bootstrapServers + (isAlive() ? "" : ", exited") + "]";
    }

    private static void stop(Process process) {
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(process);
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the child is gone; nothing to flush
        }
    }

    /** Configures and starts a {@link KafkaBrokerProcess}. */
    public static final class Builder {

        private final List<String> args = new ArrayList<>();
        private final List<String> javaOptions = new ArrayList<>(DEFAULT_JAVA_OPTIONS);
        private String classpath;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

        private Builder() {}

        /**
         * Adds options for {@link KafkaBrokerMain}, such as {@code "--partitions", "3"}.
         *
         * @param args options and their values
         * @return this builder
         */
        public Builder args(String... args) {
            for (String arg : args) {
                this.args.add(Objects.requireNonNull(arg, "args must not contain null"));
            }
            return this;
        }

        /**
         * Adds a JVM option for the child, after {@link #DEFAULT_JAVA_OPTIONS} (so {@code -Xmx1g}
         * here wins).
         *
         * @param option a JVM option such as {@code -Xmx1g}
         * @return this builder
         */
        public Builder javaOption(String option) {
            javaOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /**
         * Sets the child's class path; it must contain the test kit and Kafka.
         *
         * @param classpath a class path; the default is this JVM's {@code java.class.path}
         * @return this builder
         */
        public Builder classpath(String classpath) {
            Objects.requireNonNull(classpath, "classpath");
            if (classpath.isBlank()) {
                throw new IllegalArgumentException("classpath must not be blank");
            }
            this.classpath = classpath;
            return this;
        }

        /**
         * Sets how long to wait for the child's bootstrap line.
         *
         * @param startupTimeout a positive duration; the default is {@link #DEFAULT_STARTUP_TIMEOUT}
         * @return this builder
         */
        public Builder startupTimeout(Duration startupTimeout) {
            Objects.requireNonNull(startupTimeout, "startupTimeout");
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * Launches the child and waits until it announced its address.
         *
         * @return the running broker process
         * @throws IllegalStateException if the child exits or stays silent past the startup timeout
         */
        public KafkaBrokerProcess start() {
            List<String> mainArgs = new ArrayList<>(args);
            int logDirIndex = mainArgs.indexOf("--log-dir");
            boolean ownsDirectory = logDirIndex < 0 || logDirIndex + 1 >= mainArgs.size();
            Path directory;
            try {
                if (ownsDirectory) {
                    directory = Files.createTempDirectory("tributary-kafka-process-").toAbsolutePath();
                    mainArgs.add("--log-dir");
                    mainArgs.add(directory.toString());
                } else {
                    directory = Files.createDirectories(Path.of(mainArgs.get(logDirIndex + 1)).toAbsolutePath());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for the Kafka broker process", e);
            }
            if (!mainArgs.contains("--exit-on-stdin-eof")) {
                mainArgs.add("--exit-on-stdin-eof");
            }
            try {
                return launch(directory, ownsDirectory, mainArgs);
            } catch (RuntimeException e) {
                if (ownsDirectory) {
                    try {
                        BrokerDirectory.deleteRecursively(directory);
                    } catch (UncheckedIOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private KafkaBrokerProcess launch(Path directory, boolean ownsDirectory, List<String> mainArgs) {
            Path logFile = directory.resolve(LOG_FILE);
            Path argsFile = directory.resolve(ARGS_FILE);
            List<String> command = new ArrayList<>();
            command.add(javaBinary());
            // The class path goes through an argument file: a test class path easily exceeds
            // the operating system's limit for one command-line argument.
            command.add("@" + argsFile);
            List<String> javaArgs = new ArrayList<>(javaOptions);
            javaArgs.add("-cp");
            javaArgs.add(classpath != null ? classpath : System.getProperty("java.class.path"));
            javaArgs.add(KafkaBrokerMain.class.getName());
            javaArgs.addAll(mainArgs);
            Process process;
            long logStart;
            try {
                Files.write(argsFile, quoteAll(javaArgs), StandardCharsets.UTF_8);
                logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
                process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a Kafka broker process with " + command, e);
            }
            try {
                String bootstrap = awaitBootstrapLine(process, logFile, logStart);
                return new KafkaBrokerProcess(process, bootstrap, directory, ownsDirectory);
            } catch (RuntimeException e) {
                stop(process);
                throw e;
            }
        }

        private String awaitBootstrapLine(Process process, Path logFile, long logStart) {
            Deadline deadline = Deadline.after(startupTimeout);
            while (true) {
                List<String> lines = completeLines(logFile, logStart);
                for (String line : lines) {
                    if (line.startsWith(KafkaBrokerMain.BOOTSTRAP_PREFIX)) {
                        return line.substring(KafkaBrokerMain.BOOTSTRAP_PREFIX.length()).trim();
                    }
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker process exited with status "
                            + process.exitValue() + " before it was ready; end of " + logFile + ":"
                            + tail(completeLines(logFile, logStart)));
                }
                if (deadline.expired()) {
                    throw new IllegalStateException("the Kafka broker process (pid " + process.pid()
                            + ") was not ready within " + Deadline.describe(startupTimeout) + "; end of "
                            + logFile + ":" + tail(lines));
                }
                try {
                    deadline.pause(POLL_INTERVAL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker process", e);
                }
            }
        }

        private static List<String> completeLines(Path logFile, long from) {
            if (!Files.exists(logFile)) {
                return List.of();
            }
            try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
                long length = file.length();
                if (length <= from) {
                    return List.of();
                }
                byte[] bytes = new byte[(int) Math.min(length - from, Integer.MAX_VALUE - 8)];
                file.seek(from);
                file.readFully(bytes);
                String text = new String(bytes, StandardCharsets.UTF_8);
                int lastNewline = text.lastIndexOf('\n');
                // a line still being written is not complete yet
                return lastNewline < 0 ? List.of() : List.of(text.substring(0, lastNewline).split("\r?\n"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + logFile, e);
            }
        }

        private static String tail(List<String> lines) {
            List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return tail.isEmpty() ? " (empty)" : System.lineSeparator() + String.join(System.lineSeparator(), tail);
        }

        private static String javaBinary() {
            return ProcessHandle.current().info().command()
                    .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }

        /** Quotes arguments for a {@code java @file}: one per line, backslashes and quotes escaped. */
        private static List<String> quoteAll(List<String> args) {
            List<String> quoted = new ArrayList<>(args.size());
            for (String arg : args) {
                quoted.add('"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
            }
            return Collections.unmodifiableList(quoted);
        }
    }
}
