/**
 * The CloudWatch metric the aggregation emits when it flags survey spikes (EMF through Powertools Metrics), and
 * the alarm in infra/stacks/aggregation-stack.ts watches: one definition for both sides, so they cannot drift.
 * Powertools adds the `service` dimension to every metric; the alarm names it too.
 */
export const SPIKE_METRIC = {
  namespace: 'CongVu',
  name: 'SurveySpikesFlagged',
  service: 'cong-vu-aggregation',
} as const;
