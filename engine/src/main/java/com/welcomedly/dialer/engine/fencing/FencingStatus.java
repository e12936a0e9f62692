package com.welcomedly.dialer.engine.fencing;

/**
 * This node's fencing as readiness reports it: {@code up} only while the lease table answers, the
 * node's cluster holds the shard coordinators' leases and no live owner outside the cluster holds a
 * lease this node wanted. {@code detail} says which and why.
 */
public record FencingStatus(boolean up, String detail, int leasesHeld) {}
