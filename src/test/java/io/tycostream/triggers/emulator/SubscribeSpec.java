package io.tycostream.triggers.emulator;

import java.util.List;

/**
 * A parsed {@code SUBSCRIBE} statement: target object, envelope keys (empty = diffs output), options and time bounds.
 *
 * @param object object name (last component if qualified)
 * @param upsertKeys KEY columns of ENVELOPE UPSERT in KEY order; null for the diffs output
 * @param progress WITH (PROGRESS)
 * @param snapshot WITH (SNAPSHOT), default true
 * @param asOf AS OF value or null
 * @param asOfAtLeast true for AS OF AT LEAST
 * @param upTo UP TO value or null
 */
record SubscribeSpec(String object, List<String> upsertKeys, boolean progress, boolean snapshot, Long asOf,
                     boolean asOfAtLeast, Long upTo) {

  boolean upsert() {
    return upsertKeys != null;
  }
}
