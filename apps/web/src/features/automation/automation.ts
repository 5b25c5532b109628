import type { AutomationActionDto, AutomationRuleDto, AutomationTriggerDto } from '@crescendo/api-client';
import { humanize, type Option } from '../../components';
import { valuesOf } from '../../enums';
import { i18n } from '../../i18n';

export type TriggerType = AutomationTriggerDto['type'];
export type ActionType = AutomationActionDto['type'];
export type RuleStatus = AutomationRuleDto['status'];
export const TRIGGERS = valuesOf<TriggerType>()(
  'lead.created',
  'lead.status_changed',
  'lead.tag_added',
  'webhook.received',
  'schedule',
);
export const ACTIONS = valuesOf<ActionType>()(
  'add_tag',
  'remove_tag',
  'change_status',
  'set_score',
  'enroll_in_campaign',
  'call_webhook',
  'notify',
);
export const triggerLabel = (type: string) => i18n.t(`automation.triggers.${type.replace('.', '_')}`);
export const actionLabel = (type: string) =>
  i18n.exists(`automation.actions.${type}`) ? i18n.t(`automation.actions.${type}`) : humanize(type);
export const labelOf = (key: string, value: string) => (i18n.exists(key) ? i18n.t(key) : humanize(value));
/** Labels read at render time, in the UI's language. */
const optionsOf = (values: readonly string[], label: (value: string) => string): Option[] =>
  values.map((value) => ({
    value,
    get label() {
      return label(value);
    },
  }));
export const triggerOptions = optionsOf(TRIGGERS, triggerLabel);
export const actionOptions = optionsOf(ACTIONS, actionLabel);
