package com.welcomedly.dialer.bench.sim;

/**
 * One run's figures, as in the reference table. Everything but the whole-run abandon rate excludes
 * the warm-up. {@code maxRolling24hPct} is the highest UK rolling-24 h abandon rate the ledger
 * showed at any second after the warm-up (the window holds the whole run so far while the run is
 * younger than 24 h).
 */
public record SimulationReport(
    int agents,
    String controller,
    double abandonPct,
    double abandonWholeRunPct,
    double worstBlockPct,
    double occupancy,
    double utilisation,
    double connectsPerAgentHour,
    double meanWaitSeconds,
    double dialsPerConnect,
    double linesPerAgent,
    int cpsP99,
    long liveAnswers,
    long abandoned,
    double measuredHours,
    double finalThreshold,
    double ledgerInterlockPct,
    double maxRolling24hPct,
    double wallSeconds) {}
