package io.tycostream.triggers.cluster;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster's members as one node saw them at one moment, plus the member whose departure produced this view.
 * Immutable; members are sorted by id, so two nodes that see the same members hold equal lists.
 *
 * <p>A view is complete on its own: a consumer recomputes what it owns from {@link #members()} and never needs the
 * views before it. {@link #departed()} is there for the one thing a complete view cannot say: whose delivery claims
 * to release now rather than after their lease.
 *
 * @param selfId the id of the node that holds this view (always one of {@code members})
 * @param members every member, sorted by id
 * @param departed the member that just left, when this view was produced by a departure
 */
public record MembershipView(String selfId, List<Member> members, Optional<Member> departed) {

  /**
   * One cluster member.
   *
   * @param id the Vert.x node id (the same string {@code ClusterManager#getNodeId()} returns on that node)
   * @param address the member's {@code host:port}
   */
  public record Member(String id, String address) {
    public Member {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(address, "address");
    }
  }

  public MembershipView {
    Objects.requireNonNull(selfId, "selfId");
    Objects.requireNonNull(departed, "departed");
    members = members.stream().sorted(Comparator.comparing(Member::id)).toList();
  }

  /** A view that no departure produced (the first one, or one after a join). */
  public static MembershipView of(String selfId, List<Member> members) {
    return new MembershipView(selfId, members, Optional.empty());
  }

  /** The member ids, sorted. */
  public List<String> memberIds() {
    return members.stream().map(Member::id).toList();
  }

  /** Whether the node with this id is a member. */
  public boolean contains(String nodeId) {
    return members.stream().anyMatch(member -> member.id().equals(nodeId));
  }

  /** How many members the cluster has. */
  public int size() {
    return members.size();
  }
}
