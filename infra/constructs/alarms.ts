import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/**
 * An alarm on something that should never happen: one occurrence in a period (a dead letter, a failed run, an
 * error) raises it, and no data is the normal state, not a breach. Every "this failed" alarm of the stacks is one.
 */
export function anyOccurrenceAlarm(scope: Construct, id: string, alarmDescription: string, metric: IMetric): Alarm {
  return new Alarm(scope, id, {
    alarmDescription,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
