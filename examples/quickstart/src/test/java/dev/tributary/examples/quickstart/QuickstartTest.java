package dev.tributary.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's run command ends in this job: it must deliver to every topic and say so. */
class QuickstartTest {

  @Test
  void theQuickstartDeliversEveryStreamAndPrintsWhatArrived() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Quickstart.main(new String[] {"7"});
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("Client closed: DeliveryReport{complete}")
        .contains("== logs.events: 7 records")
        .contains("== payment.events: 7 records")
        .contains("payment.failed pay-7")
        .containsPattern("== metrics.events: [1-9][0-9]* records")
        .containsPattern("== health.events: [2-9] records")
        .contains("DOWN uptime");
  }
}
