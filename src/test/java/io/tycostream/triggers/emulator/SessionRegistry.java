package io.tycostream.triggers.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live sessions by backend id, for CancelRequest routing and the control API. Thread-safe.
 */
final class SessionRegistry {

  private final Catalog catalog;
  private final Map<Integer, PgSession> sessions = new ConcurrentHashMap<>();

  SessionRegistry(Catalog catalog) {
    this.catalog = catalog;
  }

  Catalog catalog() { return catalog; }

  void register(PgSession session) {
    sessions.put(session.processId(), session);
  }

  void unregister(PgSession session) {
    sessions.remove(session.processId(), session);
  }

  /** Routes a CancelRequest; a wrong secret is ignored silently, as PostgreSQL does. */
  void cancel(int processId, int secret) {
    PgSession session = sessions.get(processId);
    if (session != null && session.secret() == secret) {
      session.cancel();
    }
  }

  PgSession get(int processId) {
    return sessions.get(processId);
  }

  List<Integer> ids() {
    List<Integer> ids = new ArrayList<>(sessions.keySet());
    ids.sort(null);
    return ids;
  }

  List<PgSession> all() {
    return new ArrayList<>(sessions.values());
  }
}
