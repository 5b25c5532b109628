export * from './automation.types';
export * from './automation.dto';
export { AutomationService } from './automation.service';
export {
  AutomationFanOut,
  triggerAccepts,
  AUTOMATION_MAX_DEPTH,
  AUTOMATION_SCHEDULE_MAX_LEADS,
} from './automation-fan-out';
export { AutomationExecutor } from './automation-executor';
export type { AutomationActionHandler, ActionContext } from './actions';
export * from './automation.module';
export * from './automation.jobs';
export * from './automation.events';
