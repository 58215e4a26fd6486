package dev.tributary.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupRotationTest {

  @Test
  void continuesAfterTheLastGroupAndWrapsAround() {
    GroupRotation r = new GroupRotation(2);
    List<String> ids = List.of("a", "b", "c", "d", "e");
    assertThat(r.next(ids)).containsExactly("a", "b");
    assertThat(r.next(ids)).containsExactly("c", "d");
    assertThat(r.next(ids)).containsExactly("e", "a");
    assertThat(r.next(ids)).containsExactly("b", "c");
  }

  @Test
  void staysFairWhenGroupsComeAndGo() {
    GroupRotation r = new GroupRotation(2);
    assertThat(r.next(List.of("a", "b", "c", "d"))).containsExactly("a", "b");
    // "b" was deleted and "bb" created: the rotation continues after "b"'s place.
    assertThat(r.next(List.of("a", "bb", "c", "d"))).containsExactly("bb", "c");
  }

  @Test
  void fewerGroupsThanTheCapAreAllTaken() {
    assertThat(new GroupRotation(10).next(List.of("a", "b"))).containsExactly("a", "b");
  }
}
