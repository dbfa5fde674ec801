package io.tycostream.triggers.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which node should own each source, by rendezvous (highest-random-weight) hashing: every node scores every source
 * with a hash of (source, node id) and the highest score owns it. Pure and immutable; safe to share between threads.
 *
 * <p>Why rendezvous: every node computes the same answer from the same membership with no coordination, sources
 * spread evenly, and when a node leaves only the sources it owned move (each to its runner-up), while a node that
 * joins takes only the sources it now scores highest on. The hash is SHA-256 of the UTF-8 bytes, never
 * {@code String.hashCode}: the answer must agree across JVMs, versions and restarts.
 *
 * <p>This is the <em>preferred</em> owner. Exclusive ownership is the cluster lock and fencing epoch in the store
 * (docs/architecture.md, source ownership and fencing): during a membership change two nodes may briefly both
 * believe they own a source, and the epoch is what keeps the former owner from committing.
 */
public final class SourceAssignment {

  private final MembershipView view;
  private final Map<String, String> owners;

  /**
   * @param view the membership to assign over (never empty: a view always holds the node that saw it)
   * @param sources the source names to assign; {@link #ownerOf} also answers for names not listed
   */
  public SourceAssignment(MembershipView view, List<String> sources) {
    this.view = Objects.requireNonNull(view, "view");
    if (view.members().isEmpty()) {
      throw new IllegalArgumentException("view must have at least one member");
    }
    Map<String, String> computed = new LinkedHashMap<>();
    for (String source : sources) {
      computed.put(source, highestScoring(source));
    }
    this.owners = computed;
  }

  /** The id of the node that should own this source. */
  public String ownerOf(String source) {
    String owner = owners.get(source);
    return owner != null ? owner : highestScoring(source);
  }

  /** The listed sources this node should own, in the order they were listed (empty for a node not in the view). */
  public List<String> ownedBy(String nodeId) {
    return owners.entrySet().stream().filter(entry -> entry.getValue().equals(nodeId)).map(Map.Entry::getKey)
        .toList();
  }

  /** The membership this assignment was computed over. */
  public MembershipView view() {
    return view;
  }

  private String highestScoring(String source) {
    Objects.requireNonNull(source, "source");
    String best = null;
    long bestScore = 0;
    for (String nodeId : view.memberIds()) {
      long score = score(source, nodeId);
      // unsigned compare spreads over the whole 64-bit range; ids break the (astronomically rare) tie
      if (best == null || Long.compareUnsigned(score, bestScore) > 0
          || (score == bestScore && nodeId.compareTo(best) > 0)) {
        best = nodeId;
        bestScore = score;
      }
    }
    return best;
  }

  /** The first 8 bytes of SHA-256(len(source) ‖ source ‖ nodeId); the length prefix keeps "a"+"bc" apart from "ab"+"c". */
  static long score(String source, String nodeId) {
    byte[] sourceBytes = source.getBytes(StandardCharsets.UTF_8);
    byte[] nodeBytes = nodeId.getBytes(StandardCharsets.UTF_8);
    MessageDigest sha256 = sha256();
    sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(sourceBytes.length).array());
    sha256.update(sourceBytes);
    sha256.update(nodeBytes);
    return ByteBuffer.wrap(sha256.digest()).getLong();
  }

  private static MessageDigest sha256() {
    try {
      // a new digest per call: MessageDigest is not thread-safe, and this class is shared
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
