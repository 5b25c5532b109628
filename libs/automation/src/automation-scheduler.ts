import { Injectable } from '@nestjs/common';
import { jobQueue, QueueRegistry } from '@crescendo/platform';
import { AutomationRuleEntity } from './automation-rule.entity';
import { AutomationStatus, AutomationTriggerType } from './automation.types';
import { AutomationJobs } from './automation.jobs';

/** One BullMQ job scheduler per active schedule rule; removed when the rule is paused, changed or deleted. */
@Injectable()
export class AutomationScheduler {
  constructor(private readonly queues: QueueRegistry) {}

  static key(ruleId: string): string {
    return `automation-rule-${ruleId}`;
  }

  /** Makes Redis agree with the rule: a scheduler with its cron while it is an active schedule rule, else none. */
  async sync(rule: AutomationRuleEntity): Promise<void> {
    const queue = this.queues.get(jobQueue(AutomationJobs.AutomationScheduledRule));
    if (
      rule.status === AutomationStatus.Active &&
      rule.trigger.type === AutomationTriggerType.Schedule &&
      rule.trigger.cron
    ) {
      await queue.upsertJobScheduler(
        AutomationScheduler.key(rule.id),
        { pattern: rule.trigger.cron, tz: 'UTC' },
        {
          name: AutomationJobs.AutomationScheduledRule,
          data: { workspaceId: rule.workspaceId, ruleId: rule.id },
          opts: { attempts: 1 },
        },
      );
    } else {
      await this.remove(rule.id);
    }
  }

  async remove(ruleId: string): Promise<void> {
    await this.queues
      .get(jobQueue(AutomationJobs.AutomationScheduledRule))
      .removeJobScheduler(AutomationScheduler.key(ruleId));
  }
}
