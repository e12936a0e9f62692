package com.welcomedly.dialer.engine.fencing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * What this node's cluster knows about a lease holder. The shard coordinator decides where a shard
 * runs inside one cluster, and Pekko 1.2.1's shards never release their lease when they stop, so a
 * lease held by a member of our own cluster that is reachable (the shard was handed over) or that
 * our cluster downed or removed (it is dead) is taken over at once. A holder our cluster does not
 * know — another cluster on the same database, or a predecessor incarnation — is waited out until
 * its lease expires; an unreachable member is left to the split-brain resolver.
 */
final class ClusterView {

  enum Relation {
    /** This very incarnation. */
    SELF,
    /** A member of our cluster that is reachable, downed or removed: safe to take over. */
    HANDED_OVER,
    /** A member of our cluster we cannot reach: the split-brain resolver decides, we wait. */
    UNREACHABLE_MEMBER,
    /** Not a member of our cluster: another cluster or a previous incarnation. */
    FOREIGN
  }

  private final Cluster cluster;
  // Members our cluster removed since this node started: dead for good (a uid never comes back).
  private final Set<UniqueAddress> removed = ConcurrentHashMap.newKeySet();

  ClusterView(ExtendedActorSystem system) {
    this.cluster = Cluster.get(system);
    system.systemActorOf(
        Props.create(RemovedListener.class, () -> new RemovedListener(this)), "lease-cluster-view");
  }

  UniqueAddress self() {
    return cluster.selfUniqueAddress();
  }

  /** The relation of a lease's stored owner; one that does not parse is {@code FOREIGN}. */
  Relation relationOfStored(String storedOwner) {
    return LeaseOwner.parse(storedOwner).map(this::relationOf).orElse(Relation.FOREIGN);
  }

  Relation relationOf(LeaseOwner holder) {
    if (holder.is(cluster.selfUniqueAddress())) {
      return Relation.SELF;
    }
    if (removed.stream().anyMatch(holder::is)) {
      return Relation.HANDED_OVER;
    }
    ClusterEvent.CurrentClusterState state = cluster.state();
    for (Member member : state.getMembers()) {
      if (holder.is(member.uniqueAddress())) {
        boolean gone =
            member.status() == MemberStatus.down() || member.status() == MemberStatus.removed();
        return gone || !state.getUnreachable().contains(member)
            ? Relation.HANDED_OVER
            : Relation.UNREACHABLE_MEMBER;
      }
    }
    return Relation.FOREIGN;
  }

  /** True once this node is an Up (or weakly up) member of a formed cluster. */
  boolean selfUp() {
    MemberStatus status = cluster.selfMember().status();
    return status == MemberStatus.up() || status == MemberStatus.weaklyUp();
  }

  private static final class RemovedListener extends AbstractActor {
    private final ClusterView view;

    RemovedListener(ClusterView view) {
      this.view = view;
    }

    @Override
    public void preStart() {
      view.cluster.subscribe(
          getSelf(), ClusterEvent.initialStateAsEvents(), ClusterEvent.MemberRemoved.class);
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .match(
              ClusterEvent.MemberRemoved.class,
              removedEvent -> view.removed.add(removedEvent.member().uniqueAddress()))
          .build();
    }
  }
}
