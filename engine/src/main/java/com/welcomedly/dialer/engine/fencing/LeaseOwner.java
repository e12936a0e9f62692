package com.welcomedly.dialer.engine.fencing;

import java.util.Optional;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * Who holds a lease: the node's {@code host:port} (what Pekko passes as owner name) plus the uid of
 * its ActorSystem incarnation. A process restarted on the same host and port is a different owner,
 * so it never inherits the leases of the process it replaces.
 */
record LeaseOwner(String hostPort, long uid) {

  static LeaseOwner of(String hostPort, UniqueAddress self) {
    return new LeaseOwner(hostPort, self.longUid());
  }

  /** The stored form, {@code host:port#uid}; an unparsable string (another writer) is empty. */
  static Optional<LeaseOwner> parse(String stored) {
    int hash = stored.lastIndexOf('#');
    if (hash <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new LeaseOwner(stored.substring(0, hash), Long.parseLong(stored.substring(hash + 1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  boolean is(UniqueAddress address) {
    return address.longUid() == uid && address.address().hostPort().equals(hostPort);
  }

  @Override
  public String toString() {
    return hostPort + "#" + uid;
  }
}
