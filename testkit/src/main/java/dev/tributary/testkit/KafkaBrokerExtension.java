package dev.tributary.testkit;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs one {@link KafkaBroker} per test class.
 *
 * <p>Declaratively, with the broker injected as a parameter of test methods, constructors,
 * {@code @BeforeAll}/{@code @BeforeEach} methods:
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class OrderPublisherTest {
 *     @Test
 *     void publishesOrders(KafkaBroker kafka) {
 *         OrderPublisher publisher = new OrderPublisher(kafka.bootstrapServers());
 *         publisher.publish(new Order("o-1"));
 *         assertThat(kafka.reader().records("orders", 1, Duration.ofSeconds(10))).hasSize(1);
 *     }
 * }
 * }</pre>
 *
 * <p>Programmatically, in a static field, to configure the broker or to reach it from fields:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.builder()
 *         .partitions(3)
 *         .brokerProperty("auto.create.topics.enable", "false")
 *         .build();
 *
 * @Test
 * void publishes() {
 *     String bootstrap = KAFKA.broker().bootstrapServers();
 * }
 * }</pre>
 *
 * <p>The broker starts before the class's {@code @BeforeAll} methods (or when the first parameter
 * asks for it) and is closed after its {@code @AfterAll} methods. {@code @Nested} classes share the
 * broker of their enclosing class. One extension instance serves one test class at a time.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final String BROKER = "broker";

    private final KafkaBroker.Builder builder;
    private volatile KafkaBroker broker;

    /**
     * Creates an extension with the default broker; for {@code @ExtendWith}. In code, prefer
     * {@link #create()} or {@link #builder()}.
     */
    public KafkaBrokerExtension() {
        this(KafkaBroker.builder());
    }

    private KafkaBrokerExtension(KafkaBroker.Builder builder) {
        this.builder = builder;
    }

    /**
     * Returns an extension that starts a broker with the defaults of {@link KafkaBroker#start()}.
     *
     * @return a new extension, to be held in a static {@code @RegisterExtension} field
     */
    public static KafkaBrokerExtension create() {
        return new KafkaBrokerExtension();
    }

    /**
     * Returns a builder for an extension whose broker is configured like {@link KafkaBroker.Builder}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the broker of the test class running now.
     *
     * @return the running broker (it may have been stopped by the test)
     * @throws IllegalStateException outside a test class's lifetime, for example in a static
     *     initializer or when the extension is registered in a non-static field
     */
    public KafkaBroker broker() {
        KafkaBroker current = broker;
        if (current == null) {
            throw new IllegalStateException("no Kafka broker: KafkaBrokerExtension starts it before @BeforeAll "
                    + "methods; register it in a static @RegisterExtension field or with @ExtendWith");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        brokerFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // remove() only looks at this class's own store: a @Nested class leaves the
        // broker of its enclosing class alone.
        KafkaBroker started = context.getStore(namespace()).remove(BROKER, KafkaBroker.class);
        if (started != null) {
            if (broker == started) {
                broker = null;
            }
            started.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ExtensionContext classContext = extensionContext;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        if (classContext.getTestClass().isEmpty()) {
            throw new ParameterResolutionException(
                    "KafkaBrokerExtension provides a KafkaBroker to test classes only, not to " + extensionContext.getDisplayName());
        }
        return brokerFor(classContext);
    }

    /**
     * The broker of this class or an enclosing class, started and kept in the class's store if
     * there is none yet. Parameters of a test instance created before the BeforeAll callbacks run
     * ({@code @TestInstance(PER_CLASS)} constructors) get here first.
     */
    private KafkaBroker brokerFor(ExtensionContext classContext) {
        ExtensionContext.Store store = classContext.getStore(namespace());
        KafkaBroker existing = store.get(BROKER, KafkaBroker.class);
        if (existing != null) {
            return existing;
        }
        KafkaBroker started = builder.start();
        store.put(BROKER, started);
        broker = started;
        return started;
    }

    private ExtensionContext.Namespace namespace() {
        // Keyed by instance: two extensions in one class run two brokers.
        return ExtensionContext.Namespace.create(KafkaBrokerExtension.class, this);
    }

    @Override
    public String toString() {
        KafkaBroker current = broker;
        return "KafkaBrokerExtension[" + (current == null ? "not started" : current.bootstrapServers()) + "]";
    }

    /** Configures the broker a {@link KafkaBrokerExtension} starts; see {@link KafkaBroker.Builder}. */
    public static final class Builder {

        private final KafkaBroker.Builder broker = KafkaBroker.builder();

        private Builder() {}

        /**
         * Sets the client port, see {@link KafkaBroker.Builder#port(int)}.
         *
         * @param port a port number, or 0 for a free port
         * @return this builder
         */
        public Builder port(int port) {
            broker.port(port);
            return this;
        }

        /**
         * Sets the partitions of auto-created topics, see {@link KafkaBroker.Builder#partitions(int)}.
         *
         * @param partitions a positive number
         * @return this builder
         */
        public Builder partitions(int partitions) {
            broker.partitions(partitions);
            return this;
        }

        /**
         * Sets a Kafka broker property, see {@link KafkaBroker.Builder#brokerProperty(String, String)}.
         *
         * @param key a Kafka broker configuration key
         * @param value its value
         * @return this builder
         */
        public Builder brokerProperty(String key, String value) {
            broker.brokerProperty(key, value);
            return this;
        }

        /**
         * Uses a fixed directory, see {@link KafkaBroker.Builder#logDir(Path)}.
         *
         * @param logDir the broker's directory
         * @return this builder
         */
        public Builder logDir(Path logDir) {
            broker.logDir(logDir);
            return this;
        }

        /**
         * Sets the startup timeout, see {@link KafkaBroker.Builder#startupTimeout(Duration)}.
         *
         * @param startupTimeout a positive duration
         * @return this builder
         */
        public Builder startupTimeout(Duration startupTimeout) {
            broker.startupTimeout(startupTimeout);
            return this;
        }

        /**
         * Returns the extension; the broker starts when a test class using it starts.
         *
         * @return a new extension
         */
        public KafkaBrokerExtension build() {
            return new KafkaBrokerExtension(broker);
        }
    }
}
