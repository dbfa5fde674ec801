package io.tycostream.triggers.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OwnedSourcesTest {

  private static final List<String> SOURCES = List.of("a", "b", "c", "d", "e", "f", "g", "h");

  private final Set<String> started = new TreeSet<>();
  private final List<String> stopped = new ArrayList<>();

  private OwnedSources owned(int quorum) {
    return new OwnedSources(SOURCES, quorum, source -> {
      started.add(source);
      return Future.succeededFuture();
    }, source -> {
      started.remove(source);
      stopped.add(source);
      return Future.succeededFuture();
    });
  }

  private static MembershipView view(String self, String... ids) {
    List<MembershipView.Member> members = new ArrayList<>();
    for (String id : ids) {
      members.add(new MembershipView.Member(id, "127.0.0.1:" + (5700 + members.size())));
    }
    return MembershipView.of(self, members);
  }

  /** Verifies that a node runs exactly its assigned sources and picks up a departed node's ones. */
  @Test
  void runsTheAssignedSourcesAndTakesThoseOfANodeThatLeft() {
    // GIVEN node n1 of three
    OwnedSources owned = owned(2);
    MembershipView three = view("n1", "n1", "n2", "n3");
    owned.apply(three);
    Set<String> before = Set.copyOf(started);

    // THEN it runs what the assignment gives it
    assertThat(before).containsExactlyInAnyOrderElementsOf(new SourceAssignment(three, SOURCES).ownedBy("n1"));

    // WHEN n3 leaves
    MembershipView two = view("n1", "n1", "n2");
    owned.apply(two);

    // THEN it keeps its sources, adds those n3 had and the assignment gives it, and stopped none
    assertThat(started).containsAll(before)
      .containsExactlyInAnyOrderElementsOf(new SourceAssignment(two, SOURCES).ownedBy("n1"));
    assertThat(stopped).isEmpty();
  }

  /** Verifies that below the quorum a node runs nothing, and runs its share again once the quorum is back. */
  @Test
  void belowTheQuorumNothingRuns() {
    // GIVEN node n1 running its share of a three-node cluster (quorum 2)
    OwnedSources owned = owned(2);
    owned.apply(view("n1", "n1", "n2", "n3"));
    assertThat(started).isNotEmpty();

    // WHEN it sees only itself (a partition, or it was frozen and lost the others)
    owned.apply(view("n1", "n1"));

    // THEN it stops every unit
    assertThat(started).isEmpty();
    assertThat(owned.running()).isEmpty();

    // AND WHEN it sees a majority again, it runs its share
    owned.apply(view("n1", "n1", "n2"));
    assertThat(started).containsExactlyInAnyOrderElementsOf(
      new SourceAssignment(view("n1", "n1", "n2"), SOURCES).ownedBy("n1"));
  }

  /** Verifies that a start that failed (held elsewhere) is retried by the next re-check. */
  @Test
  void aSourceHeldElsewhereIsTakenOnALaterRecheck() {
    // GIVEN a start that fails while another live node holds the source
    List<String> refused = new ArrayList<>(List.of("held"));
    OwnedSources owned = new OwnedSources(SOURCES, 1, source -> {
      if (!refused.isEmpty()) {
        refused.clear();
        return Future.failedFuture(new SourceHeldElsewhere(source, "n2"));
      }
      started.add(source);
      return Future.succeededFuture();
    }, source -> Future.succeededFuture());
    owned.apply(view("n1", "n1"));
    int firstRound = started.size();

    // WHEN the view is re-applied
    owned.reapply();

    // THEN the refused source runs too
    assertThat(firstRound).isEqualTo(SOURCES.size() - 1);
    assertThat(started).containsExactlyInAnyOrderElementsOf(SOURCES);
  }
}
