"""The pure analysis: effective events under a clock, the fold, timelines, rules, policy."""
