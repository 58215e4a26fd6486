package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs small test classes through JUnit to see what the extension does before and after them. */
class KafkaBrokerExtensionLifecycleTest {

    private static final String FIXTURE_RUN = "tributary.testkit.fixture";

    private static EngineTestKit.Builder jupiter() {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(FIXTURE_RUN, "true");
    }

    @Test
    void declaredExtensionClosesItsBrokerAfterTheClass() {
        jupiter().selectors(selectClass(DeclaredFixture.class)).execute()
                .testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));

        assertThat(DeclaredFixture.seen).isNotNull();
        assertThat(DeclaredFixture.seen.isRunning()).isFalse();
        assertThat(DeclaredFixture.seen.logDir()).doesNotExist();
    }

    @Test
    void registeredExtensionClosesItsBrokerAfterTheClass() {
        jupiter().selectors(selectClass(RegisteredFixture.class)).execute()
                .testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));

        assertThat(RegisteredFixture.seen.isRunning()).isFalse();
        assertThatThrownBy(RegisteredFixture.KAFKA::broker).isInstanceOf(IllegalStateException.class);
    }

    /** The fixtures below run only through {@link #jupiter()}, not on their own. */
    static final class OnlyAsFixture implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(FIXTURE_RUN).isPresent()
                    ? ConditionEvaluationResult.enabled("run by " + KafkaBrokerExtensionLifecycleTest.class.getSimpleName())
                    : ConditionEvaluationResult.disabled("a fixture of " + KafkaBrokerExtensionLifecycleTest.class.getSimpleName());
        }
    }

    @ExtendWith(OnlyAsFixture.class)
    @ExtendWith(KafkaBrokerExtension.class)
    static class DeclaredFixture {
        static KafkaBroker seen;

        @Test
        void first(KafkaBroker broker) {
            seen = broker;
        }

        @Test
        void second(KafkaBroker broker) {
            assertThat(broker.isRunning()).isTrue();
        }
    }

    @ExtendWith(OnlyAsFixture.class)
    static class RegisteredFixture {
        @RegisterExtension
        static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

        static KafkaBroker seen;

        @Test
        void test() {
            seen = KAFKA.broker();
            assertThat(seen.isRunning()).isTrue();
        }
    }
}
