package io.tycostream.triggers.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SourceAssignmentTest {

  private static final List<String> SOURCES = IntStream.range(0, 30).mapToObj(i -> "source_" + i).toList();

  private static MembershipView view(String... ids) {
    return MembershipView.of(ids[0],
        Arrays.stream(ids).map(id -> new MembershipView.Member(id, "127.0.0.1:1")).toList());
  }

  /** Verifies that 30 sources spread over 3 nodes, every source owned by exactly one of them. */
  @Test
  void spreadsSourcesOverEveryNode() {
    SourceAssignment assignment = new SourceAssignment(view("node-a", "node-b", "node-c"), SOURCES);

    List<String> a = assignment.ownedBy("node-a");
    List<String> b = assignment.ownedBy("node-b");
    List<String> c = assignment.ownedBy("node-c");

    assertThat(a).isNotEmpty();
    assertThat(b).isNotEmpty();
    assertThat(c).isNotEmpty();
    assertThat(a.size() + b.size() + c.size()).isEqualTo(SOURCES.size());
    assertThat(a).doesNotContainAnyElementsOf(b).doesNotContainAnyElementsOf(c);
    assertThat(b).doesNotContainAnyElementsOf(c);
    SOURCES.forEach(source -> assertThat(List.of("node-a", "node-b", "node-c")).contains(assignment.ownerOf(source)));
  }

  /** Verifies that when a node leaves only its sources move, and the others keep theirs. */
  @Test
  void movesOnlyTheDepartedNodesSources() {
    // GIVEN three nodes
    SourceAssignment before = new SourceAssignment(view("node-a", "node-b", "node-c"), SOURCES);
    // WHEN node-b leaves
    SourceAssignment after = new SourceAssignment(view("node-a", "node-c"), SOURCES);
    // THEN every source not on node-b stays where it was, and node-b's go to the two others
    for (String source : SOURCES) {
      if (!before.ownerOf(source).equals("node-b")) {
        assertThat(after.ownerOf(source)).as(source).isEqualTo(before.ownerOf(source));
      } else {
        assertThat(after.ownerOf(source)).as(source).isIn("node-a", "node-c");
      }
    }
    assertThat(after.ownedBy("node-b")).isEmpty();
  }

  /** Verifies that a joining node takes sources only from others, never reshuffling the rest. */
  @Test
  void aJoiningNodeTakesOnlyWhatItNowOwns() {
    SourceAssignment before = new SourceAssignment(view("node-a", "node-b"), SOURCES);
    SourceAssignment after = new SourceAssignment(view("node-a", "node-b", "node-c"), SOURCES);

    for (String source : SOURCES) {
      assertThat(after.ownerOf(source)).as(source).isIn(before.ownerOf(source), "node-c");
    }
    assertThat(after.ownedBy("node-c")).isNotEmpty();
  }

  /** Verifies that the answer depends only on the member ids: not on instance, call, list order or viewing node. */
  @Test
  void isDeterministicAcrossCallsAndInstances() {
    SourceAssignment first = new SourceAssignment(view("node-a", "node-b", "node-c"), SOURCES);
    SourceAssignment second = new SourceAssignment(view("node-c", "node-a", "node-b"), reversed(SOURCES));

    for (String source : SOURCES) {
      assertThat(second.ownerOf(source)).as(source).isEqualTo(first.ownerOf(source));
      assertThat(first.ownerOf(source)).as(source).isEqualTo(first.ownerOf(source));
    }
    assertThat(second.ownedBy("node-a")).containsExactlyInAnyOrderElementsOf(first.ownedBy("node-a"));
    // a source not listed is answered the same way
    assertThat(second.ownerOf("not_listed")).isEqualTo(first.ownerOf("not_listed"));
  }

  /** Verifies that the hash is a fixed function of the bytes (the same on every JVM), pinned by a known value. */
  @Test
  void scoreIsAStableHashNotStringHashCode() {
    assertThat(SourceAssignment.score("orders", "node-a")).isEqualTo(SourceAssignment.score("orders", "node-a"));
    assertThat(SourceAssignment.score("a", "bc")).isNotEqualTo(SourceAssignment.score("ab", "c"));
    assertThat(SourceAssignment.score("orders", "node-a")).isEqualTo(PINNED_SCORE);
  }

  /** SHA-256 of 00000006 'orders' 'node-a', first 8 bytes; pinned so a change of hash is a visible decision. */
  private static final long PINNED_SCORE = -7690597389134414804L;

  private static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  @Test
  void refusesAnEmptyView() {
    assertThatThrownBy(() -> new SourceAssignment(new MembershipView("x", List.of(), Optional.empty()),
        SOURCES)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("view");
  }
}
