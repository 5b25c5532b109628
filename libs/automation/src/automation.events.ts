/** Automation's domain events. */
export const AutomationEvents = {
  /** A rule's run failed at one of its actions (published once per run; the run log has it too). */
  AutomationRunFailed: 'automation.run_failed',
} as const;

export interface AutomationRunFailedData {
  ruleId: string;
  ruleName: string;
  /** The lead the run was for, if any. */
  leadId: string | null;
  /** The failing action and why (`notify: …`), as the run log shows it. */
  error: string;
  /** The rule's failed runs in a row, this one included (a success resets the count). */
  consecutiveFailures: number;
  /** This failure paused the rule (the last of AUTOMATION_MAX_CONSECUTIVE_FAILURES in a row). */
  paused: boolean;
}

declare module '@crescendo/platform' {
  interface DomainEventPayloads {
    [AutomationEvents.AutomationRunFailed]: AutomationRunFailedData;
  }
}
