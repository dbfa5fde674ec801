package io.tycostream.triggers.cluster;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on this node exactly the sources the current membership assigns to it ({@link SourceAssignment}): on every
 * membership view it stops the units of sources that moved away and starts those that moved here. Views are applied
 * one at a time, in order; a view that arrives while one is applied replaces any view still waiting, since only the
 * latest matters.
 * <p>
 * Safety does not rest on this: two nodes may briefly both believe they own a source (their views differ for a
 * moment), and the fencing epoch the unit takes at start makes the older owner's next commit fail. This class only
 * decides who should be running what.
 * <p>
 * Not thread-safe: call {@link #apply} from one context (the membership listener's).
 */
public final class OwnedSources {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedSources.class);

  private final List<String> sources;
  private final int quorum;
  private boolean belowQuorum;
  private final Function<String, Future<Void>> startUnit;
  private final Function<String, Future<Void>> stopUnit;
  private final Set<String> running = new LinkedHashSet<>();
  private boolean applying;
  private MembershipView waiting;
  private MembershipView latest;
  private boolean closed;

  /**
   * @param sources   every configured source, the same list on every node
   * @param quorum    how many members a view must hold for this node to run anything (a majority of the configured
   *                  members, so the minority side of a partition, or a node that was frozen and lost the others,
   *                  runs nothing); 1 to run whatever the view
   * @param startUnit starts (takes) a source's unit on this node; fails with {@link SourceHeldElsewhere} while a live
   *                  member still holds it
   * @param stopUnit  stops it; must not fail
   */
  public OwnedSources(List<String> sources, int quorum, Function<String, Future<Void>> startUnit,
                      Function<String, Future<Void>> stopUnit) {
    this.sources = List.copyOf(sources);
    this.quorum = Math.max(1, quorum);
    this.startUnit = Objects.requireNonNull(startUnit, "startUnit");
    this.stopUnit = Objects.requireNonNull(stopUnit, "stopUnit");
  }

  /** Takes a new membership view: the units follow it once the view in progress, if any, is applied. */
  public void apply(MembershipView view) {
    if (closed) {
      return;
    }
    latest = view;
    waiting = view;
    if (!applying) {
      next();
    }
  }

  /**
   * Applies the latest view again: starts what should run here but does not (its start failed, or its unit stopped
   * itself after being fenced). The application calls this periodically.
   */
  public void reapply() {
    if (latest != null) {
      apply(latest);
    }
  }

  /** A unit stopped by itself (fenced by another node's take-over): no longer counted as running here. */
  public void unitStopped(String source) {
    running.remove(source);
  }

  /** The sources whose units this node runs now. */
  public Set<String> running() {
    return Set.copyOf(running);
  }

  /** Stops every unit this node runs and ignores later views. */
  public Future<Void> close() {
    closed = true;
    waiting = null;
    List<Future<Void>> stopped = new ArrayList<>();
    for (String source : List.copyOf(running)) {
      stopped.add(stopUnit.apply(source));
    }
    running.clear();
    return Future.join(stopped).mapEmpty();
  }

  private void next() {
    MembershipView view = waiting;
    waiting = null;
    if (view == null || closed) {
      applying = false;
      return;
    }
    applying = true;
    Set<String> owned = new HashSet<>();
    if (view.size() >= quorum) {
      owned.addAll(new SourceAssignment(view, sources).ownedBy(view.selfId()));
      if (belowQuorum) {
        LOG.info("quorum regained, running the sources assigned here [members: {}, quorum: {}]", view.size(), quorum);
      }
      belowQuorum = false;
    } else if (!belowQuorum) {
      belowQuorum = true;
      // at start-up (nothing runs yet, the others have not been seen) this is the normal wait, not a warning
      if (running.isEmpty()) {
        LOG.info("waiting for a quorum of members before running any source [members: {}, quorum: {}]",
          view.size(), quorum);
      } else {
        LOG.warn("fewer members than the quorum: this node stops its sources until more members are seen "
          + "[members: {}, quorum: {}]", view.size(), quorum);
      }
    }
    List<Future<Void>> changes = new ArrayList<>();
    for (String source : List.copyOf(running)) {
      if (!owned.contains(source)) {
        LOG.info("source moves to another node, stopping its unit here [source: {}, members: {}]", source,
          view.size());
        running.remove(source);
        changes.add(stopUnit.apply(source));
      }
    }
    for (String source : sources) {
      if (owned.contains(source) && !running.contains(source)) {
        LOG.info("source assigned to this node, starting its unit [source: {}, members: {}]", source, view.size());
        running.add(source);
        changes.add(startUnit.apply(source).onFailure(failure -> {
          if (failure instanceof SourceHeldElsewhere) {
            LOG.info("assigned source not taken yet, re-checked shortly [source: {}, cause: {}]", source,
              failure.getMessage());
          } else {
            LOG.error("starting the unit of an assigned source failed, retried shortly [source: {}, cause: {}]",
              source, failure.getMessage());
          }
          running.remove(source);
        }));
      }
    }
    Future.join(changes).onComplete(done -> next());
  }
}
