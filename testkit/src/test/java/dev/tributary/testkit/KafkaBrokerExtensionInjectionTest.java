package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionInjectionTest {

    private static KafkaBroker fromBeforeAll;

    private final KafkaBroker fromConstructor;
    private KafkaBroker fromBeforeEach;

    KafkaBrokerExtensionInjectionTest(KafkaBroker broker) {
        this.fromConstructor = broker;
    }

    @BeforeAll
    static void rememberBroker(KafkaBroker broker) {
        assertThat(broker.isRunning()).isTrue();
        fromBeforeAll = broker;
        broker.createTopic("injected", 1);
    }

    @BeforeEach
    void rememberBrokerPerTest(KafkaBroker broker) {
        fromBeforeEach = broker;
    }

    @AfterAll
    static void brokerIsStillRunningInAfterAll(KafkaBroker broker) {
        assertThat(broker).isSameAs(fromBeforeAll);
        assertThat(broker.isRunning()).isTrue();
    }

    @Test
    void oneBrokerIsInjectedEverywhereInTheClass(KafkaBroker broker) throws Exception {
        assertThat(broker).isSameAs(fromBeforeAll).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
        assertThat(broker.admin().listTopics().names().get()).contains("injected");
    }

    @Test
    void brokerIsRunning(KafkaBroker broker) {
        assertThat(broker.isRunning()).isTrue();
        assertThat(broker).isSameAs(fromBeforeAll);
    }

    @Nested
    class NestedTests {

        @Test
        void nestedClassesShareTheEnclosingBroker(KafkaBroker broker) {
            assertThat(broker).isSameAs(fromBeforeAll);
        }
    }
}
