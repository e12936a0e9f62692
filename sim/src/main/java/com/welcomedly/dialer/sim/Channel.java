package com.welcomedly.dialer.sim;

/** One channel of the simulated PBX (a Local-channel leg); owned by the PBX thread. */
final class Channel {
  final String name;
  final String uniqueId;
  final Call call;
  final boolean legTwo;
  String linkedId;
  int state;
  String context;
  String exten;
  int priority = 1;
  Bridge bridge;
  boolean gone;
  final long createdNanos = System.nanoTime();

  Channel(String name, String uniqueId, Call call, boolean legTwo) {
    this.name = name;
    this.uniqueId = uniqueId;
    this.call = call;
    this.legTwo = legTwo;
    this.linkedId = call.linkedId;
  }
}
