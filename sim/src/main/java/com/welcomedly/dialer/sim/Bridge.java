package com.welcomedly.dialer.sim;

import java.util.ArrayList;
import java.util.List;

/** A basic two-party bridge of the simulated PBX; PBX thread only. */
final class Bridge {
  final String id;
  final List<Channel> members = new ArrayList<>();

  Bridge(String id) {
    this.id = id;
  }
}
